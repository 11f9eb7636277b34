package store

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/strata-scan/strata"
)

// PackageKey is what a vulnerability record is looked up by: the
// ecosystem, the release ("" for language ecosystems) and a package or
// source package name.
type PackageKey struct {
	Eco           strata.Ecosystem
	Release, Name string
}

// PackageVersion is an installed package version as the stores keep it:
// the fields of Package that matching reads (name, version, arch,
// ecosystem, source name and version, module), and the release it is
// looked up under.
type PackageVersion struct {
	ID      int64 // the store's
	Release string
	Package strata.Package
}

// PackageRow is what the stores keep of an installed package: the fields
// of PackageVersion (the release as the matcher looks the package up)
// and the layer that introduced it, as its index in the report's layers
// (-1 when it is none of them).
type PackageRow struct {
	Eco           string `json:"e"`
	Release       string `json:"r"`
	Name          string `json:"n"`
	Version       string `json:"v"`
	SourceName    string `json:"sn"`
	SourceVersion string `json:"sv"`
	Arch          string `json:"a"`
	Module        string `json:"m"`
	Layer         int    `json:"l"`
}

// PackageRows returns the rows that the stores keep of r's packages.
func PackageRows(r *strata.IndexReport) []PackageRow {
	layers := map[strata.Digest]int{}
	for i := len(r.Layers) - 1; i >= 0; i-- { // the first of a layer listed twice
		layers[r.Layers[i].Digest] = i
	}
	rows := make([]PackageRow, len(r.Packages))
	for i, p := range r.Packages {
		layer, ok := layers[p.IntroducedIn]
		if !ok {
			layer = -1
		}
		rows[i] = PackageRow{Eco: string(p.Eco), Release: strata.ReleaseFor(p.Eco, r.Distribution), Name: p.Name,
			Version: p.Version, SourceName: p.SourceName, SourceVersion: p.SourceVersion, Arch: p.Arch, Module: p.Module, Layer: layer}
	}
	return rows
}

// IndexedManifest is a manifest and the number the stores give it.
type IndexedManifest struct {
	ID     int64
	Digest strata.Digest
}

// Holding says that a manifest holds a package version: by the numbers
// the stores give them and, when asked for, by digest, with the layer that
// introduced the version there.
type Holding struct {
	Version, Manifest int64
	Digest, Layer     strata.Digest
}

// LastByKey returns the Key of each of vulns, and the indices of vulns in
// key order, keeping the last of equal keys: of duplicate records in one
// update, the last wins.
func LastByKey(vulns []strata.Vulnerability) (keys []string, order []int) {
	keys = make([]string, len(vulns))
	for i := range vulns {
		keys[i] = vulns[i].Key()
	}
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	out := idx[:0]
	for n, i := range idx {
		if n+1 == len(idx) || keys[idx[n+1]] != keys[i] {
			out = append(out, i)
		}
	}
	return keys, out
}

// SortRecords sorts vs by package, ID and updater, the order in which
// Vulnerabilities returns them.
func SortRecords(vs []strata.Vulnerability) {
	slices.SortFunc(vs, func(a, b strata.Vulnerability) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Updater, b.Updater))
	})
}

// Migration is one schema migration file, "migrations/NNNN_name.sql".
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations reads the migrations of fsys in version order; their numbers
// must run from 1 without gaps, the same on every engine.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, name := range names { // Glob sorts, and the numbers are zero-padded
		num, _, _ := strings.Cut(strings.TrimPrefix(name, "migrations/"), "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", name, len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	return ms, nil
}

// IDList names the vulnerability ids of a query in an error message: `id
// "X"`, or `N ids ("X", …)`.
func IDList(ids []string) string {
	if len(ids) == 1 {
		return fmt.Sprintf("id %q", ids[0])
	}
	return fmt.Sprintf("%d ids (%q, …)", len(ids), ids[0])
}
