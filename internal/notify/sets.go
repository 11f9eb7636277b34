package notify

import (
	"encoding/binary"
	"sync"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// changer works out the changes of images from a judgement, and keeps the
// distinct changes it made: one per worker, as the judgement is shared.
type changer struct {
	j       *judgement
	changes []store.Change
	keys    []uint64         // the packed form of each change
	index   map[uint64]int32 // the index in changes of a packed form
	solo    [][]int32        // per finding of a version, the change it makes alone, or -1 (nil until needed)
	alone   [][]int32        // per version, its changes on an image holding no other (nil until needed)
}

func newChanger(j *judgement) *changer {
	return &changer{j: j, index: map[uint64]int32{}, solo: make([][]int32, len(j.vs)), alone: make([][]int32, len(j.vs))}
}

// setChanges returns the changes (indices in c.changes) of an image
// holding the versions held. When no vulnerability is found on two of
// them, they are the changes of each alone: the common case, worked out
// once per version.
func (c *changer) setChanges(held []int32) []int32 {
	if c.j.ofIDs == nil || len(held) == 1 {
		return c.imageChanges(held)
	}
	var seen [maxBitIDs / 64]uint64
	for _, v := range held {
		for w, bits := range c.j.ofIDs[v] {
			if seen[w]&bits != 0 {
				return c.imageChanges(held)
			}
			seen[w] |= bits
		}
	}
	var cs []int32
	for _, v := range held {
		if c.alone[v] == nil {
			c.alone[v] = append([]int32{}, c.imageChanges([]int32{v})...)
		}
		cs = append(cs, c.alone[v]...)
	}
	return cs
}

// imageChanges returns the changes (by vulnerability) of an image holding
// the versions held. It merges the sorted findings of the versions, so
// that those of one vulnerability come together, kind by kind, the first
// of a kind being of the first package.
func (c *changer) imageChanges(held []int32) []int32 {
	verdicts := c.j.verdicts
	next := make([]int, len(held)) // the next finding of each version
	var cs []int32
	for {
		// The vulnerability of the smallest next finding.
		id := -1
		for h, v := range held {
			if i := next[h]; i < len(verdicts[v]) && (id < 0 || int(verdicts[v][i]>>idShift) < id) {
				id = int(verdicts[v][i] >> idShift)
			}
		}
		if id < 0 {
			return cs
		}
		var found [3]bool
		var first [3]struct{ v, i int }
		var sev [3]strata.Severity
		for h, v := range held {
			for ; next[h] < len(verdicts[v]) && int(verdicts[v][next[h]]>>idShift) == id; next[h]++ {
				_, kind, rank, s := unpack(verdicts[v][next[h]])
				if f := first[kind]; !found[kind] || rank < c.j.ranks[f.v] {
					first[kind] = struct{ v, i int }{int(v), next[h]}
				}
				found[kind], sev[kind] = true, max(sev[kind], s)
			}
		}
		for _, k := range []int{added, removed} {
			if found[k] && !found[added+removed-k] && !found[other] {
				cs = append(cs, c.change(first[k].v, first[k].i, sev[k]))
			}
		}
	}
}

// change returns the index in c.changes of the change that finding i of
// version v makes with the severity sev (its own or, found on other
// versions too, a higher one), adding it when new.
func (c *changer) change(v, i int, sev strata.Severity) int32 {
	if c.solo[v] == nil {
		c.solo[v] = make([]int32, len(c.j.verdicts[v]))
		for f := range c.solo[v] {
			c.solo[v][f] = -1
		}
	}
	id, kind, rank, own := unpack(c.j.verdicts[v][i])
	if sev == own && c.solo[v][i] >= 0 {
		return c.solo[v][i]
	}
	n := c.add(pack(id, kind, rank, sev))
	if sev == own {
		c.solo[v][i] = n
	}
	return n
}

// add returns the index in c.changes of the change of packed form k,
// adding it when new.
func (c *changer) add(k uint64) int32 {
	if n, ok := c.index[k]; ok {
		return n
	}
	id, kind, rank, sev := unpack(k)
	p := c.j.vs[c.j.byRank[rank]].Package
	n := int32(len(c.changes))
	c.changes = append(c.changes, store.Change{Vulnerability: c.j.ids[id], Aliases: c.j.aliases[id], Package: p.Name, Version: p.Version,
		Reason: [...]string{added: store.Added, removed: store.Removed}[kind], Severity: sev})
	c.keys = append(c.keys, k)
	c.index[k] = n
	return n
}

// setMaker gathers the images that get the same changes.
type setMaker struct {
	c         *changer
	bySet     map[string]int32 // versions held → index in sets
	byChanges map[string]int32 // changes → index in sets
	sets      []store.ChangeSet
	manifests []int64 // by number
	setOf     []int32 // the set of each of manifests
}

func newSetMaker(c *changer) *setMaker {
	return &setMaker{c: c, bySet: map[string]int32{}, byChanges: map[string]int32{}}
}

// sets works out the changes of each manifest of held (by the versions it
// holds), once per distinct set of versions, and gathers the manifests
// that get the same changes: it returns the manifests (by number,
// ascending) and the index in sets of each, the sets (without their
// manifests) and the changes they refer to. The manifests are shared
// between workers.
func (j *judgement) sets(held []uint64, workers int) (manifests []int64, setOf []int32, sets []store.ChangeSet, changes []store.Change) {
	parts := split(held, workers)
	makers := make([]*setMaker, len(parts))
	var wg sync.WaitGroup
	for w, part := range parts {
		makers[w] = newSetMaker(newChanger(j))
		wg.Go(func() { makers[w].add(part) })
	}
	wg.Wait()
	m := makers[0]
	for _, o := range makers[1:] {
		m.merge(o)
	}
	return m.manifests, m.setOf, m.sets, m.c.changes
}

// split cuts held into at most n parts of about the same size, between
// the holdings of two manifests.
func split(held []uint64, n int) [][]uint64 {
	var parts [][]uint64
	for n > 1 && len(held) > 0 {
		i := len(held) / n
		for i > 0 && i < len(held) && held[i]>>versionBits == held[i-1]>>versionBits {
			i++
		}
		parts, held, n = append(parts, held[:i]), held[i:], n-1
	}
	return append(parts, held)
}

// add gathers the manifests of held.
func (s *setMaker) add(held []uint64) {
	var key []byte
	var versions []int32
	for i := 0; i < len(held); {
		m := held[i] >> versionBits
		versions, key = versions[:0], key[:0]
		for ; i < len(held) && held[i]>>versionBits == m; i++ {
			v := int32(held[i] & (maxVersions - 1))
			versions = append(versions, v)
			key = binary.AppendUvarint(key, uint64(v))
		}
		set, ok := s.bySet[string(key)]
		if !ok {
			set = s.setOfChanges(s.c.setChanges(versions))
			s.bySet[string(key)] = set
		}
		if len(s.sets[set].Changes) > 0 {
			s.manifests, s.setOf = append(s.manifests, int64(m)), append(s.setOf, set)
		}
	}
}

// setOfChanges returns the index of the set of the changes cs, adding it
// when new.
func (s *setMaker) setOfChanges(cs []int32) int32 {
	var key []byte
	for _, c := range cs {
		key = binary.AppendUvarint(key, uint64(c))
	}
	set, ok := s.byChanges[string(key)]
	if !ok {
		set = int32(len(s.sets))
		s.sets = append(s.sets, store.ChangeSet{Changes: cs})
		s.byChanges[string(key)] = set
	}
	return set
}

// merge adds what o gathered (of manifests after s's) to s.
func (s *setMaker) merge(o *setMaker) {
	change := make([]int32, len(o.c.keys)) // o's change index → s's
	for i, k := range o.c.keys {
		change[i] = s.c.add(k)
	}
	set := make([]int32, len(o.sets)) // o's set index → s's
	for i, os := range o.sets {
		cs := make([]int32, len(os.Changes))
		for k, c := range os.Changes {
			cs[k] = change[c]
		}
		set[i] = s.setOfChanges(cs)
	}
	for i, m := range o.manifests {
		s.manifests, s.setOf = append(s.manifests, m), append(s.setOf, set[o.setOf[i]])
	}
}
