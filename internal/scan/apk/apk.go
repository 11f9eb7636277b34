// Package apk finds the Alpine packages installed in a layer by reading
// apk's database, lib/apk/db/installed.
package apk

import (
	"bytes"
	"context"
	"log/slog"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// databases are the paths of apk's installed database: lib/apk/db, and
// usr/lib/apk/db where lib is a link to usr/lib (merged /usr).
var databases = []string{"lib/apk/db/installed", "usr/lib/apk/db/installed"}

// Scanner reads apk databases. The zero value is ready to use; it logs to
// slog.Default.
type Scanner struct {
	Log *slog.Logger // where skipped packages are reported
}

var _ scan.Scanner = Scanner{}

// Name is "apk".
func (Scanner) Name() string { return "apk" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "2" }

// Wants reports whether path is an apk installed database.
func (Scanner) Wants(path string) bool { return slices.Contains(databases, path) }

// Scan parses the layer's apk databases. Each one, even an empty one, is
// listed in Databases: it replaces what lower layers recorded in the same
// file. An entry without a name or a version is skipped with a warning;
// a file that is not an apk database fails the scan.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	return scan.Databases(ctx, "apk", files, s.Wants, func(p string, b []byte) ([]strata.Package, error) {
		return ParseInstalled(p, bytes.NewReader(b), s.Log)
	}, nil)
}
