package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// testUpdaterStatuses lists the feeds of an empty store, then of one where
// a feed failed before any success and two succeeded.
func testUpdaterStatuses(t *testing.T, s store.Store) {
	ctx := t.Context()
	statuses := func() []store.UpdaterStatus {
		sts, err := s.UpdaterStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sts
	}
	if sts := statuses(); len(sts) != 0 {
		t.Errorf("empty store: %+v, want no status", sts)
	}
	replace(t, s, "osv", "fp-osv", vuln("osv", "GHSA-1", "", "requests"))
	if err := s.RecordUpdateFailure(ctx, "alpine", "fetch: 503"); err != nil {
		t.Fatal(err)
	}
	replace(t, s, "debian", "fp-debian",
		vuln("debian", "CVE-2024-1", "debian:12", "openssl"), vuln("debian", "CVE-2024-2", "debian:12", "zlib"))
	var want []store.UpdaterStatus
	for _, name := range []string{"alpine", "debian", "osv"} {
		st, err := s.UpdaterStatus(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, *st)
	}
	got := statuses()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UpdaterStatuses differs from UpdaterStatus of each (-want +got):\n%s", diff)
	}
	if len(got) == 3 && (got[0].LastError != "fetch: 503" || !got[0].LastSuccess.IsZero() || got[1].Records != 2 || got[2].Fingerprint != "fp-osv") {
		t.Errorf("UpdaterStatuses = %+v; want alpine failed and never succeeded, debian with 2 records, osv with fingerprint fp-osv", got)
	}
}

// testImportVulnerabilities imports a feed's set fetched a week ago into
// a store that has an older set of it: the set and diff are those of a
// replacement, the last success is the import's time.
func testImportVulnerabilities(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := vuln("debian", "CVE-2024-1", "debian:12", "openssl")
	b := vuln("debian", "CVE-2024-2", "debian:12", "zlib")
	c := vuln("debian", "CVE-2024-3", "debian:12", "curl")
	replace(t, s, "debian", "fp-old", a, b)
	fetched := time.Date(2025, 3, 4, 5, 6, 7, 891234567, time.FixedZone("CET", 3600))

	d, err := s.ImportVulnerabilities(ctx, "debian", "fp-new", fetched, []strata.Vulnerability{c, a})
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.UpdateDiff{ID: d.ID, Updater: "debian", Time: d.Time,
		Added: []strata.Vulnerability{c}, Removed: []strata.Vulnerability{b}}
	if diff := cmp.Diff(want, d, equateEmpty); diff != "" || d.ID == 0 || !recent(d.Time) {
		t.Errorf("import diff: ID %d at %v (-want +got):\n%s", d.ID, d.Time, diff)
	}
	checkSet(t, s, "debian", "fp-new", c, a)
	st, err := s.UpdaterStatus(ctx, "debian")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := &store.UpdaterStatus{Updater: "debian", Fingerprint: "fp-new", Records: 2,
		LastSuccess: fetched.UTC().Truncate(time.Microsecond), LastAttempt: st.LastAttempt}
	if diff := cmp.Diff(wantStatus, st); diff != "" || !recent(st.LastAttempt) {
		t.Errorf("status after import, attempted at %v (-want +got):\n%s", st.LastAttempt, diff)
	}

	again, err := s.ImportVulnerabilities(ctx, "debian", "fp-new", fetched, []strata.Vulnerability{a, c})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != 0 || len(again.Added)+len(again.Removed) != 0 {
		t.Errorf("same import again: ID %d, %d added, %d removed; want an empty diff with ID 0", again.ID, len(again.Added), len(again.Removed))
	}
	if d, err := s.ImportVulnerabilities(ctx, "debian", "fp", time.Time{}, []strata.Vulnerability{a}); err == nil {
		t.Errorf("import without a time of last success = %+v, want an error", d)
	}
	checkSet(t, s, "debian", "fp-new", c, a)
}
