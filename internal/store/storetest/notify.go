package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testPackageVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, n := range []int{3, 1, 2} {
		r := indexReport(digest(n), digest(10+n))
		if n == 2 {
			r.Distribution = &strata.Distribution{ID: "debian", VersionID: "11"}
			r.Packages[0].Version, r.Packages[0].SourceVersion = "3.0.11-1~deb11u2", "3.0.11-1~deb11u2"
			r.Packages[0].IntroducedIn = "" // not known
		}
		if err := s.PutIndexReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	libssl12, libssl11 := "debian:12 libssl3 3.0.15-1~deb12u1", "debian:11 libssl3 3.0.11-1~deb11u2"
	tests := []struct {
		name string
		keys []store.PackageKey
		want []string // release, name, version; then each holder: manifest, layer
	}{
		{"none", nil, nil},
		{"source name", []store.PackageKey{{Eco: strata.Deb, Release: "debian:12", Name: "openssl"}},
			[]string{libssl12, held(1, 11), held(3, 13)}},
		{"binary name", []store.PackageKey{{Eco: strata.Deb, Release: "debian:11", Name: "libssl3"}},
			[]string{libssl11, string(digest(2)) + " "}},
		{"any of the keys, once", []store.PackageKey{
			{Eco: strata.PyPI, Release: "", Name: "requests"}, {Eco: strata.Deb, Release: "debian:12", Name: "openssl"},
			{Eco: strata.Deb, Release: "debian:12", Name: "libssl3"},
		}, []string{
			" requests 2.31.0", held(1, 11), held(2, 12), held(3, 13),
			libssl12, held(1, 11), held(3, 13),
		}},
		{"other release", []store.PackageKey{{Eco: strata.Deb, Release: "debian:13", Name: "openssl"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, holders(t, s, tt.keys), equateEmpty); diff != "" {
				t.Errorf("PackageVersions(%v) and their manifests (-want +got):\n%s", tt.keys, diff)
			}
		})
	}
	checkCount(t, s, 3)
	r := indexReport(digest(2), digest(12))
	r.Packages = r.Packages[1:] // libssl3 removed from the debian:11 image
	if err := s.PutIndexReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteIndexReport(ctx, digest(1)); err != nil {
		t.Fatal(err)
	}
	checkCount(t, s, 2)
	keys := []store.PackageKey{{Eco: strata.Deb, Release: "debian:12", Name: "openssl"}, {Eco: strata.Deb, Release: "debian:11", Name: "openssl"}}
	if diff := cmp.Diff([]string{libssl12, held(3, 13)}, holders(t, s, keys)); diff != "" {
		t.Errorf("after a replacement and a delete (-want +got):\n%s", diff)
	}
	if ms, err := s.ManifestDigests(ctx, []int64{1 << 40}); err != nil || len(ms) != 0 {
		t.Errorf("ManifestDigests(a number no manifest has) = %v, %v; want none", ms, err)
	}
}

// held is how holders lists that manifest digest(m) holds a package
// version, introduced by layer digest(layer).
func held(m, layer int) string { return fmt.Sprintf("%s %s", digest(m), digest(layer)) }

