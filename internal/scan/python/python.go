// Package python finds the Python distributions installed in a layer by
// reading their core metadata: *.dist-info/METADATA (wheels, pip) and
// *.egg-info/PKG-INFO or a single *.egg-info file (setuptools, distutils),
// in site-packages and in Debian's dist-packages.
package python

import (
	"context"
	"log/slog"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// Scanner reads Python metadata files. The zero value is ready to use and
// logs to slog.Default.
type Scanner struct {
	Log *slog.Logger // where skipped files are reported
}

var _ scan.Scanner = Scanner{}

// Name is "python".
func (Scanner) Name() string { return "python" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "1" }

// Wants reports whether path is a metadata file of a distribution installed
// in a site-packages or dist-packages directory, at any depth below it
// (setuptools and pip vendor distributions with their own dist-info).
func (Scanner) Wants(path string) bool {
	if !inDir(path, "/site-packages/") && !inDir(path, "/dist-packages/") {
		return false
	}
	return strings.HasSuffix(path, ".dist-info/METADATA") ||
		strings.HasSuffix(path, ".egg-info/PKG-INFO") ||
		strings.HasSuffix(path, ".egg-info")
}

// inDir reports whether path is below a directory dir ("/NAME/"), at the
// top or deeper, without building a string: Wants is called for every
// file of a layer.
func inDir(path, dir string) bool {
	return strings.HasPrefix(path, dir[1:]) || strings.Contains(path, dir)
}

// Scan parses every wanted metadata file of the layer. Each one is listed
// in Databases, so that it replaces what lower layers recorded in the same
// file. A file that is not valid metadata is skipped with a warning: one
// broken distribution does not hide the others.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	return scan.Databases(ctx, "python", files, s.Wants, func(p string, b []byte) ([]strata.Package, error) {
		pkg, err := ParseMetadata(p, b)
		if err != nil {
			return nil, err
		}
		return []strata.Package{pkg}, nil
	}, scan.Logger(s.Log))
}
