// Command refcheck compares strata's version comparators with the
// ecosystems' reference tools on many random pairs (a million by default)
// and prints, per ecosystem, the number of disagreements and the pairs
// checked per second. bench/versions-vs-reference.sh runs it.
//
// Usage:
//
//	go run ./scripts/refcheck [-eco deb,rpm,pypi] [-pairs 1000000] [-batch 50000] [-seed 1]
//
// It exits with status 1 when any comparator disagrees with its tool.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

func main() {
	ecos := flag.String("eco", "deb,rpm,pypi", "comma-separated ecosystems: deb rpm apk pypi npm golang maven")
	pairs := flag.Int("pairs", 1_000_000, "random pairs per ecosystem")
	batch := flag.Int("batch", 50_000, "pairs per call of the reference tool")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	disagreed := false
	for eco := range strings.SplitSeq(*ecos, ",") {
		rep, err := check(context.Background(), strata.Ecosystem(eco), *pairs, *batch, *seed)
		if err != nil {
			slog.Error("refcheck", "ecosystem", eco, "err", err)
			os.Exit(1)
		}
		disagreed = disagreed || rep.Disagreements > 0
	}
	if disagreed {
		os.Exit(1)
	}
}

// check runs one ecosystem's pairs through the tool batch by batch and
// prints the outcome.
func check(ctx context.Context, eco strata.Ecosystem, n, batch int, seed uint64) (versiontest.Report, error) {
	o, err := versiontest.Find(eco)
	if err != nil {
		return versiontest.Report{}, err
	}
	c, err := version.For(eco)
	if err != nil {
		return versiontest.Report{}, err
	}
	r := rand.New(rand.NewPCG(seed, 0))
	var total versiontest.Report
	start := time.Now()
	for total.Pairs < n {
		pairs, err := versiontest.Pairs(eco, r, min(batch, n-total.Pairs))
		if err != nil {
			return total, err
		}
		rep, err := versiontest.Check(ctx, c, o, pairs)
		if err != nil {
			return total, err
		}
		total.Add(rep)
		slog.Info("progress", "ecosystem", eco, "pairs", total.Pairs, "disagreements", total.Disagreements,
			"elapsed", time.Since(start).Round(time.Second))
	}
	elapsed := time.Since(start)
	fmt.Printf("%s: %d pairs against %s: %d disagreements, %d pairs with a version only strata rejects (rpm accepts any string); %.0f s, %.0f pairs/s\n",
		eco, total.Pairs, o.Name(), total.Disagreements, total.Rejected, elapsed.Seconds(), float64(total.Pairs)/elapsed.Seconds())
	for _, ex := range total.Examples {
		fmt.Println("  " + ex)
	}
	return total, nil
}
