package scan

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/strata-scan/strata"
)

// DefaultMaxPackages is how many packages Databases and RealDatabases let
// one scanner report for one layer when the file set does not say
// (PackageLimiter); it is layer.DefaultLimits' MaxPackages.
const DefaultMaxPackages = 200_000

// PackageLimiter is implemented by file sets that bound the packages one
// scanner may report for them: MaxPackages returns the bound.
type PackageLimiter interface {
	MaxPackages() int
}

// maxPackages returns the bound on the packages of files.
func maxPackages(files FileSet) int {
	if l, ok := files.(PackageLimiter); ok && l.MaxPackages() > 0 {
		return l.MaxPackages()
	}
	return DefaultMaxPackages
}

// addPackages appends the packages read from the database at path to
// rep, or fails when rep would hold more than max of them.
func addPackages(rep *strata.LayerReport, name, path string, pkgs []strata.Package, max int) error {
	if len(rep.Packages)+len(pkgs) > max {
		return fmt.Errorf("%s: %s: %d packages, more than the limit of %d packages per layer (a real database lists a few thousand)", name, path, len(rep.Packages)+len(pkgs), max)
	}
	rep.Packages = append(rep.Packages, pkgs...)
	return nil
}

// ParseFunc turns one package database file into its packages.
type ParseFunc func(path string, b []byte) ([]strata.Package, error)

// Databases reads, in order, every file of files that wants accepts as one
// package database: each is listed in the report's Databases (so that it
// replaces what lower layers recorded in the same file) and parse gives its
// packages. With skip nil, a file that does not parse fails the scan;
// otherwise it is skipped, with a warning logged to skip, so that one
// broken file does not hide the others. name prefixes errors. More
// packages than the file set's MaxPackages (PackageLimiter) fail the scan,
// naming the file that passed the limit.
func Databases(ctx context.Context, name string, files FileSet, wants func(string) bool, parse ParseFunc, skip *slog.Logger) (*strata.LayerReport, error) {
	rep := &strata.LayerReport{}
	max := maxPackages(files)
	for _, p := range files.Paths() {
		if !wants(p) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		pkgs, err := parse(p, b)
		if err != nil && skip == nil {
			return nil, err
		}
		rep.Databases = append(rep.Databases, p)
		if err != nil {
			skip.Warn(name+": skipped a file that does not parse", "path", p, "err", err)
			continue
		}
		if err := addPackages(rep, name, p, pkgs, max); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// Logger returns l, or slog.Default when l is nil.
func Logger(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.Default()
}
