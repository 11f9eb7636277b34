package notify

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Compute returns the notifications of d, without recording them: for
// each image holding a package under a key of d's records, the
// vulnerabilities that d's added records make affect it ("added") or that
// its removed records affected and nothing affects any more ("removed").
// A vulnerability that affects the image through another current record
// (another package, another feed, or a record of another id that is the
// same vulnerability: see canonicalIDs) is neither. Each notification names the
// first package (by name, version and arch, as the matcher orders
// findings) that the vulnerability affects in the image, with the highest
// severity of those findings.
//
// No report is read: each package version under the keys is matched once,
// then the images holding the versions that matched are read, and the
// notifications of an image are worked out once for all the images that
// hold the same of those versions.
func (n *Notifier) Compute(ctx context.Context, d *strata.UpdateDiff) (*store.DiffNotifications, error) {
	dn, err := compute(ctx, n.Index, d, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, fmt.Errorf("notify: diff %d: %w", d.ID, err)
	}
	return dn, nil
}

// compute is Compute with the changes of the images worked out by as many
// workers.
func compute(ctx context.Context, st Index, d *strata.UpdateDiff, workers int) (*store.DiffNotifications, error) {
	others, err := otherRecords(ctx, st, d)
	if err != nil {
		return nil, err
	}
	srcs := [...]recordSource{added: newRecordSource(d.Added), removed: newRecordSource(d.Removed), other: newRecordSource(others)}
	vs, err := st.PackageVersions(ctx, slices.Concat(srcs[added].keys(), srcs[removed].keys(), srcs[other].keys()))
	if err != nil {
		return nil, err
	}
	j, err := judge(ctx, vs, srcs, canonicalIDs(srcs))
	if err != nil {
		return nil, err
	}
	held, err := holdings(ctx, st, vs, j.verdicts)
	if err != nil {
		return nil, err
	}
	// The digests of the manifests are read (by another core) while their
	// changes are worked out.
	var indexed []store.IndexedManifest
	read := make(chan error, 1)
	go func() {
		var err error
		indexed, err = st.ManifestDigests(ctx, manifestsOf(held))
		read <- err
	}()
	manifests, setOf, sets, changes := j.sets(held, workers)
	if err := <-read; err != nil {
		return nil, err
	}
	return named(indexed, manifests, setOf, sets, changes), nil
}

