package notify

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Compute returns the notifications of d, without recording them: for
// each image holding a package under a key of d's records, the
// vulnerabilities that d's added records make affect it ("added") or that
// its removed records affected and nothing affects any more ("removed").
// A vulnerability that affects the image through another current record
// (another package, another feed) is neither. Each notification names the
// first package (by name, version and arch, as the matcher orders
// findings) that the vulnerability affects in the image, with the highest
// severity of those findings.
//
// No report is read: each package version under the keys is matched once,
// then the images holding the versions that matched are read, and the
// notifications of an image are worked out once for all the images that
// hold the same of those versions.
func (n *Notifier) Compute(ctx context.Context, d *strata.UpdateDiff) (*store.DiffNotifications, error) {
	dn, err := compute(ctx, n.Store, d)
	if err != nil {
		return nil, fmt.Errorf("notify: diff %d: %w", d.ID, err)
	}
	return dn, nil
}

func compute(ctx context.Context, st Index, d *strata.UpdateDiff) (*store.DiffNotifications, error) {
	others, err := otherRecords(ctx, st, d)
	if err != nil {
		return nil, err
	}
	srcs := [...]recordSource{added: newRecordSource(d.Added), removed: newRecordSource(d.Removed), other: newRecordSource(others)}
	vs, err := st.PackageVersions(ctx, slices.Concat(srcs[added].keys(), srcs[removed].keys(), srcs[other].keys()))
	if err != nil {
		return nil, err
	}
	j, err := judge(ctx, vs, srcs)
	if err != nil {
		return nil, err
	}
	held, err := holdings(ctx, st, vs, j.verdicts)
	if err != nil {
		return nil, err
	}
	manifests, setOf, sets := j.sets(held)
	return named(ctx, st, manifests, setOf, sets, j.changes)
}

