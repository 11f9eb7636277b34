package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func TestAffected(t *testing.T) {
	intro := func(v string) strata.Event { return strata.Event{Introduced: v} }
	fixed := func(v string) strata.Event { return strata.Event{Fixed: v} }
	last := func(v string) strata.Event { return strata.Event{LastAffected: v} }
	limit := func(v string) strata.Event { return strata.Event{Limit: v} }
	rng := func(e ...strata.Event) strata.Range { return strata.Range{Events: e} }
	tests := []struct {
		name     string
		ranges   []strata.Range
		versions []string
		v        string
		want     Verdict
	}{
		{"below fixed", []strata.Range{rng(intro("0"), fixed("1.2-3"))}, nil, "1.2-1",
			Verdict{true, "introduced 0, fixed 1.2-3", "1.2-1 < 1.2-3 (fixed)"}},
		{"at fixed", []strata.Range{rng(intro("0"), fixed("1.2-3"))}, nil, "1.2-3",
			Verdict{false, "introduced 0, fixed 1.2-3", "1.2-3 >= 1.2-3 (fixed)"}},
		{"fixed by an epoch", []strata.Range{rng(intro("0"), fixed("1:0.9"))}, nil, "2.0",
			Verdict{true, "introduced 0, fixed 1:0.9", "2.0 < 1:0.9 (fixed)"}},
		{"tilde below fixed", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "1.2~rc1",
			Verdict{true, "introduced 1.0, fixed 1.2", "1.2~rc1 < 1.2 (fixed)"}},
		{"below introduced", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "0.9",
			Verdict{false, "introduced 1.0, fixed 1.2", "0.9 < 1.0 (introduced)"}},
		{"at introduced", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "1.0",
			Verdict{true, "introduced 1.0, fixed 1.2", "1.0 < 1.2 (fixed)"}},
		{"unfixed", []strata.Range{rng(intro("1.0"))}, nil, "7.0",
			Verdict{true, "introduced 1.0", "7.0 >= 1.0 (introduced)"}},
		{"unfixed from the beginning", []strata.Range{rng(intro("0"))}, nil, "0:0.1",
			Verdict{true, "introduced 0", "0:0.1 >= 0 (introduced)"}},
		{"at last_affected", []strata.Range{rng(intro("0"), last("2.0"))}, nil, "2.0",
			Verdict{true, "introduced 0, last_affected 2.0", "2.0 <= 2.0 (last_affected)"}},
		{"above last_affected", []strata.Range{rng(intro("0"), last("2.0"))}, nil, "2.0-1",
			Verdict{false, "introduced 0, last_affected 2.0", "2.0-1 > 2.0 (last_affected)"}},
		{"events out of order", []strata.Range{rng(fixed("3.0"), intro("2.0"), fixed("1.5"), intro("1.0"))}, nil, "2.5",
			Verdict{true, "fixed 3.0, introduced 2.0, fixed 1.5, introduced 1.0", "2.5 < 3.0 (fixed)"}},
		{"between two ranges of events", []strata.Range{rng(intro("1.0"), fixed("1.5"), intro("2.0"), fixed("3.0"))}, nil, "1.7",
			Verdict{false, "introduced 1.0, fixed 1.5, introduced 2.0, fixed 3.0", "1.7 >= 1.5 (fixed)"}},
		{"introduced and fixed at one version", []strata.Range{rng(intro("1.0"), fixed("1.0"))}, nil, "1.0",
			Verdict{false, "introduced 1.0, fixed 1.0", "1.0 >= 1.0 (fixed)"}},
		{"reintroduced at the fixed version", []strata.Range{rng(intro("1.0"), fixed("2.0"), intro("2.0"), fixed("3.0"))}, nil, "2.0",
			Verdict{true, "introduced 1.0, fixed 2.0, introduced 2.0, fixed 3.0", "2.0 < 3.0 (fixed)"}},
		{"below limit", []strata.Range{rng(intro("0"), limit("2.0"))}, nil, "1.9",
			Verdict{true, "introduced 0, limit 2.0", "1.9 >= 0 (introduced)"}},
		{"at limit", []strata.Range{rng(intro("0"), limit("2.0"))}, nil, "2.0",
			Verdict{false, "introduced 0, limit 2.0", "2.0 >= 2.0 (limit)"}},
		{"below one of two limits", []strata.Range{rng(intro("0"), limit("2.0"), limit("3.0"))}, nil, "2.5",
			Verdict{true, "introduced 0, limit 2.0, limit 3.0", "2.5 >= 0 (introduced)"}},
		{"limit star", []strata.Range{rng(intro("0"), limit("*"))}, nil, "99",
			Verdict{true, "introduced 0, limit *", "99 >= 0 (introduced)"}},
		{"listed", nil, []string{"1.0", "1.1-0"}, "1.1",
			Verdict{true, "listed in versions", "1.1 = 1.1-0 (versions)"}},
		{"second range decides", []strata.Range{rng(intro("0"), fixed("1.0")), rng(intro("2.0"), fixed("2.1"))}, nil, "2.0.5",
			Verdict{true, "introduced 2.0, fixed 2.1", "2.0.5 < 2.1 (fixed)"}},
		{"no range affects: the first explains", []strata.Range{rng(intro("0"), fixed("1.0")), rng(intro("2.0"), fixed("2.1"))}, nil, "1.5",
			Verdict{false, "introduced 0, fixed 1.0", "1.5 >= 1.0 (fixed)"}},
		{"nothing to evaluate", nil, nil, "1.0", Verdict{}},
		{"no introduced", []strata.Range{rng(fixed("1.0"))}, nil, "0.5",
			Verdict{false, "fixed 1.0", "no introduced event"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Affected(Deb{}, tt.ranges, tt.versions, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Affected(%q) (-want +got):\n%s", tt.v, diff)
			}
		})
	}
}

func TestAffectedErrors(t *testing.T) {
	tests := []struct {
		name     string
		ranges   []strata.Range
		versions []string
		v        string
		want     string
	}{
		{"invalid version", []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}, nil, "a1",
			`range 0 (introduced 0): introduced 0: deb version "a1": upstream version does not start with a digit`},
		{"invalid fixed", []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.0-"}}}}, nil, "1.0",
			`range 0 (introduced 0, fixed 1.0-): fixed 1.0-: deb version "1.0-": empty revision`},
		{"event with two fields", []strata.Range{{Events: []strata.Event{{Introduced: "0", Fixed: "1"}}}}, nil, "1.0",
			`range 0 (): event 0 sets 2 fields, want exactly 1`},
		{"empty event", []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {}}}}, nil, "1.0",
			`range 0 (introduced 0): event 1 sets 0 fields, want exactly 1`},
		{"invalid listed version", nil, []string{"x"}, "1.0",
			`versions: deb version "x": upstream version does not start with a digit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Affected(Deb{}, tt.ranges, tt.versions, tt.v)
			if err == nil {
				t.Fatalf("Affected(%q): no error, want %q", tt.v, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
