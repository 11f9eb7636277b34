package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

func deb(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.Deb, PackageDB: db}
}

func in(p strata.Package, l strata.Digest) strata.Package {
	p.IntroducedIn = l
	return p
}

const (
	status = "var/lib/dpkg/status"
	sixDB  = "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO"
	pipDB  = "usr/local/lib/python3.11/dist-packages/flask-3.0.0.dist-info/METADATA"
)

func pypi(name, db string) strata.Package {
	return strata.Package{Name: name, Version: "1", Eco: strata.PyPI, PackageDB: db}
}

func owned(p strata.Package, owner string) strata.Package {
	p.OwnedBy = owner
	return p
}

const rpmDB = "var/lib/rpm/rpmdb.sqlite"

func rpm(name string) strata.Package {
	return strata.Package{Name: name, Version: "1-1.el9", Eco: strata.RPM, PackageDB: rpmDB}
}

func from(p strata.Package, repos ...string) strata.Package {
	p.Repositories = repos
	return p
}

func TestMerge(t *testing.T) {
	bookworm := &strata.Distribution{ID: "debian", VersionID: "12"}
	trixie := &strata.Distribution{ID: "debian", VersionID: "13"}
	tests := []struct {
		name     string
		layers   []layerReports
		wantDist *strata.Distribution
		want     []strata.Package
	}{{
		name: "upper layer adds a package and keeps the lower one's attribution",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Distribution: bookworm, Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status), deb("b", "1", status)}}}},
			{digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status), deb("b", "1", status), deb("c", "1", status)}}}},
		},
		wantDist: bookworm,
		want:     []strata.Package{in(deb("a", "1", status), "L1"), in(deb("b", "1", status), "L1"), in(deb("c", "1", status), "L2")},
	}, {
		name: "a package keeps the repositories of the layer that installed it",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{rpmDB}, Packages: []strata.Package{from(rpm("a"), "baseos")}}}},
			{digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{rpmDB}, Packages: []strata.Package{from(rpm("a"), "appstream"), from(rpm("b"), "appstream")}}}},
		},
		want: []strata.Package{in(from(rpm("a"), "baseos"), "L1"), in(from(rpm("b"), "appstream"), "L2")},
	}, {
		name: "a rewritten database replaces the lower one: removed and upgraded packages",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status), deb("b", "1", status)}}}},
			{digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "2", status)}}}},
		},
		want: []strata.Package{in(deb("a", "2", status), "L2")},
	}, {
		name: "a layer without the database leaves it alone; the upper distribution wins",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Distribution: bookworm, Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status)}}}},
			{digest: "L2", scanners: []*strata.LayerReport{{Distribution: trixie}}},
		},
		wantDist: trixie,
		want:     []strata.Package{in(deb("a", "1", status), "L1")},
	}, {
		name: "a whiteout of the database file removes its packages",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status)}}}},
			{digest: "L2", walk: &strata.LayerReport{Whiteouts: []string{status}}},
		},
	}, {
		name: "a whiteout of a parent directory removes the databases below it",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{"var/lib/dpkg/status.d/x"}, Packages: []strata.Package{deb("x", "1", "var/lib/dpkg/status.d/x")}}}},
			{digest: "L2", walk: &strata.LayerReport{Whiteouts: []string{"var/lib"}}},
		},
	}, {
		name: "an opaque directory hides lower databases, and the layer's own database counts",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{"var/lib/dpkg/status.d/x", "var/lib/dpkg/status.d/y"}, Packages: []strata.Package{deb("x", "1", "var/lib/dpkg/status.d/x"), deb("y", "1", "var/lib/dpkg/status.d/y")}}}},
			{digest: "L2", walk: &strata.LayerReport{Opaques: []string{"var/lib/dpkg/status.d"}}, scanners: []*strata.LayerReport{{Databases: []string{"var/lib/dpkg/status.d/y"}, Packages: []strata.Package{deb("y", "1", "var/lib/dpkg/status.d/y")}}}},
		},
		want: []strata.Package{in(deb("y", "1", "var/lib/dpkg/status.d/y"), "L2")},
	}, {
		name: "an opaque root hides every lower database",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status, "lib/apk/db/installed"}, Packages: []strata.Package{deb("a", "1", status), deb("b", "1", "lib/apk/db/installed")}}}},
			{digest: "L2", walk: &strata.LayerReport{Opaques: []string{"."}}},
		},
	}, {
		name: "an opaque path that is the database itself leaves it (a link at the database's path)",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status)}}}},
			{digest: "L2", walk: &strata.LayerReport{Opaques: []string{status, "var/lib/dpkg/status.d"}}},
		},
		want: []strata.Package{in(deb("a", "1", status), "L1")},
	}, {
		name: "a whiteout of a sibling with a common prefix does not remove the database",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("a", "1", status)}}}},
			{digest: "L2", walk: &strata.LayerReport{Whiteouts: []string{"var/lib/dpkg/stat", "var/lib/dpkg/status-old"}}},
		},
		want: []strata.Package{in(deb("a", "1", status), "L1")},
	}, {
		name: "a language package whose file a present Debian package lists is owned by it, whatever the layer",
		layers: []layerReports{
			{digest: "L1", scanners: []*strata.LayerReport{{Databases: []string{status}, Packages: []strata.Package{deb("python3-six", "1.16.0-4", status)},
				Owned: map[string]string{sixDB: "deb/python3-six", "usr/bin/gone": "deb/gone"}}}},
			{digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{sixDB, pipDB, "usr/bin/gone"}, Packages: []strata.Package{pypi("six", sixDB), pypi("flask", pipDB), pypi("gone", "usr/bin/gone")}}}},
		},
		want: []strata.Package{
			in(deb("python3-six", "1.16.0-4", status), "L1"),
			in(pypi("flask", pipDB), "L2"),
			in(pypi("gone", "usr/bin/gone"), "L2"), // its owner is not installed: no owner
			owned(in(pypi("six", sixDB), "L2"), "deb/python3-six"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dist, got := merge(tt.layers)
			if diff := cmp.Diff(tt.wantDist, dist); diff != "" {
				t.Errorf("distribution (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}
