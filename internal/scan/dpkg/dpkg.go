// Package dpkg finds the Debian packages installed in a layer by reading
// dpkg's status database: var/lib/dpkg/status, and the one-file-per-package
// var/lib/dpkg/status.d/ that distroless images use instead.
package dpkg

import (
	"bytes"
	"context"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

const (
	statusFile = "var/lib/dpkg/status"
	statusDir  = "var/lib/dpkg/status.d/"
)

// controlSuffixes are the dpkg control files that distroless images may put
// next to a package's status file in status.d; they hold no package
// stanza. Package names may contain dots ("libssl1.1"), so only these
// suffixes are excluded.
var controlSuffixes = []string{
	".md5sums", ".conffiles", ".list", ".preinst", ".postinst", ".prerm",
	".postrm", ".config", ".templates", ".triggers", ".shlibs", ".symbols",
}

// Scanner reads dpkg status files. The zero value is ready to use.
type Scanner struct{}

var _ scan.Scanner = Scanner{}

// Name is "dpkg".
func (Scanner) Name() string { return "dpkg" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "1" }

// Wants reports whether path is var/lib/dpkg/status or a package file
// directly in var/lib/dpkg/status.d (not one of its control files).
func (Scanner) Wants(path string) bool {
	if path == statusFile {
		return true
	}
	name, ok := strings.CutPrefix(path, statusDir)
	if !ok || name == "" || name[0] == '.' || strings.ContainsRune(name, '/') {
		return false
	}
	for _, suf := range controlSuffixes {
		if strings.HasSuffix(name, suf) {
			return false
		}
	}
	return true
}

// Scan parses every wanted status file of the layer. Each one, even an
// empty one, is listed in Databases: it replaces what lower layers
// recorded in the same file.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	return scan.Databases(ctx, "dpkg", files, s.Wants, func(p string, b []byte) ([]strata.Package, error) {
		return ParseStatus(p, bytes.NewReader(b))
	}, nil)
}
