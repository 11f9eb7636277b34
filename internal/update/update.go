// Package update defines the Updater plug-in point (one per feed), fetches
// feed documents from files, directories, tarballs and URLs with
// conditional requests, and runs updates into a store. list.go holds the
// explicit list of updaters.
package update

import (
	"context"
	"errors"
	"io"

	"github.com/strata-scan/strata"
)

// ErrUnchanged says that a feed has not changed since the fingerprint given.
var ErrUnchanged = errors.New("feed unchanged")

// Updater reads one feed.
//
// DESIGN.md had Fetch and Parse on one stream. A feed is often several
// documents (the DSA and DLA lists, a tree of per-CVE files), so fetching
// is done once for every updater by this package (Open), and an updater
// parses one document at a time.
type Updater interface {
	Name() string
	// Sources are the upstream locations (URLs) used when the user names
	// none with --source.
	Sources() []string
	// Parse reads one document. name is its path or URL (inside a tarball:
	// "archive.tar.gz:active/CVE-2020-1234"); the updater uses it for error
	// messages and may skip documents that are not part of the feed by
	// returning nil, nil. A malformed document is an error naming name and
	// the line or record.
	Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error)
}
