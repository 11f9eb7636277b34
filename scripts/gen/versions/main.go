// Command versions regenerates the version comparators' fixture files,
// internal/version/testdata/<eco>-versions.txt, from the ecosystems'
// reference tools. It keeps each file's hand-picked cases, re-deciding
// their order with the tool (and saying where the file said otherwise),
// and replaces the part after the "# Generated" marker with random pairs
// from versiontest's grammars, ordered by the tool.
//
// Usage:
//
//	go run ./scripts/gen/versions [-eco deb,rpm,pypi,npm,golang,maven] [-n 400] [-seed 1]
//
// Run it from the repository root, with the reference tools installed
// (scripts/install-reference-tools.sh).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/strata-scan/strata"
)

func main() {
	ecos := flag.String("eco", "deb,rpm,pypi,npm,golang,maven", "comma-separated ecosystems")
	n := flag.Int("n", 400, "generated pairs per file")
	seed := flag.Uint64("seed", 1, "random seed")
	dir := flag.String("dir", "internal/version/testdata", "fixture directory")
	flag.Parse()
	ctx := context.Background()
	failed := false
	for eco := range strings.SplitSeq(*ecos, ",") {
		if err := regenerate(ctx, *dir, strata.Ecosystem(eco), *n, *seed); err != nil {
			slog.Error("regenerate fixture", "ecosystem", eco, "err", err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func init() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./scripts/gen/versions [flags]")
		flag.PrintDefaults()
	}
}
