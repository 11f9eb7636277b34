package storetest

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// replace calls ReplaceVulnerabilities and fails the test on error.
func replace(t *testing.T, s store.Store, updater, fp string, vs ...strata.Vulnerability) *strata.UpdateDiff {
	t.Helper()
	d, err := s.ReplaceVulnerabilities(t.Context(), updater, fp, vs)
	if err != nil {
		t.Fatalf("ReplaceVulnerabilities(%s, %s): %v", updater, fp, err)
	}
	return d
}

// diffs calls UpdateDiffs and fails the test on error.
func diffs(t *testing.T, s store.Store, after int64) []strata.UpdateDiff {
	t.Helper()
	ds, err := s.UpdateDiffs(t.Context(), after)
	if err != nil {
		t.Fatalf("UpdateDiffs(%d): %v", after, err)
	}
	return ds
}

func testReplaceDiffs(t *testing.T, s store.Store) {
	a := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	b := vuln("debian", "CVE-2024-2", "debian:12", "zlib")
	c := vuln("debian", "CVE-2024-3", "debian:12", "curl")
	d := vuln("debian", "CVE-2024-4", "debian:11", "curl")
	b2 := b
	b2.FixedVersion = "1.2-4"

	first := replace(t, s, "debian", "fp1", c, a, b)
	want := &strata.UpdateDiff{ID: first.ID, Updater: "debian", Time: first.Time, Added: []strata.Vulnerability{a, b, c}}
	if diff := cmp.Diff(want, first, equateEmpty); diff != "" {
		t.Errorf("first load (-want +got):\n%s", diff)
	}
	if first.ID == 0 || !recent(first.Time) {
		t.Errorf("first load: ID %d, time %v; want an ID and the current time", first.ID, first.Time)
	}

	same := replace(t, s, "debian", "fp2", b, c, a)
	if same.ID != 0 || len(same.Added) != 0 || len(same.Removed) != 0 {
		t.Errorf("same set again: ID %d, %d added, %d removed; want an empty diff with ID 0", same.ID, len(same.Added), len(same.Removed))
	}

	third := replace(t, s, "debian", "fp3", d, b2, a)
	want = &strata.UpdateDiff{ID: third.ID, Updater: "debian", Time: third.Time,
		Added:   []strata.Vulnerability{b2, d},
		Removed: []strata.Vulnerability{b, c},
	}
	if diff := cmp.Diff(want, third, equateEmpty); diff != "" {
		t.Errorf("one changed, one removed, one added (-want +got):\n%s", diff)
	}
	if third.ID <= first.ID {
		t.Errorf("third diff's ID %d is not after the first's (%d)", third.ID, first.ID)
	}
	if diff := cmp.Diff([]strata.UpdateDiff{*first, *third}, diffs(t, s, 0), equateEmpty); diff != "" {
		t.Errorf("UpdateDiffs(0) (-want +got):\n%s", diff)
	}
	checkSet(t, s, "debian", "fp3", d, a, b2)
}

// checkSet checks that updater's set holds exactly vs, "deb" records of
// debian:11 then debian:12, each release sorted by package, and that its
// status says so.
func checkSet(t *testing.T, s store.Store, updater, fp string, vs ...strata.Vulnerability) {
	t.Helper()
	var got []strata.Vulnerability
	for _, release := range []string{"debian:11", "debian:12"} {
		part, err := s.Vulnerabilities(t.Context(), strata.Deb, release, []string{"curl", "openssl", "zlib"})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, part...)
	}
	if diff := cmp.Diff(vs, got, equateEmpty); diff != "" {
		t.Errorf("stored set of %s (-want +got):\n%s", updater, diff)
	}
	st, err := s.UpdaterStatus(t.Context(), updater)
	if err != nil {
		t.Fatal(err)
	}
	if st.Fingerprint != fp || st.Records != len(vs) {
		t.Errorf("status of %s: fingerprint %q, %d records; want %q, %d", updater, st.Fingerprint, st.Records, fp, len(vs))
	}
}

// testReplaceDuplicates stores records with equal keys (the last wins) and
// records naming another updater (stored under the one given).
func testReplaceDuplicates(t *testing.T, s store.Store) {
	a := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	a2 := a
	a2.Description = "Updated."
	other := vuln("", "CVE-2024-2", "debian:12", "zlib")
	stored := other
	stored.Updater = "debian"

	d := replace(t, s, "debian", "fp1", a, other, a2)
	want := &strata.UpdateDiff{ID: d.ID, Updater: "debian", Time: d.Time, Added: []strata.Vulnerability{a2, stored}}
	if diff := cmp.Diff(want, d, equateEmpty); diff != "" {
		t.Errorf("ReplaceVulnerabilities (-want +got):\n%s", diff)
	}
	checkSet(t, s, "debian", "fp1", a2, stored)
}

// testReplaceFailure checks that failed replacements (a record that cannot
// be encoded after others were written; a cancelled context) leave the
// previous set, status and diffs as they were.
func testReplaceFailure(t *testing.T, s store.Store) {
	a := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	b := vuln("debian", "CVE-2024-2", "debian:12", "zlib")
	c := vuln("debian", "CVE-2024-3", "debian:12", "curl")
	bad := vuln("debian", "CVE-2024-9", "debian:12", "zlib")
	bad.CVSS[0].Score = math.NaN()
	replace(t, s, "debian", "fp1", a, b)
	before, err := s.UpdaterStatus(t.Context(), "debian")
	if err != nil {
		t.Fatal(err)
	}
	beforeDiffs := diffs(t, s, 0)

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		vs   []strata.Vulnerability
	}{
		{"unencodable record", t.Context(), []strata.Vulnerability{c, a, bad}},
		{"cancelled", cancelled, []strata.Vulnerability{c}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d, err := s.ReplaceVulnerabilities(tt.ctx, "debian", "fp2", tt.vs); err == nil {
				t.Fatalf("ReplaceVulnerabilities = %+v, want an error", d)
			}
			checkSet(t, s, "debian", "fp1", a, b)
			st, err := s.UpdaterStatus(t.Context(), "debian")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, st); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(beforeDiffs, diffs(t, s, 0), equateEmpty); diff != "" {
				t.Errorf("UpdateDiffs (-want +got):\n%s", diff)
			}
		})
	}
}

func testUpdateDiffs(t *testing.T, s store.Store) {
	d1 := replace(t, s, "debian", "fp1", vuln("debian", "CVE-2024-1", "debian:12", "openssl"))
	d2 := replace(t, s, "ubuntu", "fp1", vuln("ubuntu", "CVE-2024-1", "ubuntu:22.04", "openssl"))
	d3 := replace(t, s, "debian", "fp2")
	if !(d1.ID < d2.ID && d2.ID < d3.ID) {
		t.Fatalf("diff IDs %d, %d, %d are not increasing", d1.ID, d2.ID, d3.ID)
	}
	tests := []struct {
		after int64
		want  []strata.UpdateDiff
	}{
		{0, []strata.UpdateDiff{*d1, *d2, *d3}},
		{d1.ID, []strata.UpdateDiff{*d2, *d3}},
		{d2.ID, []strata.UpdateDiff{*d3}},
		{d3.ID, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, diffs(t, s, tt.after), equateEmpty); diff != "" {
			t.Errorf("UpdateDiffs(%d) (-want +got):\n%s", tt.after, diff)
		}
	}
}
