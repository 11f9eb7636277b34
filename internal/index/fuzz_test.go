package index

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// fuzzPaths are the paths the fuzzed layers use, few so that whiteouts,
// opaque directories and databases meet.
var fuzzPaths = []string{
	".", "var", "var/lib", "var/lib/dpkg", status, "var/lib/dpkg/status.d",
	"var/lib/dpkg/status.d/a", "var/lib/dpkg/status.d/b", "lib", "lib/apk/db/installed",
}

// decodeLayers turns bytes into layer reports, two bytes an operation: a
// new layer, a whiteout, an opaque directory, a database with a package,
// or a distribution, on one of fuzzPaths.
func decodeLayers(b []byte) []layerReports {
	layers := []layerReports{{digest: "L1", walk: &strata.LayerReport{}, scanners: []*strata.LayerReport{{}}}}
	for i := 0; i+1 < len(b); i += 2 {
		l := &layers[len(layers)-1]
		p := fuzzPaths[int(b[i+1])%len(fuzzPaths)]
		r := l.scanners[0]
		switch b[i] % 5 {
		case 0:
			layers = append(layers, layerReports{digest: strata.Digest(fmt.Sprintf("L%d", len(layers)+1)), walk: &strata.LayerReport{}, scanners: []*strata.LayerReport{{}}})
		case 1:
			l.walk.Whiteouts = append(l.walk.Whiteouts, p)
		case 2:
			l.walk.Opaques = append(l.walk.Opaques, p)
		case 3:
			if p != "." {
				r.Databases = append(r.Databases, p)
				r.Packages = append(r.Packages, deb(fmt.Sprintf("p%d", b[i+1]%4), fmt.Sprint(b[i+1]/40), p))
			}
		case 4:
			r.Distribution = &strata.Distribution{ID: "debian", VersionID: fmt.Sprint(b[i+1] % 3)}
		}
	}
	return layers
}

// FuzzMerge merges random layers: no panic, the same result every time,
// sorted; every package comes from a database some layer listed and names
// one of the layers; what the top layer deletes or hides and does not
// list again is gone; what it lists is there as it lists it.
func FuzzMerge(f *testing.F) {
	f.Add([]byte{3, 4, 3, 6, 0, 0, 1, 3})       // a database, then its directory whited out
	f.Add([]byte{3, 6, 3, 7, 0, 0, 2, 5, 3, 7}) // status.d made opaque, b listed again
	f.Add([]byte{3, 4, 4, 1, 0, 0, 3, 4, 4, 2}) // a database replaced, distribution upgraded
	f.Add([]byte{3, 9, 0, 0, 2, 0})             // an opaque root
	f.Fuzz(func(t *testing.T, b []byte) {
		layers := decodeLayers(b)
		dist, got := merge(layers)
		dist2, again := merge(decodeLayers(b))
		if diff := cmp.Diff(got, again); diff != "" || !cmp.Equal(dist, dist2) {
			t.Fatalf("merge is not deterministic:\n%s", diff)
		}
		if !slices.IsSortedFunc(got, comparePackages) {
			t.Errorf("packages not sorted: %v", got)
		}
		top := layers[len(layers)-1]
		listed := map[string][]strata.Package{}
		for _, l := range layers {
			for _, db := range l.scanners[0].Databases {
				listed[db] = nil
			}
		}
		for _, db := range top.scanners[0].Databases {
			listed[db] = inDatabase(top.scanners[0].Packages, db, "", nil)
		}
		byDB := map[string][]strata.Package{}
		for _, p := range got {
			if _, ok := listed[p.PackageDB]; !ok {
				t.Errorf("package %s from %s, which no layer lists", p.Key(), p.PackageDB)
			}
			if !slices.ContainsFunc(layers, func(l layerReports) bool { return l.digest == p.IntroducedIn }) {
				t.Errorf("package %s introduced in %q, not a layer", p.Key(), p.IntroducedIn)
			}
			p.IntroducedIn = ""
			byDB[p.PackageDB] = append(byDB[p.PackageDB], p)
		}
		for _, db := range top.scanners[0].Databases {
			want := listed[db]
			slices.SortFunc(want, comparePackages)
			if diff := cmp.Diff(want, byDB[db], cmpEmpty); diff != "" {
				t.Errorf("database %s of the top layer (-want +got):\n%s", db, diff)
			}
		}
		for db := range byDB {
			if hiddenByTop(top, db) && !slices.Contains(top.scanners[0].Databases, db) {
				t.Errorf("database %s is deleted or hidden by the top layer, yet has %v", db, byDB[db])
			}
		}
	})
}

var cmpEmpty = cmp.FilterValues(func(a, b []strata.Package) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// hiddenByTop says whether the top layer's whiteouts or opaque directories
// delete or hide db.
func hiddenByTop(top layerReports, db string) bool {
	for _, w := range top.walk.Whiteouts {
		if db == w || strings.HasPrefix(db, w+"/") {
			return true
		}
	}
	for _, o := range top.walk.Opaques {
		if o == "." || strings.HasPrefix(db, o+"/") {
			return true
		}
	}
	return false
}
