package notify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

const manifest = strata.Digest("sha256:0000000000000000000000000000000000000000000000000000000000000001")

// record is a debian:12 record of id on the source (or binary) package
// pkg, fixed in fixed.
func record(id, pkg, fixed string) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Eco: strata.Deb, Release: "debian:12", Package: pkg, SourcePackage: pkg == "openssl",
		Ranges: []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: fixed}}}},
		State:  strata.Fixed, FixedVersion: fixed, Severity: strata.High,
	}
}

// openStore opens a fresh SQLite store, closed when the test ends.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// bookworm is a debian:12 image of manifest m, of the layers sha256:0a
// and sha256:0b, holding pkgs.
func bookworm(m strata.Digest, pkgs ...strata.Package) *strata.IndexReport {
	return &strata.IndexReport{ManifestDigest: m, Distribution: &strata.Distribution{ID: "debian", VersionID: "12"},
		Layers: []strata.Layer{{Digest: "sha256:0a"}, {Digest: "sha256:0b"}}, Packages: pkgs}
}

var libssl3 = strata.Package{Name: "libssl3", Version: "3.0.15-1~deb12u1", Eco: strata.Deb,
	SourceName: "openssl", SourceVersion: "3.0.15-1~deb12u1", IntroducedIn: "sha256:0a"}

func TestNotifier(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	if err := st.PutIndexReport(ctx, bookworm(manifest, libssl3)); err != nil {
		t.Fatal(err)
	}
	a, b, c := record("CVE-A", "openssl", "3.0.16-1"), record("CVE-B", "openssl", "3.0.16-1"), record("CVE-C", "openssl", "3.0.1-1")
	aFixed, bBinary := record("CVE-A", "openssl", "3.0.0-1"), record("CVE-B", "libssl3", "3.0.16-1")
	note := func(id, reason string) []*store.DiffNotifications {
		return []*store.DiffNotifications{{
			Changes: []store.Change{{Vulnerability: id, Package: "libssl3", Version: "3.0.15-1~deb12u1", Reason: reason, Severity: strata.High}},
			Sets:    []store.ChangeSet{{Manifests: []strata.Digest{manifest}, Changes: []int32{0}}},
		}}
	}
	none := []*store.DiffNotifications{{}}
	steps := []struct {
		name  string
		vulns []strata.Vulnerability
		want  []*store.DiffNotifications
	}{
		{"baseline", []strata.Vulnerability{a}, nil},
		{"a new record affects, another does not", []strata.Vulnerability{a, b, c}, note("CVE-B", store.Added)},
		{"a changed record no longer affects", []strata.Vulnerability{aFixed, b, c}, note("CVE-A", store.Removed)},
		{"affected before through another record", []strata.Vulnerability{aFixed, b, bBinary, c}, none},
		{"every record of the vulnerability removed", []strata.Vulnerability{aFixed, c}, note("CVE-B", store.Removed)},
	}
	n := &Notifier{Store: st, Index: st}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if _, err := st.ReplaceVulnerabilities(ctx, "debian", s.name, s.vulns); err != nil {
				t.Fatal(err)
			}
			sum, err := n.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.want, sum.Recorded, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("notifications (-want +got):\n%s", diff)
			}
			if sum.Diffs != 1 {
				t.Errorf("diffs processed = %d, want 1", sum.Diffs)
			}
			again, err := n.Run(ctx)
			if err != nil || again.Diffs != 0 {
				t.Errorf("second run: %+v, %v; want nothing processed", again, err)
			}
		})
	}
}

