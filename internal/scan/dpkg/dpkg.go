// Package dpkg finds the Debian packages installed in a layer by reading
// dpkg's status database: var/lib/dpkg/status, and the one-file-per-package
// var/lib/dpkg/status.d/ that distroless images use instead. It also reads
// the packages' file lists, var/lib/dpkg/info/*.list, and records which
// package owns the paths language scanners read (see ReadFileList), so
// that a Debian-packaged library can be told from a pip-installed one.
package dpkg

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
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

// Scanner reads dpkg status files. The zero value is ready to use; it
// logs to slog.Default.
type Scanner struct {
	Log *slog.Logger // where skipped packages are reported
}

var _ scan.Scanner = Scanner{}

// Name is "dpkg".
func (Scanner) Name() string { return "dpkg" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "4" }

// Wants reports whether path is var/lib/dpkg/status, a package file
// directly in var/lib/dpkg/status.d (not one of its control files) or a
// file list in var/lib/dpkg/info.
func (s Scanner) Wants(path string) bool {
	return s.wantsStatus(path) || isFileList(path)
}

// wantsStatus reports whether path is a status file.
func (Scanner) wantsStatus(path string) bool {
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

// Scan parses every status file of the layer. Each one, even an empty
// one, is listed in Databases: it replaces what lower layers recorded in
// the same file. The layer's file lists fill Owned.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	rep, err := scan.Databases(ctx, "dpkg", files, s.wantsStatus, func(p string, b []byte) ([]strata.Package, error) {
		return ParseStatus(p, bytes.NewReader(b), s.Log)
	}, nil)
	if err != nil {
		return nil, err
	}
	for _, p := range files.Paths() {
		if !isFileList(p) {
			continue
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("dpkg: %w", err)
		}
		if rep.Owned == nil {
			rep.Owned = map[string]string{}
		}
		ReadFileList(rep.Owned, listOwner(p), b)
	}
	return rep, nil
}
