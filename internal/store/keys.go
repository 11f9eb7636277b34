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

// PackageKeys lists the distinct keys of r's packages and of their source
// packages, with the release the matcher looks them up under. The stores
// keep them per manifest so that the images a new record affects are
// found without reading any layer.
func PackageKeys(r *strata.IndexReport) []PackageKey {
	seen := map[PackageKey]bool{}
	var keys []PackageKey
	for _, p := range r.Packages {
		release := strata.ReleaseFor(p.Eco, r.Distribution)
		for _, name := range []string{p.Name, p.SourceName} {
			k := PackageKey{p.Eco, release, name}
			if name != "" && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
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
