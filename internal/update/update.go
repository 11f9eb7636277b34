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
	// the line or record. A document of the feed that yields no record (its
	// records are of ecosystems the updater does not read, or it is a valid
	// document that holds no vulnerability for strata: see EmptyDocument)
	// may give a *Skipped error, which is no failure. r yields no more than
	// the updater's MaxDocumentSize (see ParseDocument).
	Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error)
}

// Skipped is the error Parse returns for a document of the feed that
// yields no record: its records are all of ecosystems the updater does not
// read, or it is a valid document of the feed that holds no vulnerability
// for strata (Red Hat's documents whose every status is
// "known_not_affected" or that name no RHEL product, a secdb document
// listing no package, a withdrawn OSV record). It is no failure: the
// runner goes on. A location that yields no record is refused, naming
// what was skipped, unless one of its documents was such a valid empty
// document: that is the feed's word, and the location is read as holding
// no record. An empty file, the wrong kind of file or a tarball without
// the feed's documents is still refused.
type Skipped struct {
	Records    int      // records skipped as of unsupported ecosystems
	Ecosystems []string // their ecosystems, as the feed names them, sorted
	// Empty are the valid documents that hold no record, each "NAME
	// (REASON)", sorted (see EmptyDocument).
	Empty []string
}

// EmptyDocument is the Skipped error of a valid document of the feed,
// named name, that holds no record for strata, for the reason given ("lists
// no package").
func EmptyDocument(name, reason string) *Skipped {
	return &Skipped{Empty: []string{name + " (" + reason + ")"}}
}

// maxNamed bounds the ecosystems and documents a Skipped error names.
const maxNamed = 10

func (s *Skipped) Error() string {
	var parts []string
	if s.Records > 0 {
		parts = append(parts, fmt.Sprintf("%d records of unsupported ecosystems: %s", s.Records, names(s.Ecosystems)))
	}
	if n := len(s.Empty); n > 0 {
		what := "documents that hold"
		if n == 1 {
			what = "document that holds"
		}
		parts = append(parts, fmt.Sprintf("%d %s no record: %s", n, what, names(s.Empty)))
	}
	return "skipped " + strings.Join(parts, "; ")
}

// names joins the first maxNamed of names and says how many more there are.
func names(names []string) string {
	more := ""
	if len(names) > maxNamed {
		names, more = names[:maxNamed], fmt.Sprintf(" and %d more", len(names)-maxNamed)
	}
	return strings.Join(names, ", ") + more
}

// add counts what o skipped too.
func (s *Skipped) add(o *Skipped) {
	s.Records += o.Records
	s.Ecosystems = union(s.Ecosystems, o.Ecosystems)
	s.Empty = union(s.Empty, o.Empty)
}

// union is the sorted set of the strings of a and b.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// empty says whether nothing was skipped.
func (s *Skipped) empty() bool { return s.Records == 0 && len(s.Empty) == 0 }

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

// Discoverer is an Updater whose upstream locations change over time and
// are listed by an index on the network: Alpine's secdb has one folder
// per release, and a release is added twice a year. The runner uses
// Discover instead of Sources when no location is named.
type Discoverer interface {
	Updater
	// Discover reads the index with client (see Get) and returns the
	// locations it lists today. An index that cannot be read, or lists
	// none, is an error naming its URL.
	Discover(ctx context.Context, client *http.Client) ([]string, error)
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
