// Package gobin finds the Go modules compiled into the executables of a
// layer from the build information the Go linker embeds in them (what `go
// version -m` prints), without running them: the main module, every
// dependency (with replacements applied) and the standard library, as the
// package "stdlib" at the version of the toolchain that built the binary.
//
// Go binaries are installed anywhere (opt/app/server,
// usr/lib/docker/cli-plugins/docker-buildx,
// usr/lib/go-1.19/pkg/tool/linux_amd64/vet), so the scanner wants no path
// but every executable ELF file of the layer, wherever it is (see
// scan.ExecutableScanner): the layer walk keeps the regular files whose
// mode has an execute bit and that start with the ELF magic, and reads
// only the first bytes of the other executables. Of each file, only the
// parts needed are read into memory: the ELF headers, the build info and
// the function name table (see ReadBinary).
package gobin

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// Scanner reads Go build info. The zero value is ready to use and logs to
// slog.Default.
type Scanner struct {
	Log *slog.Logger // where damaged ELF files are warned of, and files without Go build info noted at debug level
}

var _ scan.ExecutableScanner = Scanner{}

// Name is "gobin".
func (Scanner) Name() string { return "gobin" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "4" }

// Wants reports false: no file is wanted for its path alone, an
// executable ELF file is wanted wherever it is (WantsExecutables).
func (Scanner) Wants(string) bool { return false }

// WantsExecutables reports true: the scanner reads every executable ELF
// file (scan.ExecutableScanner).
func (Scanner) WantsExecutables() bool { return true }

// Scan reads the build info of every executable ELF file of the layer
// (scan.Executable). Each one, Go binary or not, is listed in Databases,
// and so are the links that lead to one, so that it replaces what lower
// layers found at the same path. A binary reached through links is
// reported once, at its own path, when the file set can resolve links. A
// file that starts with the ELF magic but cannot be read as an ELF file is
// skipped with a warning; files without Go build info are noted at debug
// level.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	executable := func(p string) bool { return scan.Executable(files, p) }
	return scan.RealDatabases(ctx, "gobin", files, executable, func(p string, r *io.SectionReader) []strata.Package {
		pkgs, err := ReadBinary(p, r)
		switch {
		case errors.Is(err, ErrBadELF):
			scan.Logger(s.Log).Warn("gobin: skipped an executable that is not a readable ELF file", "path", p, "err", err)
		case err != nil:
			scan.Logger(s.Log).Debug("gobin: not a Go binary", "err", err)
		}
		return pkgs
	})
}
