package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

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
// It is not changed once made: the workers of sets share it.
type judgement struct {
	vs       []store.PackageVersion
	ids      []string   // the vulnerabilities found, sorted
	aliases  [][]string // per vulnerability, its other ids (see store.Change)
	ranks    []int      // per version, its rank in package order
	byRank   []int      // per rank, the version's index in vs
	verdicts [][]uint64 // per version, its packed findings, sorted
	// ofIDs has, per version, a bit for each vulnerability found (by
	// index in ids), when there are few enough.
	ofIDs [][]uint64
}

// judge matches each of vs against the records of srcs. A finding's
// vulnerability is canon of its record.
func judge(ctx context.Context, vs []store.PackageVersion, srcs [3]recordSource, canon func(*strata.Vulnerability) string) (*judgement, error) {
	if len(vs) >= maxVersions {
		return nil, fmt.Errorf("%d package versions under the keys of the diff: at most %d", len(vs), maxVersions)
	}
	j := &judgement{vs: vs, ranks: make([]int, len(vs)), byRank: make([]int, len(vs)), verdicts: make([][]uint64, len(vs))}
	for i := range j.byRank {
		j.byRank[i] = i
	}
	slices.SortStableFunc(j.byRank, func(a, b int) int { return comparePackages(vs[a].Package, vs[b].Package) })
	for r, i := range j.byRank {
		j.ranks[i] = r
	}
	type finding struct {
		id        string
		kind, ver int
		sev       strata.Severity
	}
	var fs []finding
	names := map[string][]string{} // per vulnerability, its records' ids
	for i, v := range vs {
		for kind, src := range srcs {
			found, err := matchVersion(ctx, src, v)
			if err != nil {
				return nil, err
			}
			for _, f := range found {
				id := canon(&f.Vulnerability)
				fs = append(fs, finding{id, kind, i, f.Vulnerability.Severity})
				names[id] = append(names[id], f.Vulnerability.IDs()...)
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
	j.aliases = make([][]string, len(j.ids))
	for i, id := range j.ids {
		others := slices.DeleteFunc(slices.Sorted(slices.Values(names[id])), func(n string) bool { return n == id })
		if others = slices.Compact(others); len(others) > 0 {
			j.aliases[i] = others
		}
	}
	for _, f := range fs {
		id, _ := slices.BinarySearch(j.ids, f.id)
		j.verdicts[f.ver] = append(j.verdicts[f.ver], pack(id, f.kind, j.ranks[f.ver], max(f.sev, 0)&15))
	}
	for _, v := range j.verdicts {
		slices.Sort(v)
	}
	if len(j.ids) <= maxBitIDs {
		j.ofIDs = make([][]uint64, len(vs))
		for i, v := range j.verdicts {
			j.ofIDs[i] = make([]uint64, (len(j.ids)+63)/64)
			for _, f := range v {
				id := f >> idShift
				j.ofIDs[i][id/64] |= 1 << (id % 64)
			}
		}
	}
	return j, nil
}

// maxBitIDs bounds the vulnerabilities of a diff for which each version
// keeps a bit set of those found on it.
const maxBitIDs = 1 << 12

// comparePackages orders packages as the matcher orders their findings.
func comparePackages(a, b strata.Package) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Version, b.Version), strings.Compare(a.Arch, b.Arch))
}
