// Package scan defines the Scanner plug-in point: a scanner names the files
// it wants from a layer and turns them into packages or a distribution.
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