// holders lists the package versions under keys ("release name version",
// sorted) each followed by its manifests ("manifest layer", sorted),
// checking the stored package fields and that every version has an ID of
// its own.
func holders(t *testing.T, s store.Store, keys []store.PackageKey) []string {
	t.Helper()
	vs, err := s.PackageVersions(t.Context(), keys)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64][]string{}
	var ids []int64
	for _, v := range vs {
		p := v.Package
		want := strata.Package{Name: "requests", Version: "2.31.0", Eco: strata.PyPI}
		if p.Name == "libssl3" {
			want = libssl("")
			want.Version, want.SourceVersion, want.PackageDB = p.Version, p.Version, ""
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("PackageVersions: package (-want +got):\n%s", diff)
		}
		if _, dup := byID[v.ID]; dup || v.ID <= 0 {
			t.Errorf("PackageVersions: ID %d repeated or not positive", v.ID)
		}
		byID[v.ID] = []string{v.Release + " " + p.Name + " " + p.Version}
		ids = append(ids, v.ID)
	}
	var numbers []int64
	digests := map[int64]strata.Digest{}
	err = s.ManifestsWith(t.Context(), ids, true, func(h store.Holding) error {
		byID[h.Version] = append(byID[h.Version], string(h.Digest)+" "+string(h.Layer))
		numbers = append(numbers, h.Manifest)
		digests[h.Manifest] = h.Digest
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same without digests, and the digests of the numbers.
	var again []int64
	err = s.ManifestsWith(t.Context(), ids, false, func(h store.Holding) error {
		if h.Digest != "" || h.Layer != "" {
			t.Errorf("ManifestsWith without digests: %+v", h)
		}
		again = append(again, h.Manifest)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	slices.Sort(again)
	if diff := cmp.Diff(numbers, again); diff != "" {
		t.Errorf("ManifestsWith without digests: manifests (-with +without):\n%s", diff)
	}
	numbers = slices.Compact(numbers)
	ms, err := s.ManifestDigests(t.Context(), numbers)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.Digest != digests[m.ID] || i > 0 && m.ID <= ms[i-1].ID {
			t.Errorf("ManifestDigests: %d %s, want %s, after %d", m.ID, m.Digest, digests[m.ID], ms[max(i-1, 0)].ID)
		}
	}
	if len(ms) != len(digests) {
		t.Errorf("ManifestDigests: %d manifests, want %d", len(ms), len(digests))
	}
	// The same numbers backwards and again, and with a number far
	// beyond them (PostgreSQL reads a range when the numbers fill half of
	// it, looks them up one by one otherwise): the same manifests.
	for _, more := range [][]int64{nil, {1 << 40}} {
		rev := slices.Clone(numbers)
		slices.Reverse(rev)
		got, err := s.ManifestDigests(t.Context(), slices.Concat(rev, numbers, more))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ms, got); diff != "" {
			t.Errorf("ManifestDigests of numbers repeated and %v (-want +got):\n%s", more, diff)
		}
	}
	slices.SortFunc(ids, func(a, b int64) int { return strings.Compare(byID[a][0], byID[b][0]) })
	var out []string
	for _, id := range ids {
		slices.Sort(byID[id][1:])
		out = append(out, byID[id]...)
	}
	return out
}

func checkCount(t *testing.T, s store.Store, want int) {
	t.Helper()
	if n, err := s.CountManifests(t.Context()); err != nil || n != want {
		t.Errorf("CountManifests = %d, %v; want %d", n, err, want)
	}
}

// change is a change to libssl3 of the vulnerability id.
func change(id, reason string) store.Change {
	return store.Change{Vulnerability: id, Package: "libssl3", Version: "3.0.15-1~deb12u1", Reason: reason, Severity: strata.High}
}

// pair is the notification of diff (of updater) about manifest m and c.
func pair(id, diff int64, updater string, m strata.Digest, c store.Change) store.Notification {
	return store.Notification{ID: id, Diff: diff, Updater: updater, Manifest: m, Vulnerability: c.Vulnerability, Aliases: c.Aliases,
		Package: c.Package, Version: c.Version, Reason: c.Reason, Severity: c.Severity}
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
	a1, a2, r3 := change("CVE-1", store.Added), change("CVE-2", store.Added), change("CVE-3", store.Removed)
	a2.Aliases = []string{"DSA-2", "GHSA-2"}
	set := func(changes []int32, ms ...int) store.ChangeSet {
		s := store.ChangeSet{Changes: changes}
		for _, m := range ms {
			s.Manifests = append(s.Manifests, digest(m))
		}
		return s
	}
	puts := []struct {
		diff    int64
		updater string
		n       *store.DiffNotifications
		want    bool
	}{
		{1, "debian", &store.DiffNotifications{}, true},
		{3, "ubuntu", &store.DiffNotifications{Changes: []store.Change{a1, a2},
			Sets: []store.ChangeSet{set([]int32{0, 1}, 1, 2), set([]int32{1}, 3)}}, true},
		{4, "debian", &store.DiffNotifications{Changes: []store.Change{r3}, Sets: []store.ChangeSet{set([]int32{0}, 1)}}, true},
		{3, "ubuntu", &store.DiffNotifications{Changes: []store.Change{a1}, Sets: []store.ChangeSet{set([]int32{0}, 9)}}, false}, // processed before
	}
	for _, pt := range puts {
		got, err := s.PutNotifications(ctx, pt.diff, pt.updater, pt.n)
		if err != nil || got != pt.want {
			t.Errorf("PutNotifications(%d) = %v, %v; want %v", pt.diff, got, err, pt.want)
		}
	}
	bad := &store.DiffNotifications{Changes: []store.Change{a1}, Sets: []store.ChangeSet{set([]int32{1}, 1)}}
	if _, err := s.PutNotifications(ctx, 5, "debian", bad); err == nil || !strings.Contains(err.Error(), "change 1 of 1") {
		t.Errorf("PutNotifications of a set naming a change out of range: %v; want an error saying so", err)
	}
	p, err = s.NotifyProgress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&store.NotifyProgress{LastDiff: 4, Updaters: []string{"debian", "ubuntu"}}, p); diff != "" {
		t.Errorf("NotifyProgress (-want +got):\n%s", diff)
	}
	gs, err := s.NotificationGroups(ctx, store.GroupFilter{Limit: 10})
	if err != nil || len(gs) != 3 {
		t.Fatalf("NotificationGroups = %d groups, %v; want 3", len(gs), err)
	}
	g1, g2, g3 := gs[0].ID, gs[1].ID, gs[2].ID
	if g1 <= 0 || g2 <= g1 || g3 <= g2 {
		t.Fatalf("group IDs %d, %d, %d: want increasing, positive", g1, g2, g3)
	}
	id := store.NotificationID
	all := []store.Notification{
		pair(id(g1, 0), 3, "ubuntu", digest(1), a1), pair(id(g1, 1), 3, "ubuntu", digest(1), a2),
		pair(id(g1, 2), 3, "ubuntu", digest(2), a1), pair(id(g1, 3), 3, "ubuntu", digest(2), a2),
		pair(id(g2, 0), 3, "ubuntu", digest(3), a2),
		pair(id(g3, 0), 4, "debian", digest(1), r3),
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 10}, all)
	checkNotifications(t, s, store.NotificationFilter{After: id(g1, 1), Limit: 3}, all[2:5])
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Diff: 4}, all[5:])

	acks := []struct {
		diff, through int64
		want          int64
	}{
		{3, id(g1, 2), 3}, // the first three pairs of g1
		{3, id(g1, 0), 0}, // acknowledged already
		{4, id(g2, 0), 0}, // diff 4's only group, g3, comes later
		{0, id(g3, 0), 3}, // the last pair of g1, g2's and g3's
		{0, store.LastNotification, 0},
	}
	for _, a := range acks {
		if n, err := s.AckNotifications(ctx, a.diff, a.through); err != nil || n != a.want {
			t.Errorf("AckNotifications(%d, %d) = %d, %v; want %d", a.diff, a.through, n, err, a.want)
		}
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Pending: true}, nil)
	got, err := store.Notifications(ctx, s, store.NotificationFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		if !recent(n.Created) || !recent(n.Delivered) {
			t.Errorf("notification %d: created %v, delivered %v; want recent times", n.ID, n.Created, n.Delivered)
		}
	}
}

