package index

import (
	"cmp"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// layerReports is what is known of one layer: the tar walk's report
// (whiteouts) and one report per scanner.
type layerReports struct {
	digest   strata.Digest
	walk     *strata.LayerReport
	scanners []*strata.LayerReport
}

// merge applies the layers bottom to top, as the image's root file system
// would be assembled: a whiteout or opaque directory removes the package
// databases lower layers put beneath it (and so does a symbolic link,
// which the walk report lists among the opaque paths: a directory replaced
// by a link is gone), and a database file present in a layer replaces,
// wholesale, what lower layers listed in the same file. A directory
// replaced by a regular file is not seen: that would take recording every
// file of every layer, for a change that package databases' directories do
// not undergo in practice.
// A package keeps the layer that first installed it, even when an upper
// layer rewrites its database. A language package whose database path an
// OS package's file list claims records that owner (see setOwners).
func merge(layers []layerReports) (*strata.Distribution, []strata.Package) {
	var dist *strata.Distribution
	dbs := map[string][]strata.Package{}
	owned := map[string]string{}
	for _, l := range layers {
		if l.walk != nil {
			removeHidden(dbs, l.walk.Whiteouts, l.walk.Opaques)
		}
		var introduced map[string]strata.Package // made when the layer first lists a database
		for _, r := range l.scanners {
			if r.Distribution != nil {
				dist = r.Distribution
			}
			maps.Copy(owned, r.Owned)
			for _, db := range r.Databases {
				if introduced == nil {
					introduced = firstLayers(dbs)
				}
				dbs[db] = inDatabase(r.Packages, db, l.digest, introduced)
			}
		}
	}
	var out []strata.Package
	for _, pkgs := range dbs {
		out = append(out, pkgs...)
	}
	setOwners(out, owned)
	slices.SortFunc(out, comparePackages)
	return dist, out
}

// setOwners sets OwnedBy on the language packages whose database path is
// in owned, when the owner is among pkgs: owners are gathered from every
// layer's file lists, and a package that an upper layer removed (with its
// file list) is no longer in the image's status database.
func setOwners(pkgs []strata.Package, owned map[string]string) {
	present := map[string]bool{}
	for _, p := range pkgs {
		if strata.OSEcosystem(p.Eco) {
			present[string(p.Eco)+"/"+p.Name] = true
		}
	}
	for i, p := range pkgs {
		if owner := owned[p.PackageDB]; owner != "" && present[owner] && !strata.OSEcosystem(p.Eco) {
			pkgs[i].OwnedBy = owner
		}
	}
}

// removeHidden drops the databases that a layer's whiteouts delete and
// that its opaque directories (and symbolic links) hide: those at a
// whited-out path or beneath one, and those beneath an opaque path ("."
// being the root).
func removeHidden(dbs map[string][]strata.Package, whiteouts, opaques []string) {
	gone := set(whiteouts)
	hidden := set(opaques)
	for db := range dbs {
		if gone[db] {
			delete(dbs, db)
			continue
		}
		for dir := path.Dir(db); ; dir = path.Dir(dir) {
			if gone[dir] || hidden[dir] {
				delete(dbs, db)
				break
			}
			if dir == "." || dir == "/" {
				break
			}
		}
	}
}

func set(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	return m
}

// firstLayers maps each package key to the package as the layer that
// introduced it recorded it.
func firstLayers(dbs map[string][]strata.Package) map[string]strata.Package {
	m := map[string]strata.Package{}
	for _, pkgs := range dbs {
		for _, p := range pkgs {
			m[p.Key()] = p
		}
	}
	return m
}

// inDatabase returns the packages a layer lists in one database file,
// attributed to the layer that introduced them, with the repositories
// that layer's build installed them from.
func inDatabase(pkgs []strata.Package, db string, layer strata.Digest, introduced map[string]strata.Package) []strata.Package {
	out := []strata.Package{}
	for _, p := range pkgs {
		if p.PackageDB != db {
			continue
		}
		p.IntroducedIn = layer
		if first, ok := introduced[p.Key()]; ok {
			p.IntroducedIn, p.Repositories = first.IntroducedIn, first.Repositories
		}
		out = append(out, p)
	}
	return out
}

func comparePackages(a, b strata.Package) int {
	return cmp.Or(
		strings.Compare(string(a.Eco), string(b.Eco)),
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.Version, b.Version),
		strings.Compare(a.Arch, b.Arch),
		strings.Compare(a.PackageDB, b.PackageDB),
	)
}
