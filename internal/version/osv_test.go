package version

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func intro(v string) strata.Event             { return strata.Event{Introduced: v} }
func fixed(v string) strata.Event             { return strata.Event{Fixed: v} }
func last(v string) strata.Event              { return strata.Event{LastAffected: v} }
func limit(v string) strata.Event             { return strata.Event{Limit: v} }
func rng(events ...strata.Event) strata.Range { return strata.Range{Events: events} }

// yes is an affected verdict, fixed in fix ("" for none); no is a verdict
// of not affected.
func yes(rng, comparison, fix string) Verdict {
	return Verdict{Affected: true, Range: rng, Comparison: comparison, Fixed: fix}
}

func no(rng, comparison string) Verdict { return Verdict{Range: rng, Comparison: comparison} }

// skipping is vd with what was skipped to reach it.
func skipping(vd Verdict, skipped ...string) Verdict {
	vd.Skipped = skipped
	return vd
}

// debRejects is the Deb comparator's error for "x", "a1" or "a3".
func debRejects(v string) string {
	return `deb version "` + v + `": upstream version does not start with a digit`
}

func TestAffected(t *testing.T) {
	tests := []struct {
		name     string
		ranges   []strata.Range
		versions []string
		v        string
		want     Verdict
	}{
		{"below fixed", []strata.Range{rng(intro("0"), fixed("1.2-3"))}, nil, "1.2-1",
			yes("introduced 0, fixed 1.2-3", "1.2-1 < 1.2-3 (fixed)", "1.2-3")},
		{"at fixed", []strata.Range{rng(intro("0"), fixed("1.2-3"))}, nil, "1.2-3",
			no("introduced 0, fixed 1.2-3", "1.2-3 >= 1.2-3 (fixed)")},
		{"fixed by an epoch", []strata.Range{rng(intro("0"), fixed("1:0.9"))}, nil, "2.0",
			yes("introduced 0, fixed 1:0.9", "2.0 < 1:0.9 (fixed)", "1:0.9")},
		{"tilde below fixed", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "1.2~rc1",
			yes("introduced 1.0, fixed 1.2", "1.2~rc1 < 1.2 (fixed)", "1.2")},
		{"below introduced", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "0.9",
			no("introduced 1.0, fixed 1.2", "0.9 < 1.0 (introduced)")},
		{"at introduced", []strata.Range{rng(intro("1.0"), fixed("1.2"))}, nil, "1.0",
			yes("introduced 1.0, fixed 1.2", "1.0 < 1.2 (fixed)", "1.2")},
		{"unfixed", []strata.Range{rng(intro("1.0"))}, nil, "7.0",
			yes("introduced 1.0", "7.0 >= 1.0 (introduced)", "")},
		{"unfixed from the beginning", []strata.Range{rng(intro("0"))}, nil, "0:0.1",
			yes("introduced 0", "0:0.1 >= 0 (introduced)", "")},
		{"at last_affected", []strata.Range{rng(intro("0"), last("2.0"))}, nil, "2.0",
			yes("introduced 0, last_affected 2.0", "2.0 <= 2.0 (last_affected)", "")},
		{"above last_affected", []strata.Range{rng(intro("0"), last("2.0"))}, nil, "2.0-1",
			no("introduced 0, last_affected 2.0", "2.0-1 > 2.0 (last_affected)")},
		{"events out of order", []strata.Range{rng(fixed("3.0"), intro("2.0"), fixed("1.5"), intro("1.0"))}, nil, "2.5",
			yes("fixed 3.0, introduced 2.0, fixed 1.5, introduced 1.0", "2.5 < 3.0 (fixed)", "3.0")},
		{"between two ranges of events", []strata.Range{rng(intro("1.0"), fixed("1.5"), intro("2.0"), fixed("3.0"))}, nil, "1.7",
			no("introduced 1.0, fixed 1.5, introduced 2.0, fixed 3.0", "1.7 >= 1.5 (fixed)")},
		{"introduced and fixed at one version", []strata.Range{rng(intro("1.0"), fixed("1.0"))}, nil, "1.0",
			no("introduced 1.0, fixed 1.0", "1.0 >= 1.0 (fixed)")},
		{"reintroduced at the fixed version", []strata.Range{rng(intro("1.0"), fixed("2.0"), intro("2.0"), fixed("3.0"))}, nil, "2.0",
			yes("introduced 1.0, fixed 2.0, introduced 2.0, fixed 3.0", "2.0 < 3.0 (fixed)", "3.0")},
		{"below limit", []strata.Range{rng(intro("0"), limit("2.0"))}, nil, "1.9",
			yes("introduced 0, limit 2.0", "1.9 >= 0 (introduced)", "")},
		{"at limit", []strata.Range{rng(intro("0"), limit("2.0"))}, nil, "2.0",
			no("introduced 0, limit 2.0", "2.0 >= 2.0 (limit)")},
		{"below one of two limits", []strata.Range{rng(intro("0"), limit("2.0"), limit("3.0"))}, nil, "2.5",
			yes("introduced 0, limit 2.0, limit 3.0", "2.5 >= 0 (introduced)", "")},
		{"limit star", []strata.Range{rng(intro("0"), limit("*"))}, nil, "99",
			yes("introduced 0, limit *", "99 >= 0 (introduced)", "")},
		{"listed", nil, []string{"1.0", "1.1-0"}, "1.1",
			yes("listed in versions", "1.1 = 1.1-0 (versions)", "")},
		{"second range decides", []strata.Range{rng(intro("0"), fixed("1.0")), rng(intro("2.0"), fixed("2.1"))}, nil, "2.0.5",
			yes("introduced 2.0, fixed 2.1", "2.0.5 < 2.1 (fixed)", "2.1")},
		{"no range affects: the first explains", []strata.Range{rng(intro("0"), fixed("1.0")), rng(intro("2.0"), fixed("2.1"))}, nil, "1.5",
			no("introduced 0, fixed 1.0", "1.5 >= 1.0 (fixed)")},
		{"nothing to evaluate", nil, nil, "1.0", Verdict{}},
		{"no introduced", []strata.Range{rng(fixed("1.0"))}, nil, "0.5",
			no("fixed 1.0", "no introduced event")},
		{"in a range and listed: the range decides", []strata.Range{rng(intro("0"), fixed("2.0"))}, []string{"1.0"}, "1.0",
			yes("introduced 0, fixed 2.0", "1.0 < 2.0 (fixed)", "2.0")},
		// PYSEC-2023-17 (ipython) lists "0.7.1.fix1" and "a3" among the
		// versions of its range: the range still decides.
		{"listed versions the comparator rejects: the range decides", []strata.Range{rng(intro("0"), fixed("8.10.0"))}, []string{"a3", "7.0.0"}, "7.0.0",
			yes("introduced 0, fixed 8.10.0", "7.0.0 < 8.10.0 (fixed)", "8.10.0")},
		{"a listed version the comparator rejects is skipped", []strata.Range{rng(intro("0"), fixed("1.0"))}, []string{"x", "2.0"}, "2.0",
			skipping(yes("listed in versions", "2.0 = 2.0 (versions)", ""), "versions: "+debRejects("x"))},
		{"no listed version equals", []strata.Range{rng(intro("0"), fixed("1.0"))}, []string{"x", "1.2"}, "1.5",
			skipping(no("introduced 0, fixed 1.0", "1.5 >= 1.0 (fixed)"), "versions: "+debRejects("x"))},
		{"a rejected version listed as written", []strata.Range{rng(intro("0"), fixed("1.0"))}, []string{"a1"}, "a1",
			yes("listed in versions", "a1 = a1 (versions)", "")},
		{"a range the comparator rejects is skipped", []strata.Range{rng(intro("0"), fixed("a3")), rng(intro("1.0"), fixed("2.0"))}, nil, "1.5",
			skipping(yes("introduced 1.0, fixed 2.0", "1.5 < 2.0 (fixed)", "2.0"), "range 0 (introduced 0, fixed a3): fixed a3: "+debRejects("a3"))},
		{"a rejected range, then the list", []strata.Range{rng(intro("0"), fixed("a3"))}, []string{"x", "1.5"}, "1.5",
			skipping(yes("listed in versions", "1.5 = 1.5 (versions)", ""),
				"range 0 (introduced 0, fixed a3): fixed a3: "+debRejects("a3"), "versions: "+debRejects("x"))},
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

// A record with several branches gives the fix of the interval holding the
// installed version, not the first fixed event of the record.
func TestAffectedFix(t *testing.T) {
	// PYSEC-2023-192 (urllib3), its ECOSYSTEM range as the feed orders it.
	urllib3 := []strata.Range{rng(intro("2.0.0"), fixed("2.0.6"), intro("0"), fixed("1.26.17"))}
	const urllib3Words = "introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17"
	tests := []struct {
		name   string
		ranges []strata.Range
		v      string
		want   Verdict
	}{
		{"older branch", urllib3, "1.26.12", yes(urllib3Words, "1.26.12 < 1.26.17 (fixed)", "1.26.17")},
		{"newer branch", urllib3, "2.0.4", yes(urllib3Words, "2.0.4 < 2.0.6 (fixed)", "2.0.6")},
		{"between the branches", urllib3, "1.26.17", no(urllib3Words, "1.26.17 >= 1.26.17 (fixed)")},
		{"the smallest fix above", []strata.Range{rng(fixed("3.0"), intro("0"), fixed("2.0"))}, "1.0",
			yes("fixed 3.0, introduced 0, fixed 2.0", "1.0 < 2.0 (fixed)", "2.0")},
		{"an interval closed by last_affected", []strata.Range{rng(intro("0"), last("1.4"), intro("2.0"), fixed("2.3"))}, "1.2",
			yes("introduced 0, last_affected 1.4, introduced 2.0, fixed 2.3", "1.2 <= 1.4 (last_affected)", "")},
		{"the fixed interval after last_affected", []strata.Range{rng(intro("0"), last("1.4"), intro("2.0"), fixed("2.3"))}, "2.1",
			yes("introduced 0, last_affected 1.4, introduced 2.0, fixed 2.3", "2.1 < 2.3 (fixed)", "2.3")},
		{"an open interval after a fixed one", []strata.Range{rng(intro("1.0"), fixed("1.5"), intro("3.0"))}, "3.2",
			yes("introduced 1.0, fixed 1.5, introduced 3.0", "3.2 >= 3.0 (introduced)", "")},
		{"the fixed interval before an open one", []strata.Range{rng(intro("1.0"), fixed("1.5"), intro("3.0"))}, "1.2",
			yes("introduced 1.0, fixed 1.5, introduced 3.0", "1.2 < 1.5 (fixed)", "1.5")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Affected(PEP440{}, tt.ranges, nil, tt.v)
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
		{"invalid version", []strata.Range{rng(intro("0"))}, []string{"1.0"}, "a1", debRejects("a1")},
		{"invalid fixed", []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.0-"}}}}, nil, "1.0",
			`range 0 (introduced 0, fixed 1.0-): fixed 1.0-: deb version "1.0-": empty revision`},
		{"event with two fields", []strata.Range{{Events: []strata.Event{{Introduced: "0", Fixed: "1"}}}}, nil, "1.0",
			`range 0 (): event 0 sets 2 fields, want exactly 1`},
		{"empty event", []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {}}}}, nil, "1.0",
			`range 0 (introduced 0): event 1 sets 0 fields, want exactly 1`},
		{"an invalid event in a later range", []strata.Range{rng(intro("0")), {Events: []strata.Event{{Introduced: "0", Fixed: "1"}}}}, nil, "1.0",
			`range 1 (): event 0 sets 2 fields, want exactly 1`},
		// The rejected range might have held v: no verdict.
		{"invalid fixed, nothing else affects", []strata.Range{rng(intro("0"), fixed("a3")), rng(intro("2.0"))}, []string{"x"}, "1.0",
			"range 0 (introduced 0, fixed a3): fixed a3: " + debRejects("a3")},
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
