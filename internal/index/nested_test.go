package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// A library of a jar nested in a war keeps its inner path and how it was
// named through the merge, and goes with the war: a war rewritten in an
// upper layer replaces its libraries, a war whited out removes them, and
// an OS package that owns the war owns them.
func TestMergeNested(t *testing.T) {
	const war = "usr/share/jenkins/jenkins.war"
	lib := func(name, inner string, how strata.Identification) strata.Package {
		return strata.Package{Name: name, Version: "1.0", Eco: strata.Maven, PackageDB: war, Nested: inner, Identified: how}
	}
	a := lib("org.example:a", "WEB-INF/lib/a-1.0.jar", "")
	b := lib("b", "WEB-INF/lib/plugins.ear!/lib/b-1.0.jar", strata.IdentifiedByFileName)
	jenkins := deb("jenkins", "2.440", status)
	l1 := layerReports{digest: "L1", scanners: []*strata.LayerReport{
		{Databases: []string{status}, Packages: []strata.Package{jenkins}, Owned: map[string]string{war: "deb/jenkins"}},
		{Databases: []string{war}, Packages: []strata.Package{a}},
	}}
	tests := []struct {
		name   string
		layers []layerReports
		want   []strata.Package
	}{
		{"war rewritten", []layerReports{l1, {digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{war}, Packages: []strata.Package{b}}}}},
			[]strata.Package{in(jenkins, "L1"), owned(in(b, "L2"), "deb/jenkins")}},
		{"war whited out", []layerReports{l1, {digest: "L2", walk: &strata.LayerReport{Whiteouts: []string{war}}}},
			[]strata.Package{in(jenkins, "L1")}},
		{"war kept", []layerReports{l1, {digest: "L2", scanners: []*strata.LayerReport{{Databases: []string{war}, Packages: []strata.Package{a, b}}}}},
			[]strata.Package{in(jenkins, "L1"), owned(in(b, "L2"), "deb/jenkins"), owned(in(a, "L1"), "deb/jenkins")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := merge(tt.layers)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}