// testAckPending: pending lists skip the pairs acknowledged, in every
// diff or in one.
func testAckPending(t *testing.T, s store.Store) {
	ctx := t.Context()
	a1, a2 := change("CVE-1", store.Added), change("CVE-2", store.Added)
	for diff := int64(1); diff <= 2; diff++ {
		n := &store.DiffNotifications{Changes: []store.Change{a1, a2},
			Sets: []store.ChangeSet{{Manifests: []strata.Digest{digest(1), digest(2)}, Changes: []int32{0, 1}}}}
		if _, err := s.PutNotifications(ctx, diff, "debian", n); err != nil {
			t.Fatal(err)
		}
	}
	all, err := store.Notifications(ctx, s, store.NotificationFilter{Limit: 100})
	if err != nil || len(all) != 8 {
		t.Fatalf("Notifications = %d, %v; want 8", len(all), err)
	}
	if n, err := s.AckNotifications(ctx, 2, all[5].ID); err != nil || n != 2 {
		t.Errorf("AckNotifications(2, the second of diff 2) = %d, %v; want 2", n, err)
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 100, Pending: true, Diff: 2}, all[6:])
	checkNotifications(t, s, store.NotificationFilter{After: all[1].ID, Limit: 3, Pending: true}, []store.Notification{all[2], all[3], all[6]})
	if n, err := s.AckNotifications(ctx, 0, store.LastNotification); err != nil || n != 6 {
		t.Errorf("AckNotifications(all) = %d, %v; want 6", n, err)
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 100, Pending: true}, nil)
}

