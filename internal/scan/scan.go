// Package scan defines the Scanner plug-in point: a scanner names the files
// it wants from a layer, by path or as executable ELF files
// (ExecutableScanner), and turns them into packages or a distribution.
// The explicit list of scanners strata runs is in package scanners.
package scan

import (
	"context"

	"github.com/strata-scan/strata"
)

// Scanner finds packages (or the distribution) in one layer. Its name and
// version are part of the layer cache key: bump Version whenever what it
// reports for the same bytes changes.
type Scanner interface {
	Name() string
	Version() string
	// Wants is called for every tar header path (clean, relative, no
	// leading slash: "var/lib/dpkg/status"); it must be cheap.
	Wants(path string) bool
	// Scan turns the wanted files of one layer into a report. It fills
	// Packages, Distribution and Databases; the caller sets the rest.
	Scan(ctx context.Context, files FileSet) (*strata.LayerReport, error)
}

// ExecutableScanner is a Scanner that also wants, wherever they are, the
// executable ELF files of a layer: regular files whose mode has an
// execute bit and whose contents start with the ELF magic (Go binaries,
// which are installed anywhere: opt/app/server,
// usr/lib/docker/cli-plugins/docker-buildx). The layer walk tells them
// from the tar header's mode and the file's first four bytes, and skips,
// with a warning, one over its size limit (where a file wanted by path
// fails the layer). The scanner tells them apart in its file set with
// Executable.
type ExecutableScanner interface {
	Scanner
	// WantsExecutables reports whether the scanner wants the executable
	// ELF files.
	WantsExecutables() bool
}

// WantsExecutables reports whether s is an ExecutableScanner that wants
// the executable ELF files.
func WantsExecutables(s Scanner) bool {
	e, ok := s.(ExecutableScanner)
	return ok && e.WantsExecutables()
}

// ExecutableSet is implemented by file sets that know which of their
// files are executable ELF files: Executable reports whether path, or
// what its links lead to, is one.
type ExecutableSet interface {
	Executable(path string) bool
}

// Executable reports whether path is an executable ELF file of files, as
// the file set says when it is an ExecutableSet. A file set that cannot
// tell has each of its files taken for one: its files are those the
// scanner asked for.
func Executable(files FileSet, path string) bool {
	if e, ok := files.(ExecutableSet); ok {
		return e.Executable(path)
	}
	return true
}

// FileSet is the wanted files of one layer.
type FileSet interface {
	// Paths lists the wanted regular files (and links to them) present in
	// the layer, sorted.
	Paths() []string
	// ReadFile returns a wanted file's contents, following symbolic links
	// inside the layer; fs.ErrNotExist when absent (or when its links
	// cannot be resolved). Errors name the path, as *fs.PathError does.
	ReadFile(path string) ([]byte, error)
}
