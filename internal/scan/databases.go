package scan

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/strata-scan/strata"
)

// ParseFunc turns one package database file into its packages.
type ParseFunc func(path string, b []byte) ([]strata.Package, error)

// Databases reads, in order, every file of files that wants accepts as one
// package database: each is listed in the report's Databases (so that it
// replaces what lower layers recorded in the same file) and parse gives its
// packages. With skip nil, a file that does not parse fails the scan;
// otherwise it is skipped, with a warning logged to skip, so that one
// broken file does not hide the others. name prefixes errors.
func Databases(ctx context.Context, name string, files FileSet, wants func(string) bool, parse ParseFunc, skip *slog.Logger) (*strata.LayerReport, error) {
	rep := &strata.LayerReport{}
	for _, p := range files.Paths() {
		if !wants(p) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: read %s: %w", name, p, err)
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
		rep.Packages = append(rep.Packages, pkgs...)
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