// Records of one package that are the same vulnerability (an id in
// common, the same CVEs: strata.Vulnerability.SameAs), in one feed or two,
// are one vulnerability, as reports show them: a second record of a
// vulnerability that already affects the image is not news, and one of
// two records going away while the other stays is not a removal. A
// notification gives the vulnerability's other ids, so that the removal
// of DLA-9 is seen to be that of the CVE-B added before.
func TestNotifierSameVulnerability(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	if err := st.PutIndexReport(ctx, bookworm(manifest, libssl3)); err != nil {
		t.Fatal(err)
	}
	aliased := func(id string, aliases ...string) strata.Vulnerability {
		v := record(id, "openssl", "3.0.16-1")
		v.Aliases = aliases
		return v
	}
	cveA, dsa1, dsa2 := aliased("CVE-A"), aliased("DSA-1", "CVE-A"), aliased("DSA-2", "CVE-A", "CVE-X")
	cveB, dla9 := aliased("CVE-B"), aliased("DLA-9", "CVE-B")
	zlib := record("DSA-0", "zlib", "1:1.3-1") // of a package the image does not hold
	note := func(id, reason string, aliases ...string) []*store.DiffNotifications {
		return []*store.DiffNotifications{{
			Changes: []store.Change{{Vulnerability: id, Aliases: aliases, Package: "libssl3", Version: "3.0.15-1~deb12u1", Reason: reason, Severity: strata.High}},
			Sets:    []store.ChangeSet{{Manifests: []strata.Digest{manifest}, Changes: []int32{0}}},
		}}
	}
	none := []*store.DiffNotifications{{}}
	steps := []struct {
		name, updater string
		vulns         []strata.Vulnerability
		want          []*store.DiffNotifications
	}{
		{"tracker baseline", "tracker", []strata.Vulnerability{cveA}, nil},
		{"advisories baseline", "advisories", []strata.Vulnerability{zlib}, nil},
		{"an advisory of a CVE that affects already", "advisories", []strata.Vulnerability{zlib, dsa1}, none},
		{"an advisory of two CVEs is another vulnerability", "advisories", []strata.Vulnerability{zlib, dsa1, dsa2}, note("DSA-2", store.Added, "CVE-A", "CVE-X")},
		{"the CVE record goes, its advisory stays", "tracker", []strata.Vulnerability{}, none},
		{"two new records of one vulnerability: the smaller id", "tracker", []strata.Vulnerability{cveB, dla9}, note("CVE-B", store.Added, "DLA-9")},
		{"one of the two goes", "tracker", []strata.Vulnerability{dla9}, none},
		{"the other goes", "tracker", []strata.Vulnerability{}, note("DLA-9", store.Removed, "CVE-B")},
	}
	n := &Notifier{Store: st, Index: st}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if _, err := st.ReplaceVulnerabilities(ctx, s.updater, s.name, s.vulns); err != nil {
				t.Fatal(err)
			}
			sum, err := n.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.want, sum.Recorded, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("notifications (-want +got):\n%s", diff)
			}
		})
	}
}

