// Package update defines the Updater plug-in point (one per feed), fetches
// feed documents from files, directories, tarballs and URLs with
// conditional requests, and runs updates into a store. list.go holds the
// explicit list of updaters.
package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

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
	// the line or record. A document of records of ecosystems the updater
	// does not read may give a *Skipped error, which is no failure.
	Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error)
}

// Skipped is the error Parse returns for a document whose records are all
// of ecosystems the updater does not read. It is no failure: the runner
// goes on, and names what it skipped when a location yields no record.
type Skipped struct {
	Records    int      // records skipped
	Ecosystems []string // their ecosystems, as the feed names them, sorted
}

// maxNamed bounds the ecosystems a Skipped error names.
const maxNamed = 10

func (s *Skipped) Error() string {
	names := s.Ecosystems
	more := ""
	if len(names) > maxNamed {
		names, more = names[:maxNamed], fmt.Sprintf(" and %d more", len(names)-maxNamed)
	}
	return fmt.Sprintf("skipped %d records of unsupported ecosystems: %s%s", s.Records, strings.Join(names, ", "), more)
}

// add counts the records of o as skipped too.
func (s *Skipped) add(o *Skipped) {
	s.Records += o.Records
	for _, e := range o.Ecosystems {
		if !slices.Contains(s.Ecosystems, e) {
			s.Ecosystems = append(s.Ecosystems, e)
		}
	}
	slices.Sort(s.Ecosystems)
}

// Incremental is an Updater whose upstream can also be read as the changes
// since an earlier run (NVD's lastModified windows, Red Hat's changes.csv
// and deletions.csv). The runner uses Changes when no location is named;
// named locations (files, mirrors) are always read whole through Parse.
type Incremental interface {
	Updater
	// Changes reads the upstream feed: the whole of it when cursor is ""
	// (the first run, or a run after one from named locations), returning
	// Full changes; otherwise what changed since the run that returned
	// cursor. Documents are fetched with client (see Fetch).
	Changes(ctx context.Context, client *http.Client, cursor string) (*Changes, error)
}

// Changes is what an incremental read of a feed found.
type Changes struct {
	// Full says that Records is the feed's whole set.
	Full bool
	// Cursor is stored and given to the next Changes call.
	Cursor string
	// IDs lists, when not Full, the vulnerabilities that changed: their
	// stored records are replaced by the records in Records with that ID,
	// and removed when Records holds none (a withdrawn advisory).
	IDs []string
	// Records are the new records.
	Records []strata.Vulnerability
}