// otherRecords returns the current records, of any updater, of the
// vulnerabilities of d's records (those of an ecosystem: the others match
// no package), but for d's added records themselves: the records with the
// ID of one of d's, and those that are the same vulnerability as one of
// d's (strata.Vulnerability.SameAs: the GHSA record of a PYSEC record's
// CVE), found through their ids and aliases in one query.
func otherRecords(ctx context.Context, st Index, d *strata.UpdateDiff) ([]strata.Vulnerability, error) {
	var ids []string
	byID := map[string][]*strata.Vulnerability{} // d's records by ID and alias
	for _, vs := range [][]strata.Vulnerability{d.Added, d.Removed} {
		for i := range vs {
			if vs[i].Eco == "" {
				continue
			}
			for _, id := range vs[i].IDs() {
				ids = append(ids, id)
				byID[id] = append(byID[id], &vs[i])
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	exclude := map[string]bool{}
	for _, v := range d.Added {
		exclude[d.Updater+"\x00"+v.Key()] = true
	}
	recs, err := st.VulnerabilitiesByID(ctx, ids...)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(recs, func(r strata.Vulnerability) bool {
		if exclude[r.Updater+"\x00"+r.Key()] {
			return true
		}
		for _, id := range r.IDs() {
			for _, v := range byID[id] {
				if v.ID == r.ID || v.SameAs(&r) {
					return false
				}
			}
		}
		return true
	}), nil
}

// canonicalIDs returns the vulnerability of each record of srcs as the
// notifier counts it: records of one package that are the same
// vulnerability (strata.Vulnerability.SameAs, transitively), as reports
// show them, are the smallest of their IDs; any other record is its ID.
func canonicalIDs(srcs [3]recordSource) func(*strata.Vulnerability) string {
	node := func(v *strata.Vulnerability) string { return v.Package + "\x00" + v.ID }
	parent := map[string]string{} // by node; a root maps to itself or is absent
	var root func(n string) string
	root = func(n string) string {
		p, ok := parent[n]
		if !ok || p == n {
			return n
		}
		r := root(p)
		parent[n] = r
		return r
	}
	byKey := map[store.PackageKey][]*strata.Vulnerability{} // the records of each package, of all srcs
	for _, src := range srcs {
		for k, vs := range src {
			for i := range vs {
				byKey[k] = append(byKey[k], &vs[i])
			}
		}
	}
	for _, vs := range byKey {
		byID := map[string][]*strata.Vulnerability{} // the package's records seen, by ID and alias
		for _, v := range vs {
			for _, id := range v.IDs() {
				for _, o := range byID[id] {
					if o.ID != v.ID && v.SameAs(o) {
						a, b := root(node(v)), root(node(o))
						parent[max(a, b)] = min(a, b)
					}
				}
				byID[id] = append(byID[id], v)
			}
		}
	}
	return func(v *strata.Vulnerability) string {
		r := root(node(v))
		return r[len(v.Package)+1:]
	}
}

// A holding (a manifest holds a package version) is packed into a uint64
// that sorts by manifest: the manifest's number, and the version's index in
// judgement.vs.
const (
	versionBits = 24
	maxVersions = 1 << versionBits
	maxManifest = 1 << (64 - versionBits)
)

// holdings returns the holdings of those of vs that have findings, sorted,
// without repeats.
func holdings(ctx context.Context, st Index, vs []store.PackageVersion, verdicts [][]uint64) ([]uint64, error) {
	index := map[int64]uint64{}
	var ids []int64
	for i, v := range verdicts {
		if len(v) > 0 {
			index[vs[i].ID] = uint64(i)
			ids = append(ids, vs[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var held []uint64
	err := st.ManifestsWith(ctx, ids, false, func(h store.Holding) error {
		if h.Manifest < 0 || h.Manifest >= maxManifest {
			return fmt.Errorf("manifest number %d out of range", h.Manifest)
		}
		held = append(held, uint64(h.Manifest)<<versionBits|index[h.Version])
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(held)
	return slices.Compact(held), nil // a version held twice, in two layers, is held
}

// manifestsOf returns the manifests of held, ascending, once each.
func manifestsOf(held []uint64) []int64 {
	var ms []int64
	for _, h := range held {
		if m := int64(h >> versionBits); len(ms) == 0 || ms[len(ms)-1] != m {
			ms = append(ms, m)
		}
	}
	return ms
}

// named fills in the digests of the manifests of the sets (by number,
// setOf giving the set of each) from indexed (a superset, in number
// order), in digest order, and returns the diff's notifications, the sets
// in the order of their first manifest. A manifest deleted since is left
// out.
func named(indexed []store.IndexedManifest, manifests []int64, setOf []int32, sets []store.ChangeSet, changes []store.Change) *store.DiffNotifications {
	for i, m := 0, 0; i < len(manifests) && m < len(indexed); i++ { // both in number order
		for m < len(indexed) && indexed[m].ID < manifests[i] {
			m++
		}
		if m < len(indexed) && indexed[m].ID == manifests[i] {
			s := &sets[setOf[i]]
			s.Manifests = append(s.Manifests, indexed[m].Digest)
		}
	}
	sets = slices.DeleteFunc(sets, func(s store.ChangeSet) bool { return len(s.Manifests) == 0 })
	for _, s := range sets {
		slices.Sort(s.Manifests)
	}
	slices.SortFunc(sets, func(a, b store.ChangeSet) int { return cmp.Compare(a.Manifests[0], b.Manifests[0]) })
	return &store.DiffNotifications{Changes: changes, Sets: sets}
}