// testLargeGroup: a group of more manifests than a stored group holds is
// split, its notifications listed in order all the same.
func testLargeGroup(t *testing.T, s store.Store) {
	ctx := t.Context()
	n := &store.DiffNotifications{Changes: []store.Change{change("CVE-1", store.Added), change("CVE-2", store.Removed)},
		Sets: []store.ChangeSet{{Changes: []int32{0, 1}}}}
	for i := range store.MaxGroupManifests + 1 {
		n.Sets[0].Manifests = append(n.Sets[0].Manifests, digest(i))
	}
	if _, err := s.PutNotifications(ctx, 1, "debian", n); err != nil {
		t.Fatal(err)
	}
	gs, err := s.NotificationGroups(ctx, store.GroupFilter{Limit: 10, Pending: true, Diff: 1})
	if err != nil || len(gs) != 2 || len(gs[0].Manifests) != store.MaxGroupManifests || len(gs[1].Manifests) != 1 {
		t.Fatalf("NotificationGroups = %d groups, %v; want the group split after %d manifests", len(gs), err, store.MaxGroupManifests)
	}
	ns, err := store.Notifications(ctx, s, store.NotificationFilter{Limit: 3 * store.MaxGroupManifests})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, fmt.Sprintf("%s %s", n.Manifest, n.Vulnerability))
	}
	var want []string
	for _, m := range n.Sets[0].Manifests {
		want = append(want, string(m)+" CVE-1", string(m)+" CVE-2")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Notifications (-want +got):\n%s", diff)
	}
}