// TestComputeGroups: images that hold the same affected versions share a
// group; a vulnerability is notified once per image, with its first
// package and its highest severity.
func TestComputeGroups(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	openssl := libssl3
	openssl.Name = "openssl"
	zlib := strata.Package{Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Eco: strata.Deb, SourceName: "zlib", SourceVersion: "1:1.2.13.dfsg-1"}
	images := [][]strata.Package{{libssl3, openssl}, {libssl3, openssl, zlib}, {openssl, libssl3}, {zlib}, {openssl}}
	for i, pkgs := range images {
		if err := st.PutIndexReport(ctx, bookworm(digestOf(i), pkgs...)); err != nil {
			t.Fatal(err)
		}
	}
	base, onZlib := record("CVE-0", "zlib", "1:1.2.13.dfsg-2"), record("CVE-2", "zlib", "1:1.2.13.dfsg-2")
	base.SourcePackage, onZlib.SourcePackage = true, true
	if _, err := st.ReplaceVulnerabilities(ctx, "debian", "1", []strata.Vulnerability{base}); err != nil {
		t.Fatal(err)
	}
	critical := record("CVE-1", "openssl", "3.0.16-1")
	critical.Severity = strata.Critical
	onBinary := record("CVE-1", "libssl3", "3.0.16-1") // High, on the binary package
	d, err := st.ReplaceVulnerabilities(ctx, "debian", "2", []strata.Vulnerability{base, critical, onBinary, onZlib})
	if err != nil {
		t.Fatal(err)
	}
	dn, err := (&Notifier{Store: st, Index: st}).Compute(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	cve1 := store.Change{Vulnerability: "CVE-1", Package: "libssl3", Version: libssl3.Version, Reason: store.Added, Severity: strata.Critical}
	cve1openssl := cve1
	cve1openssl.Package = "openssl"
	cve2 := store.Change{Vulnerability: "CVE-2", Package: "zlib1g", Version: zlib.Version, Reason: store.Added, Severity: strata.High}
	want := []store.NotificationGroup{
		{Manifests: []strata.Digest{digestOf(0), digestOf(2)}, Changes: []store.Change{cve1}},
		{Manifests: []strata.Digest{digestOf(1)}, Changes: []store.Change{cve1, cve2}},
		{Manifests: []strata.Digest{digestOf(3)}, Changes: []store.Change{cve2}},
		{Manifests: []strata.Digest{digestOf(4)}, Changes: []store.Change{cve1openssl}},
	}
	if diff := cmp.Diff(want, resolve(dn)); diff != "" {
		t.Errorf("Compute (-want +got):\n%s", diff)
	}
}

// resolve returns the sets of dn with their changes.
func resolve(dn *store.DiffNotifications) []store.NotificationGroup {
	var gs []store.NotificationGroup
	for _, s := range dn.Sets {
		g := store.NotificationGroup{Manifests: s.Manifests}
		for _, c := range s.Changes {
			g.Changes = append(g.Changes, dn.Changes[c])
		}
		gs = append(gs, g)
	}
	return gs
}

func digestOf(i int) strata.Digest { return strata.Digest(fmt.Sprintf("sha256:%064x", i)) }

// TestComputeMatchesFullMatch updates random feeds over random images and
// checks that the notifications of each diff are exactly the (image,
// vulnerability) pairs that matching every whole image before and after
// the update finds gained or lost, with the first package and highest
// severity of their findings.
func TestComputeMatchesFullMatch(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	rng := rand.New(rand.NewPCG(6, 1))
	sources := []string{"a", "b", "c", "d"}
	var reports []*strata.IndexReport
	for i := range 30 {
		var pkgs []strata.Package
		for _, src := range sources {
			if rng.IntN(3) == 0 {
				continue
			}
			v := fmt.Sprintf("1.%d-1", rng.IntN(4))
			pkgs = append(pkgs, strata.Package{Name: "lib" + src, Version: v, Eco: strata.Deb, SourceName: src, SourceVersion: v},
				strata.Package{Name: src + "-bin", Version: v, Eco: strata.Deb, SourceName: src, SourceVersion: v})
		}
		r := bookworm(digestOf(i), pkgs...)
		if i%7 == 0 {
			r.Distribution.VersionID = "11"
		}
		reports = append(reports, r)
		if err := st.PutIndexReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	feed := func() []strata.Vulnerability {
		var vs []strata.Vulnerability
		for range 12 {
			pkg := sources[rng.IntN(len(sources))]
			if rng.IntN(2) == 0 {
				pkg = "lib" + pkg // a record on a binary package
			}
			v := record(fmt.Sprintf("CVE-%d", rng.IntN(8)), pkg, fmt.Sprintf("1.%d-1", rng.IntN(5)))
			v.SourcePackage = !slices.Contains([]string{"liba", "libb", "libc", "libd"}, pkg)
			v.Severity = strata.Severity(rng.IntN(6))
			vs = append(vs, v)
		}
		return vs
	}
	n := &Notifier{Store: st, Index: st}
	total := 0
	for step := range 16 {
		updater := []string{"debian", "other"}[step%2]
		before := fullMatch(t, st, reports)
		if _, err := st.ReplaceVulnerabilities(ctx, updater, fmt.Sprint(step), feed()); err != nil {
			t.Fatal(err)
		}
		after := fullMatch(t, st, reports)
		sum, err := n.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for p, f := range after {
			if _, ok := before[p]; !ok {
				want[p+" added "+f] = true
			}
		}
		for p, f := range before {
			if _, ok := after[p]; !ok {
				want[p+" removed "+f] = true
			}
		}
		got := map[string]bool{}
		for _, dn := range sum.Recorded {
			for _, g := range resolve(dn) {
				for _, m := range g.Manifests {
					for _, c := range g.Changes {
						got[fmt.Sprintf("%s %s %s %s %s %s", m, c.Vulnerability, c.Reason, c.Package, c.Version, c.Severity)] = true
					}
				}
			}
		}
		if step < 2 { // the baselines
			want = map[string]bool{}
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("step %d: notifications (-full match +Compute):\n%s", step, diff)
		}
		total += len(got)
	}
	if total < 50 {
		t.Errorf("only %d notifications over all steps: the test proves little", total)
	}
}

// fullMatch matches every report against the store and returns, per
// "manifest vulnerability", "package version severity" of the first
// finding, with the highest severity of that vulnerability's findings.
func fullMatch(t *testing.T, st match.Source, reports []*strata.IndexReport) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range reports {
		res, err := match.Match(context.Background(), st, r, nil)
		if err != nil {
			t.Fatal(err)
		}
		first := map[string]strata.Finding{}
		for _, f := range res.Findings {
			p, ok := first[f.Vulnerability.ID]
			if !ok {
				p = f
			}
			p.Vulnerability.Severity = max(p.Vulnerability.Severity, f.Vulnerability.Severity)
			first[f.Vulnerability.ID] = p
		}
		for id, f := range first {
			out[string(r.ManifestDigest)+" "+id] = fmt.Sprintf("%s %s %s", f.Package.Name, f.Package.Version, f.Vulnerability.Severity)
		}
	}
	return out
}

func TestAffected(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	old := libssl3
	old.Version, old.SourceVersion, old.IntroducedIn = "3.0.9-1", "3.0.9-1", "sha256:0b"
	for i, pkgs := range [][]strata.Package{{libssl3}, {old}, {libssl3, {Name: "zlib1g", Version: "1", Eco: strata.Deb}}, nil} {
		if err := st.PutIndexReport(ctx, bookworm(digestOf(i), pkgs...)); err != nil {
			t.Fatal(err)
		}
	}
	dsa := record("DSA-1", "openssl", "3.0.10-1")
	dsa.Aliases = []string{"CVE-1"}
	cve := record("CVE-1", "libssl3", "3.0.16-1")
	if _, err := st.ReplaceVulnerabilities(ctx, "debian", "1", []strata.Vulnerability{dsa, cve}); err != nil {
		t.Fatal(err)
	}
	ar, err := Affected(ctx, st, "CVE-1")
	if err != nil {
		t.Fatal(err)
	}
	pkg := func(p strata.Package, recs ...string) AffectedPackage {
		return AffectedPackage{Name: p.Name, Version: p.Version, Layer: p.IntroducedIn, Records: recs}
	}
	want := &AffectedReport{
		Vulnerability: "CVE-1", Records: []string{"CVE-1", "DSA-1"}, Indexed: 4, Share: 0.75,
		Images: []AffectedImage{
			{Manifest: digestOf(0), Packages: []AffectedPackage{pkg(libssl3, "CVE-1")}},
			{Manifest: digestOf(1), Packages: []AffectedPackage{pkg(old, "CVE-1", "DSA-1")}},
			{Manifest: digestOf(2), Packages: []AffectedPackage{pkg(libssl3, "CVE-1")}},
		},
	}
	if diff := cmp.Diff(want, ar); diff != "" {
		t.Errorf("Affected(CVE-1) (-want +got):\n%s", diff)
	}
	if _, err := Affected(ctx, st, "CVE-2"); err == nil {
		t.Error("Affected(an unknown id) succeeded")
	}
}

// Asked for either of two records that are the same vulnerability (a
// PYSEC record naming its GHSA twin, which names only the CVE), affected
// lists both, one row per package.
func TestAffectedSameVulnerability(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	if err := st.PutIndexReport(ctx, bookworm(manifest, libssl3)); err != nil {
		t.Fatal(err)
	}
	pysec, ghsa := record("PYSEC-1", "openssl", "3.0.16-1"), record("GHSA-1", "openssl", "3.0.16-1")
	pysec.Aliases, ghsa.Aliases = []string{"CVE-9", "GHSA-1"}, []string{"CVE-9"}
	if _, err := st.ReplaceVulnerabilities(ctx, "osv", "1", []strata.Vulnerability{pysec, ghsa}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"PYSEC-1", "GHSA-1", "CVE-9"} {
		ar, err := Affected(ctx, st, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []AffectedImage{{Manifest: manifest, Packages: []AffectedPackage{
			{Name: "libssl3", Version: libssl3.Version, Layer: libssl3.IntroducedIn, Records: []string{"GHSA-1", "PYSEC-1"}},
		}}}
		if diff := cmp.Diff(want, ar.Images); diff != "" || !slices.Equal(ar.Records, []string{"GHSA-1", "PYSEC-1"}) {
			t.Errorf("Affected(%s): records %v; images (-want +got):\n%s", id, ar.Records, diff)
		}
	}
}

// A package version stored with its release alone matches as in an
// image of that release.
func TestReleaseDistribution(t *testing.T) {
	for _, d := range []*strata.Distribution{
		nil, {ID: "debian", VersionID: "12"}, {ID: "debian", VersionCodename: "trixie"}, {ID: "alpine", VersionID: "3.19.4"},
		{ID: "alpine", VersionID: "3.20_alpha20240101"}, {ID: "rhel", VersionID: "9.4"}, {ID: "wolfi", VersionID: "20230201"},
		{ID: "ubuntu", VersionID: "22.04"}, {ID: "plan9"},
	} {
		release := d.Release()
		if got := releaseDistribution(release).Release(); got != release {
			t.Errorf("releaseDistribution(%q).Release() = %q", release, got)
		}
	}
}

// TestComputeWorkers: the notifications are the same whatever the number
// of workers that share the images.
func TestComputeWorkers(t *testing.T) {
	ctx := t.Context()
	st := openStore(t)
	rng := rand.New(rand.NewPCG(7, 1))
	for i := range 40 {
		var pkgs []strata.Package
		for _, src := range []string{"a", "b", "c"} {
			v := fmt.Sprintf("1.%d-1", rng.IntN(3))
			pkgs = append(pkgs, strata.Package{Name: "lib" + src, Version: v, Eco: strata.Deb, SourceName: src, SourceVersion: v})
		}
		if err := st.PutIndexReport(ctx, bookworm(digestOf(i), pkgs[:1+rng.IntN(3)]...)); err != nil {
			t.Fatal(err)
		}
	}
	var d *strata.UpdateDiff
	for step := range 2 {
		var vs []strata.Vulnerability
		for i := range 6 + 6*step {
			v := record(fmt.Sprintf("CVE-%d", i), []string{"a", "b", "c", "libc"}[i%4], fmt.Sprintf("1.%d-1", 1+i%3))
			v.SourcePackage = i%4 != 3
			vs = append(vs, v)
		}
		var err error
		if d, err = st.ReplaceVulnerabilities(ctx, "debian", fmt.Sprint(step), vs); err != nil {
			t.Fatal(err)
		}
	}
	one, err := compute(ctx, st, d, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Sets) < 3 {
		t.Fatalf("%d sets: the test proves little", len(one.Sets))
	}
	for _, workers := range []int{2, 3, 7} {
		got, err := compute(ctx, st, d, workers)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(resolve(one), resolve(got)); diff != "" {
			t.Errorf("%d workers (-one +got):\n%s", workers, diff)
		}
	}
}

func TestSplit(t *testing.T) {
	held := func(manifests ...uint64) []uint64 {
		var hs []uint64
		for i, m := range manifests {
			hs = append(hs, m<<versionBits|uint64(i))
		}
		return hs
	}
	tests := []struct {
		held []uint64
		n    int
		want []int // the length of each part
	}{
		{nil, 2, []int{0}},
		{held(1, 2, 3, 4), 1, []int{4}},
		{held(1, 2, 3, 4), 2, []int{2, 2}},
		{held(1, 1, 1, 2), 2, []int{3, 1}}, // a manifest's holdings stay together
		{held(1, 1, 1, 1), 2, []int{4, 0}},
		{held(1, 2, 3), 5, []int{0, 0, 1, 1, 1}},
	}
	for _, tt := range tests {
		var got []int
		for _, p := range split(tt.held, tt.n) {
			got = append(got, len(p))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("split(%x, %d): part lengths (-want +got):\n%s", tt.held, tt.n, diff)
		}
	}
}