// otherRecords returns the current records, of any updater, of the
// vulnerabilities of d's records, but for d's added records themselves.
func otherRecords(ctx context.Context, st Index, d *strata.UpdateDiff) ([]strata.Vulnerability, error) {
	exclude := map[string]bool{}
	for _, v := range d.Added {
		exclude[d.Updater+"\x00"+v.Key()] = true
	}
	seen := map[string]bool{}
	var out []strata.Vulnerability
	for _, v := range slices.Concat(d.Added, d.Removed) {
		if seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		recs, err := st.VulnerabilitiesByID(ctx, v.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if r.ID == v.ID && !exclude[r.Updater+"\x00"+r.Key()] {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// The kinds of finding on a package version: of an added record, of a
// removed one, of another current one.
const (
	added = iota
	removed
	other
)

// A finding of a vulnerability on a package version is packed into a
// uint64, so that findings sort by vulnerability, kind and package order
// as integers: the vulnerability (its index in judgement.ids), the kind,
// the version's rank in package order, and the severity.
const (
	idShift   = 34
	kindShift = 32
	rankShift = 4
	maxIDs    = 1 << (64 - idShift)
	maxRanks  = 1 << (kindShift - rankShift)
)

func pack(id, kind, rank int, sev strata.Severity) uint64 {
	return uint64(id)<<idShift | uint64(kind)<<kindShift | uint64(rank)<<rankShift | uint64(sev)
}

func unpack(f uint64) (id, kind, rank int, sev strata.Severity) {
	return int(f >> idShift), int(f >> kindShift & 3), int(f >> rankShift & (maxRanks - 1)), strata.Severity(f & 15)
}

// judgement is what a diff does to the package versions under its keys.
type judgement struct {
	vs       []store.PackageVersion
	ids      []string   // the vulnerabilities found, sorted
	ranks    []int      // per version, its rank in package order
	verdicts [][]uint64 // per version, its packed findings, sorted
	solo     [][]int32  // per finding, the index of the change it makes alone, or -1
	// changes lists the distinct changes made so far, and index finds
	// one by its packed form.
	changes []store.Change
	index   map[uint64]int32
}

// judge matches each of vs against the records of srcs.
func judge(ctx context.Context, vs []store.PackageVersion, srcs [3]recordSource) (*judgement, error) {
	if len(vs) >= maxVersions {
		return nil, fmt.Errorf("%d package versions under the keys of the diff: at most %d", len(vs), maxVersions)
	}
	j := &judgement{vs: vs, ranks: make([]int, len(vs)), verdicts: make([][]uint64, len(vs)), solo: make([][]int32, len(vs)),
		index: map[uint64]int32{}}
	byRank := make([]int, len(vs))
	for i := range byRank {
		byRank[i] = i
	}
	slices.SortStableFunc(byRank, func(a, b int) int { return comparePackages(vs[a].Package, vs[b].Package) })
	for r, i := range byRank {
		j.ranks[i] = r
	}
	type finding struct {
		id        string
		kind, ver int
		sev       strata.Severity
	}
	var fs []finding
	for i, v := range vs {
		for kind, src := range srcs {
			found, err := matchVersion(ctx, src, v)
			if err != nil {
				return nil, err
			}
			for _, f := range found {
				fs = append(fs, finding{f.Vulnerability.ID, kind, i, f.Vulnerability.Severity})
			}
		}
	}
	for _, f := range fs {
		j.ids = append(j.ids, f.id)
	}
	slices.Sort(j.ids)
	j.ids = slices.Compact(j.ids)
	if len(j.ids) >= maxIDs {
		return nil, fmt.Errorf("%d vulnerabilities found: at most %d", len(j.ids), maxIDs)
	}
	for _, f := range fs {
		id, _ := slices.BinarySearch(j.ids, f.id)
		j.verdicts[f.ver] = append(j.verdicts[f.ver], pack(id, f.kind, j.ranks[f.ver], max(f.sev, 0)&15))
		j.solo[f.ver] = append(j.solo[f.ver], -1)
	}
	for _, v := range j.verdicts {
		slices.Sort(v)
	}
	return j, nil
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

// sets works out the changes of each manifest of held (by the versions it
// holds), once per distinct set of versions, and gathers the manifests
// that get the same changes: it returns the manifests (by number,
// ascending) and the index in sets of each, and the sets (without their
// manifests).
func (j *judgement) sets(held []uint64) (manifests []int64, setOf []int32, sets []store.ChangeSet) {
	bySet := map[string]int32{}     // versions held → index in sets
	byChanges := map[string]int32{} // changes → index in sets
	var key, scratch []byte
	var versions []int32
	for i := 0; i < len(held); {
		m := held[i] >> versionBits
		versions, key = versions[:0], key[:0]
		for ; i < len(held) && held[i]>>versionBits == m; i++ {
			v := int32(held[i] & (maxVersions - 1))
			versions = append(versions, v)
			key = binary.AppendUvarint(key, uint64(v))
		}
		s, ok := bySet[string(key)]
		if !ok {
			cs := j.imageChanges(versions)
			scratch = scratch[:0]
			for _, c := range cs {
				scratch = binary.AppendUvarint(scratch, uint64(c))
			}
			if s, ok = byChanges[string(scratch)]; !ok {
				s = int32(len(sets))
				sets = append(sets, store.ChangeSet{Changes: cs})
				byChanges[string(scratch)] = s
			}
			bySet[string(key)] = s
		}
		if len(sets[s].Changes) > 0 {
			manifests, setOf = append(manifests, int64(m)), append(setOf, s)
		}
	}
	return manifests, setOf, sets
}

// named fills in the digests of the manifests of the sets (by number,
// setOf giving the set of each), in digest order, and returns the diff's
// notifications, the sets in the order of their first manifest. A manifest
// deleted since is left out.
func named(ctx context.Context, st Index, manifests []int64, setOf []int32, sets []store.ChangeSet, changes []store.Change) (*store.DiffNotifications, error) {
	indexed, err := st.ManifestDigests(ctx, manifests)
	if err != nil {
		return nil, err
	}
	for i, m := 0, 0; m < len(indexed); m++ { // both in number order
		for i < len(manifests) && manifests[i] < indexed[m].ID {
			i++
		}
		if i == len(manifests) || manifests[i] != indexed[m].ID {
			return nil, fmt.Errorf("manifest number %d: not asked for", indexed[m].ID)
		}
		s := &sets[setOf[i]]
		s.Manifests = append(s.Manifests, indexed[m].Digest)
	}
	sets = slices.DeleteFunc(sets, func(s store.ChangeSet) bool { return len(s.Manifests) == 0 })
	for _, s := range sets {
		slices.Sort(s.Manifests)
	}
	slices.SortFunc(sets, func(a, b store.ChangeSet) int { return cmp.Compare(a.Manifests[0], b.Manifests[0]) })
	return &store.DiffNotifications{Changes: changes, Sets: sets}, nil
}

// imageChanges returns the changes (indices in j.changes, by
// vulnerability) of an image holding the versions held. It merges the
// sorted findings of the versions, so that those of one vulnerability come
// together, kind by kind, the first of a kind being of the first package.
func (j *judgement) imageChanges(held []int32) []int32 {
	next := make([]int, len(held)) // the next finding of each version
	var cs []int32
	for {
		// The vulnerability of the smallest next finding.
		id := -1
		for h, v := range held {
			if i := next[h]; i < len(j.verdicts[v]) && (id < 0 || int(j.verdicts[v][i]>>idShift) < id) {
				id = int(j.verdicts[v][i] >> idShift)
			}
		}
		if id < 0 {
			return cs
		}
		var found [3]bool
		var first [3]struct{ v, i int }
		var sev [3]strata.Severity
		for h, v := range held {
			for ; next[h] < len(j.verdicts[v]) && int(j.verdicts[v][next[h]]>>idShift) == id; next[h]++ {
				_, kind, rank, s := unpack(j.verdicts[v][next[h]])
				if f := first[kind]; !found[kind] || rank < j.ranks[f.v] {
					first[kind] = struct{ v, i int }{int(v), next[h]}
				}
				found[kind], sev[kind] = true, max(sev[kind], s)
			}
		}
		for _, k := range []int{added, removed} {
			if found[k] && !found[added+removed-k] && !found[other] {
				cs = append(cs, j.change(first[k].v, first[k].i, sev[k]))
			}
		}
	}
}

// change returns the index in j.changes of the change that finding i of
// version v makes with the severity sev (its own or, found on other
// versions too, a higher one), adding it when new.
func (j *judgement) change(v, i int, sev strata.Severity) int32 {
	id, kind, rank, own := unpack(j.verdicts[v][i])
	if sev == own && j.solo[v][i] >= 0 {
		return j.solo[v][i]
	}
	k := pack(id, kind, rank, sev)
	c, ok := j.index[k]
	if !ok {
		p := j.vs[v].Package
		c = int32(len(j.changes))
		j.changes = append(j.changes, store.Change{Vulnerability: j.ids[id], Package: p.Name, Version: p.Version,
			Reason: [...]string{added: store.Added, removed: store.Removed}[kind], Severity: sev})
		j.index[k] = c
	}
	if sev == own {
		j.solo[v][i] = c
	}
	return c
}

// comparePackages orders packages as the matcher orders their findings.
func comparePackages(a, b strata.Package) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Version, b.Version), strings.Compare(a.Arch, b.Arch))
}
