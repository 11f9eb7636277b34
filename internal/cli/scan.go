package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/index"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/scan/scanners"
	"github.com/strata-scan/strata/internal/store"
)

const scanHelp = `Usage: strata scan [flags] IMAGE

Indexes IMAGE layer by layer (a layer already indexed, by this or another
image, is not read again), matches its packages against the vulnerability
data in the store ("strata update" loads it) and prints the findings.

IMAGE is a docker save archive (.tar or .tar.gz), an OCI image layout (a
directory, or a .tar/.tar.gz of one), an unpacked root file system
directory, or a registry reference (registry.example.com/team/app:1.2 or
…@sha256:…). Registry credentials come from --username with
--password-stdin or $STRATA_REGISTRY_USERNAME/$STRATA_REGISTRY_PASSWORD,
else from the docker config ($DOCKER_CONFIG or ~/.docker/config.json);
a layer already indexed is not downloaded.

The report goes to stdout: a table, or with --format json a Clair v4
VulnerabilityReport with strata's reasons. Progress goes to stderr when it
is a terminal. Exit status: 0 done, 1 error, 2 a finding at or above
--fail-on remains.

A feed last updated longer ago than --max-feed-age (default 7 days), or
no feed loaded at all, is warned about on stderr ("strata db status"
shows each feed's age).
`

type scanFlags struct {
	format        string
	severity      string
	failOn        string
	ignoreUnfixed bool
	maxFeedAge    time.Duration
	image         imageFlags
}

func runScan(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "scan", scanHelp)
	common.creates = true
	var f scanFlags
	fs.StringVar(&f.format, "format", "table", "output format: table or json")
	fs.StringVar(&f.severity, "severity", "Unknown", "report only findings at or above this severity (Unknown, Negligible, Low, Medium, High, Critical)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 2 when a reported finding is at or above this severity")
	fs.BoolVar(&f.ignoreUnfixed, "ignore-unfixed", false, "report only findings that have a fixed version")
	f.maxFeedAge = defaultMaxFeedAge
	fs.Var(durationFlag{&f.maxFeedAge}, "max-feed-age", "warn on stderr when a feed was last updated longer ago than this (7d, 36h; 0: never), or was never loaded")
	f.image.register(fs.FlagSet)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want exactly one IMAGE, have %d arguments", fs.NArg())
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	minSev, err := strata.ParseSeverity(f.severity)
	if err != nil {
		return fmt.Errorf("--severity: %w", err)
	}
	var failOn *strata.Severity
	if f.failOn != "" {
		s, err := strata.ParseSeverity(f.failOn)
		if err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
		failOn = &s
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	opts, err := f.image.options()
	if err != nil {
		return err
	}
	ir, err := indexImage(ctx, e, st, fs.Arg(0), opts, f.image.limits())
	if err != nil {
		return err
	}
	res, err := match.Match(ctx, st, ir, e.log)
	if err != nil {
		return err
	}
	if err := match.EnrichNVD(ctx, st, res); err != nil {
		return err
	}
	if len(res.Uncovered) > 0 && res.Checked == 0 {
		// Nothing could be checked: an error, never "0 vulnerabilities".
		// The JSON report still goes out, its "uncovered" saying why.
		if f.format == "json" {
			if err := report.JSON(e.stdout, ir, res); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		if err := warnFeedAge(ctx, e, st, f.maxFeedAge); err != nil {
			return err
		}
		hint, err := uncoveredHint(ctx, st)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s: no vulnerability data for %s: none of its %d packages could be checked (%s)",
			fs.Arg(0), strings.Join(res.Uncovered, ", "), len(ir.Packages), hint)
	}
	if len(ir.Packages) == 0 {
		fmt.Fprintf(e.stderr, "warning: %s: no installed packages found (no package database in any layer)\n", fs.Arg(0))
	}
	for _, u := range res.Uncovered {
		fmt.Fprintf(e.stderr, "warning: no vulnerability data for %s: its packages were not checked\n", u)
	}
	warnUnknownSeverity(e, res, minSev, failOn)
	res = res.Filter(minSev, f.ignoreUnfixed)
	if f.format == "json" {
		err = report.JSON(e.stdout, ir, res)
	} else {
		err = report.Table(e.stdout, ir, res)
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := warnFeedAge(ctx, e, st, f.maxFeedAge); err != nil {
		return err
	}
	if failOn != nil {
		for _, fd := range res.Findings {
			if fd.Vulnerability.Severity >= *failOn {
				return errFindings
			}
		}
	}
	return nil
}

// indexImage opens an image and indexes it into st, with progress on a
// terminal.
func indexImage(ctx context.Context, e *env, st index.Store, ref string, opts image.Options, lim layer.Limits) (*strata.IndexReport, error) {
	im, err := image.Open(ctx, ref, opts)
	if err != nil {
		return nil, err
	}
	defer im.Close()
	ix := &index.Indexer{Store: st, Scanners: scanners.Logging(e.log), Limits: lim, Log: e.log}
	if isTerminal(e.stderr) {
		ix.Progress = func(i, n int, d strata.Digest, cached bool) {
			how := "read"
			if cached {
				how = "cached"
			}
			fmt.Fprintf(e.stderr, "layer %d/%d %s: %s\n", i, n, d.Short(), how)
		}
	}
	ir, err := ix.Index(ctx, im)
	if err != nil {
		return nil, err
	}
	e.log.Info("indexed", "image", im.Ref, "manifest", ir.ManifestDigest, "layers", len(ir.Layers), "layers_read", ir.LayersRead, "packages", len(ir.Packages))
	return ir, nil
}

// uncoveredHint says why a distribution may have no vulnerability data:
// no feed loaded, or none of those loaded covers it.
func uncoveredHint(ctx context.Context, st store.Store) (string, error) {
	loaded, err := loadedFeeds(ctx, st)
	if err != nil {
		return "", err
	}
	if len(loaded) == 0 {
		return noFeedHint, nil
	}
	return fmt.Sprintf("none of the loaded feeds (%s) covers it; strata has feeds for alpine, debian, ubuntu, redhat and osv",
		strings.Join(loaded, ", ")), nil
}

// noFeedHint says what to do about a store no feed was ever loaded into.
const noFeedHint = `no feed was ever loaded: run "strata update" or "strata db import"`

// loadedFeeds returns, sorted, the feeds loaded into st at least once.
func loadedFeeds(ctx context.Context, st store.Store) ([]string, error) {
	sts, err := st.UpdaterStatuses(ctx)
	if err != nil {
		return nil, err
	}
	var loaded []string
	for _, s := range sts {
		if !s.LastSuccess.IsZero() {
			loaded = append(loaded, s.Updater)
		}
	}
	slices.Sort(loaded)
	return loaded, nil
}

// warnUnknownSeverity says when a severity threshold passes over findings
// whose feed gives no severity (the Debian advisory lists give none), so
// that a quiet --fail-on is not taken for a clean image.
func warnUnknownSeverity(e *env, res *match.Result, minSev strata.Severity, failOn *strata.Severity) {
	if minSev == strata.Unknown && (failOn == nil || *failOn == strata.Unknown) {
		return
	}
	n := 0
	for _, f := range res.Findings {
		if f.Vulnerability.Severity == strata.Unknown {
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "warning: %d findings have no severity in their feed (Unknown) and count below any --severity or --fail-on threshold\n", n)
	}
}
