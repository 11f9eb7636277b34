package version_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

// diffPairs is how many random pairs TestDifferential checks per
// ecosystem by default: dpkg runs once per pair, the others take a batch.
var diffPairs = map[strata.Ecosystem]int{
	strata.Deb: 2000, strata.RPM: 5000, strata.APK: 2000, strata.PyPI: 5000,
	strata.NPM: 5000, strata.Go: 50000, strata.Maven: 5000,
}

// TestDifferential compares each comparator with its ecosystem's reference
// tool on random versions. STRATA_DIFF_PAIRS sets the number of pairs per
// ecosystem and STRATA_DIFF_SEED the random seed (default 1).
func TestDifferential(t *testing.T) {
	seed := envInt(t, "STRATA_DIFF_SEED", 1)
	for eco, n := range diffPairs {
		t.Run(string(eco), func(t *testing.T) {
			o, err := versiontest.Find(eco)
			if errors.Is(err, versiontest.ErrUnavailable) {
				t.Skipf("%s: %v", eco, err)
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := version.For(eco)
			if err != nil {
				t.Fatal(err)
			}
			n = envInt(t, "STRATA_DIFF_PAIRS", n)
			pairs, err := versiontest.Pairs(eco, rand.New(rand.NewPCG(uint64(seed), 0)), n)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			rep, err := versiontest.Check(ctx, c, o, pairs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d pairs (seed %d), %d disagreements, %d rejected by strata only", o.Name(), rep.Pairs, seed, rep.Disagreements, rep.Rejected)
			for _, ex := range rep.Examples {
				t.Error(ex)
			}
		})
	}
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative number", name, s)
	}
	return n
}
