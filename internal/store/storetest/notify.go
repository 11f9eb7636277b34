package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testAffectedReports(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, n := range []int{3, 1, 2} {
		r := indexReport(digest(n), digest(10+n))
		if n == 2 {
			r.Distribution = &strata.Distribution{ID: "debian", VersionID: "11"}
		}
		if err := s.PutIndexReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		keys []store.PackageKey
		want []strata.Digest
	}{
		{"none", nil, nil},
		{"source name", []store.PackageKey{{Eco: strata.Deb, Release: "debian:12", Name: "openssl"}}, []strata.Digest{digest(1), digest(3)}},
		{"binary name", []store.PackageKey{{Eco: strata.Deb, Release: "debian:11", Name: "libssl3"}}, []strata.Digest{digest(2)}},
		{"any of the keys, once", []store.PackageKey{
			{Eco: strata.PyPI, Release: "", Name: "requests"}, {Eco: strata.Deb, Release: "debian:12", Name: "openssl"}, {Eco: strata.Deb, Release: "debian:11", Name: "openssl"},
		}, []strata.Digest{digest(1), digest(2), digest(3)}},
		{"other release", []store.PackageKey{{Eco: strata.Deb, Release: "debian:13", Name: "openssl"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, reportDigests(t, s, tt.keys), equateEmpty); diff != "" {
				t.Errorf("AffectedReports(%v) (-want +got):\n%s", tt.keys, diff)
			}
		})
	}
	checkCount(t, s, 3)
	if err := s.DeleteIndexReport(ctx, digest(1)); err != nil {
		t.Fatal(err)
	}
	checkCount(t, s, 2)
	got := reportDigests(t, s, []store.PackageKey{{Eco: strata.Deb, Release: "debian:12", Name: "openssl"}})
	if diff := cmp.Diff([]strata.Digest{digest(3)}, got); diff != "" {
		t.Errorf("AffectedReports after a delete (-want +got):\n%s", diff)
	}
}

// reportDigests returns the manifests of AffectedReports(keys), checking
// that each report is the one stored.
func reportDigests(t *testing.T, s store.Store, keys []store.PackageKey) []strata.Digest {
	t.Helper()
	rs, err := s.AffectedReports(t.Context(), keys)
	if err != nil {
		t.Fatal(err)
	}
	var ds []strata.Digest
	for _, r := range rs {
		stored, err := s.IndexReport(t.Context(), r.ManifestDigest)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stored, r); diff != "" {
			t.Errorf("AffectedReports: report %s (-IndexReport +AffectedReports):\n%s", r.ManifestDigest, diff)
		}
		ds = append(ds, r.ManifestDigest)
	}
	return ds
}

func checkCount(t *testing.T, s store.Store, want int) {
	t.Helper()
	if n, err := s.CountManifests(t.Context()); err != nil || n != want {
		t.Errorf("CountManifests = %d, %v; want %d", n, err, want)
	}
}

// notification is a notification of diff about manifest m, as given to
// PutNotifications.
func notification(m strata.Digest, id, reason string) store.Notification {
	return store.Notification{Manifest: m, Vulnerability: id, Package: "libssl3", Version: "3.0.15-1~deb12u1",
		Reason: reason, Severity: strata.High}
}

func testNotifications(t *testing.T, s store.Store) {
	ctx := t.Context()
	p, err := s.NotifyProgress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&store.NotifyProgress{}, p, equateEmpty); diff != "" {
		t.Errorf("NotifyProgress of an empty store (-want +got):\n%s", diff)
	}
	puts := []struct {
		diff    int64
		updater string
		ns      []store.Notification
		want    bool
	}{
		{1, "debian", nil, true},
		{3, "ubuntu", []store.Notification{notification(digest(1), "CVE-1", store.Added), notification(digest(2), "CVE-1", store.Added)}, true},
		{4, "debian", []store.Notification{notification(digest(1), "CVE-2", store.Removed)}, true},
		{3, "ubuntu", []store.Notification{notification(digest(9), "CVE-9", store.Added)}, false}, // processed before
	}
	for _, pt := range puts {
		got, err := s.PutNotifications(ctx, pt.diff, pt.updater, pt.ns)
		if err != nil || got != pt.want {
			t.Errorf("PutNotifications(%d) = %v, %v; want %v", pt.diff, got, err, pt.want)
		}
	}
	p, err = s.NotifyProgress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&store.NotifyProgress{LastDiff: 4, Updaters: []string{"debian", "ubuntu"}}, p); diff != "" {
		t.Errorf("NotifyProgress (-want +got):\n%s", diff)
	}
	all := []store.Notification{
		notification(digest(1), "CVE-1", store.Added), notification(digest(2), "CVE-1", store.Added),
		notification(digest(1), "CVE-2", store.Removed),
	}
	for i, d := range []int64{3, 3, 4} {
		all[i].ID, all[i].Diff, all[i].Updater = int64(i+1), d, "ubuntu"
	}
	all[2].Updater = "debian"
	checkNotifications(t, s, store.NotificationFilter{Limit: 10}, all)
	checkNotifications(t, s, store.NotificationFilter{After: 1, Limit: 1}, all[1:2])
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Diff: 4}, all[2:])

	n, err := s.AckNotifications(ctx, []int64{2, 3, 99})
	if err != nil || n != 2 {
		t.Errorf("AckNotifications = %d, %v; want 2", n, err)
	}
	if n, err := s.AckNotifications(ctx, []int64{2}); err != nil || n != 0 {
		t.Errorf("AckNotifications again = %d, %v; want 0", n, err)
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Pending: true}, all[:1])
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Pending: true, Diff: 4}, nil)
	got, err := s.Notifications(ctx, store.NotificationFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		if !recent(n.Created) || (n.ID > 1) != recent(n.Delivered) {
			t.Errorf("notification %d: created %v, delivered %v; want recent times, delivered when acked", n.ID, n.Created, n.Delivered)
		}
	}
}

// checkNotifications checks Notifications(f) against want, ignoring the
// times.
func checkNotifications(t *testing.T, s store.Store, f store.NotificationFilter, want []store.Notification) {
	t.Helper()
	got, err := s.Notifications(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(store.Notification{}, "Created", "Delivered")
	if diff := cmp.Diff(want, got, ignore, equateEmpty); diff != "" {
		t.Errorf("Notifications(%+v) (-want +got):\n%s", f, diff)
	}
}

func testVulnerabilitiesByID(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := vuln("debian", "CVE-2014-0160", "debian:12", "openssl")
	b := vuln("debian", "CVE-2014-0160", "debian:11", "openssl")
	c := vuln("osv", "PYSEC-1", "", "requests")
	c.Aliases = []string{"CVE-2014-0160"}
	prefix := vuln("debian", "CVE-2014-01600", "debian:12", "openssl")
	for u, vs := range map[string][]strata.Vulnerability{"debian": {a, b, prefix}, "osv": {c}} {
		if _, err := s.ReplaceVulnerabilities(ctx, u, "fp", vs); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		id   string
		want []strata.Vulnerability
	}{
		{"CVE-2014-0160", []strata.Vulnerability{b, a, c}},
		{"GHSA-CVE-2014-0160", []strata.Vulnerability{b, a}},
		{"PYSEC-1", []strata.Vulnerability{c}},
		{"CVE-2014-016", nil},
	}
	for _, tt := range tests {
		got, err := s.VulnerabilitiesByID(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("VulnerabilitiesByID(%s) (-want +got):\n%s", tt.id, diff)
		}
	}
}
