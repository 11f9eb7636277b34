package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
)

// A group is one vulnerability of one installed package: the findings of
// that package whose feed records name the same vulnerability (a PYSEC
// record and the GHSA record of the same CVE, a GO record and its GHSA,
// a Debian advisory and the tracker's record of its one CVE). The
// primary finding is first: the record with the latest fixed version (one
// with none comes before all: nothing fixes it yet), then the most
// severe, then the smallest id and updater name.
type group []strata.Finding

// groupFindings merges the findings of each package whose records name
// the same vulnerability, transitively. The groups come in the order of
// their first finding in fs.
func groupFindings(fs []strata.Finding) []group {
	parent := make([]int, len(fs))
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	byPackage := map[string][]int{}
	for i, f := range fs {
		k := f.Package.Key()
		for _, j := range byPackage[k] {
			if fs[i].Vulnerability.SameAs(&fs[j].Vulnerability) {
				parent[root(i)] = root(j)
			}
		}
		byPackage[k] = append(byPackage[k], i)
	}
	at := map[int]int{} // root → index of its group in out
	var out []group
	for i, f := range fs {
		r := root(i)
		g, ok := at[r]
		if !ok {
			g = len(out)
			at[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], f)
	}
	for _, g := range out {
		if len(g) > 1 {
			g.order()
		}
	}
	return out
}

// symbols is the verdict on the vulnerable symbols of the first of the
// group's records that names them (see match.symbolVerdict): Go's
// database names them, the GHSA record of the same vulnerability does
// not. It is "" when no record names symbols.
func (g group) symbols() string {
	for _, f := range g {
		if f.Reason.Symbols != "" {
			return f.Reason.Symbols
		}
	}
	return ""
}

// order puts the group's primary finding first (see group).
func (g group) order() {
	c, err := version.For(g[0].Vulnerability.Eco)
	if err != nil {
		c = nil // no order of fixed versions: the other criteria decide
	}
	slices.SortStableFunc(g, func(a, b strata.Finding) int {
		va, vb := &a.Vulnerability, &b.Vulnerability
		return cmp.Or(
			compareFixed(c, vb.FixedVersion, va.FixedVersion),
			cmp.Compare(vb.Severity, va.Severity),
			strings.Compare(va.ID, vb.ID),
			strings.Compare(va.Updater, vb.Updater),
		)
	})
}

// compareFixed orders fixed versions, "" (no fix yet) after all. Versions
// that c cannot compare are equal here.
func compareFixed(c version.Comparator, a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	case c == nil:
		return 0
	}
	n, err := c.Compare(a, b)
	if err != nil {
		return 0
	}
	return n
}

// primary is the finding whose record names the group's vulnerability
// and gives its fixed version.
func (g group) primary() strata.Finding { return g[0] }

// severest is the record with the highest severity, which gives the
// group's.
func (g group) severest() strata.Vulnerability {
	s := g[0].Vulnerability
	for _, f := range g[1:] {
		if f.Vulnerability.Severity > s.Severity {
			s = f.Vulnerability
		}
	}
	return s
}

// key identifies the group's set of records, so that the binary packages
// of one source package that the same records affect share one
// vulnerability entry.
func (g group) key() string {
	keys := make([]string, len(g))
	for i, f := range g {
		keys[i] = f.Vulnerability.Updater + "|" + f.Vulnerability.Key()
	}
	return strings.Join(keys, "\n")
}

// names are the ids of the group's records, the primary first.
func (g group) names() []string {
	out := make([]string, len(g))
	for i, f := range g {
		out[i] = f.Vulnerability.ID
	}
	return out
}

// aliases are every id the group's records give, but the primary's own,
// sorted, without repeats.
func (g group) aliases() []string {
	out := []string{}
	for _, f := range g {
		for _, id := range f.Vulnerability.IDs() {
			if id != g.primary().Vulnerability.ID {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
