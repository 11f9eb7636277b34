// Package gobin finds the Go modules compiled into the executables of a
// layer from the build information the Go linker embeds in them (what `go
// version -m` prints), without running them: the main module, every
// dependency (with replacements applied) and the standard library, as the
// package "stdlib" at the version of the toolchain that built the binary.
//
// Only a path is known when the layer walk asks Wants, not whether the file
// is an executable, and every wanted file is kept (a large one on disk);
// so the scanner wants the files of the usual executable directories only
// (see Wants), and Scan keeps those that are ELF files with Go build info.
// Of each file, only the parts needed are read into memory: the ELF
// headers, the build info and the function name table (see ReadBinary).
package gobin

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// Scanner reads Go build info. The zero value is ready to use and logs to
// slog.Default.
type Scanner struct {
	Log *slog.Logger // where files without Go build info are noted, at debug level
}

var _ scan.Scanner = Scanner{}

// Name is "gobin".
func (Scanner) Name() string { return "gobin" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "3" }

// Wants reports whether path is in a directory where executables are
// installed: any directory named bin or sbin (bin, usr/local/bin, go/bin,
// opt/NAME/bin, usr/lib/go-1.19/bin…), anywhere under usr/libexec (docker's
// cli-plugins), ko's ko-app, and, for the single-binary images that copy
// their program to / or /app, the files there whose name has no dot.
// Hidden files are not wanted.
func (Scanner) Wants(p string) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	if base == "" || base[0] == '.' {
		return false
	}
	switch {
	case dir == "" || dir == "app":
		return !strings.Contains(base, ".")
	case dir == "ko-app" || dir == "usr/libexec" || strings.HasPrefix(dir, "usr/libexec/"):
		return true
	}
	last := dir[strings.LastIndexByte(dir, '/')+1:]
	return last == "bin" || last == "sbin"
}

// Scan reads the build info of every wanted file of the layer. Every wanted
// path, Go binary or not, is listed in Databases, so that it replaces what
// lower layers found at the same path. A binary reached through links is
// reported once, at its own path, when the file set can resolve links.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	return scan.RealDatabases(ctx, "gobin", files, s.Wants, func(p string, r *io.SectionReader) []strata.Package {
		pkgs, err := ReadBinary(p, r)
		if errors.Is(err, ErrNotGo) {
			scan.Logger(s.Log).Debug("gobin: not a Go binary", "err", err)
			return nil
		}
		return pkgs
	})
}
