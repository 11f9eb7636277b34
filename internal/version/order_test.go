package version_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

// TestTotalOrder sorts a few hundred random versions of each ecosystem and
// checks every pair against the sorted order: each comparator must be a
// total order (antisymmetric, transitive, reflexive equality), but for
// Maven, whose reference order is not (TestMavenCycle).
func TestTotalOrder(t *testing.T) {
	for _, eco := range ecosystems {
		t.Run(string(eco), func(t *testing.T) {
			if intransitive[eco] {
				t.Skipf("%s: the reference order is not transitive", eco)
			}
			c, err := version.For(eco)
			if err != nil {
				t.Fatal(err)
			}
			vs := validVersions(t, eco, c, 300)
			slices.SortStableFunc(vs, func(a, b string) int { n, _ := c.Compare(a, b); return n })
			for i := range vs {
				for j := i; j < len(vs); j++ {
					ij, _ := c.Compare(vs[i], vs[j])
					ji, _ := c.Compare(vs[j], vs[i])
					if ij > 0 || ij != -ji || i == j && ij != 0 {
						t.Fatalf("sorted %q (#%d) and %q (#%d): compare %d, reversed %d", vs[i], i, vs[j], j, ij, ji)
					}
				}
			}
		})
	}
}

// validVersions returns n distinct random versions that c accepts.
func validVersions(t *testing.T, eco strata.Ecosystem, c version.Comparator, n int) []string {
	t.Helper()
	pairs, err := versiontest.Pairs(eco, rand.New(rand.NewPCG(7, 7)), 4*n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var vs []string
	for _, p := range pairs {
		for _, v := range []string{p.A, p.B} {
			if _, err := c.Compare(v, v); err == nil && !seen[v] && len(vs) < n {
				seen[v] = true
				vs = append(vs, v)
			}
		}
	}
	if len(vs) < n {
		t.Fatalf("only %d valid versions", len(vs))
	}
	return vs
}

func TestFor(t *testing.T) {
	for _, eco := range ecosystems {
		if _, err := version.For(eco); err != nil {
			t.Errorf("For(%q): %v", eco, err)
		}
	}
	_, err := version.For("cargo")
	if got, want := fmt.Sprint(err), `version: no comparator for ecosystem "cargo"`; got != want {
		t.Errorf("For(cargo) error = %q, want %q", got, want)
	}
}

// TestMavenCycle pins the cycle that Maven's ComparableVersion (3.8.7)
// itself makes, which Maven follows: 2 < 2-bsp < 2.0.0.rc-2 < 2.
func TestMavenCycle(t *testing.T) {
	cycle := []string{"2", "2-bsp", "2.0.0.rc-2", "2"}
	for i := range len(cycle) - 1 {
		if n, err := (version.Maven{}).Compare(cycle[i], cycle[i+1]); n != -1 || err != nil {
			t.Errorf("Compare(%q, %q) = %d, %v; want -1 as ComparableVersion", cycle[i], cycle[i+1], n, err)
		}
	}
}