// checkNotifications checks Notifications(f) against want, ignoring the
// times.
func checkNotifications(t *testing.T, s store.Store, f store.NotificationFilter, want []store.Notification) {
	t.Helper()
	got, err := store.Notifications(t.Context(), s, f)
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
	// The keys of tests are ids separated by spaces.
	check := func(when string, tests map[string][]strata.Vulnerability) {
		t.Helper()
		for ids, want := range tests {
			got, err := s.VulnerabilitiesByID(ctx, strings.Fields(ids)...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
				t.Errorf("%s: VulnerabilitiesByID(%s) (-want +got):\n%s", when, ids, diff)
			}
		}
	}
	check("stored", map[string][]strata.Vulnerability{
		"CVE-2014-0160":      {b, a, c},
		"GHSA-CVE-2014-0160": {b, a},
		"PYSEC-1":            {c},
		"CVE-2014-016":       nil,
		"":                   nil,
		// Each record once, however many of the ids name it.
		"PYSEC-1 CVE-2014-01600 GHSA-CVE-2014-0160 PYSEC-1 CVE-2014-0160": {prefix, b, a, c},
		"CVE-2014-016 PYSEC-1": {c},
	})
	// Aliases that change or go away with their record are not found.
	a.Aliases = []string{"DSA-1"}
	if _, err := s.ReplaceVulnerabilities(ctx, "debian", "fp2", []strata.Vulnerability{a, prefix}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceVulnerabilities(ctx, "osv", "fp2", nil); err != nil {
		t.Fatal(err)
	}
	check("replaced", map[string][]strata.Vulnerability{
		"CVE-2014-0160":      {a},
		"GHSA-CVE-2014-0160": nil,
		"DSA-1":              {a},
		"PYSEC-1":            nil,
	})
}

// testDeleteDropsNotifications: deleting an image drops its pending
// notifications, in every group naming it, from pending and full lists
// alike, even once the group is acknowledged; those delivered before stay
// listed, and indexing the image again brings none back.
func testDeleteDropsNotifications(t *testing.T, s store.Store) {
	ctx := t.Context()
	for n := 1; n <= 3; n++ {
		if err := s.PutIndexReport(ctx, indexReport(digest(n), digest(10+n))); err != nil {
			t.Fatal(err)
		}
	}
	a1, a2 := change("CVE-1", store.Added), change("CVE-2", store.Added)
	puts := []*store.DiffNotifications{
		{Changes: []store.Change{a1, a2}, Sets: []store.ChangeSet{{Manifests: []strata.Digest{digest(1), digest(2), digest(3)}, Changes: []int32{0, 1}}}},
		{Changes: []store.Change{a1}, Sets: []store.ChangeSet{{Manifests: []strata.Digest{digest(1), digest(3)}, Changes: []int32{0}}}},
	}
	for i, n := range puts {
		if _, err := s.PutNotifications(ctx, int64(i+1), "debian", n); err != nil {
			t.Fatal(err)
		}
	}
	gs, err := s.NotificationGroups(ctx, store.GroupFilter{Limit: 10})
	if err != nil || len(gs) != 2 {
		t.Fatalf("NotificationGroups = %d groups, %v; want 2", len(gs), err)
	}
	g1, g2 := gs[0].ID, gs[1].ID
	id := store.NotificationID
	if n, err := s.AckNotifications(ctx, 1, id(g1, 2)); err != nil || n != 3 { // image 1's, and image 2's first
		t.Fatalf("AckNotifications(1, %d) = %d, %v; want 3", id(g1, 2), n, err)
	}
	for _, m := range []strata.Digest{digest(2), digest(3)} {
		if err := s.DeleteIndexReport(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	gs, err = s.NotificationGroups(ctx, store.GroupFilter{Limit: 10})
	if err != nil || len(gs) != 2 {
		t.Fatalf("NotificationGroups after the deletions = %d groups, %v; want 2", len(gs), err)
	}
	if diff := cmp.Diff([]map[int64]int64{{1: 3, 2: 3}, {1: 0}}, []map[int64]int64{gs[0].Deleted, gs[1].Deleted}); diff != "" {
		t.Errorf("Deleted of the groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]strata.Digest{digest(1), digest(2), digest(3)}, gs[0].Manifests); diff != "" {
		t.Errorf("Manifests of the first group (-want +got):\n%s", diff)
	}
	listed := []store.Notification{
		pair(id(g1, 0), 1, "debian", digest(1), a1), pair(id(g1, 1), 1, "debian", digest(1), a2),
		pair(id(g1, 2), 1, "debian", digest(2), a1), // delivered before image 2 was deleted
		pair(id(g2, 0), 2, "debian", digest(1), a1),
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Pending: true}, listed[3:])
	checkNotifications(t, s, store.NotificationFilter{Limit: 10}, listed)
	if err := s.PutIndexReport(ctx, indexReport(digest(3), digest(13))); err != nil {
		t.Fatal(err)
	}
	// Acknowledging every pair, dropped ones included, drops nothing more
	// and brings none back.
	if n, err := s.AckNotifications(ctx, 0, store.LastNotification); err != nil || n != 5 {
		t.Errorf("AckNotifications(all) = %d, %v; want 5 (the dropped pairs counted)", n, err)
	}
	checkNotifications(t, s, store.NotificationFilter{Limit: 10, Pending: true}, nil)
	checkNotifications(t, s, store.NotificationFilter{Limit: 10}, listed)
}
