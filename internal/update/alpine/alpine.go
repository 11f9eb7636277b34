// Package alpine reads the Alpine Linux security database (secdb): one
// document per release and repository (v3.19/main.json,
// v3.19/community.json) listing, for each origin (source) package, the
// versions that fixed each vulnerability. Upstream publishes it as JSON;
// the historical archive (alpine-secdb, v3.3 to v3.11) holds the same
// schema as YAML. The format is told from the content.
//
// Wolfi and Chainguard publish their security.json in the same schema but
// without a distroversion: they are rolling distributions, so their
// records go to the release "wolfi:rolling" or "chainguard:rolling",
// told from the document's urlprefix (https://packages.wolfi.dev,
// https://libraries.cgr.dev or https://packages.cgr.dev). Their images'
// os-release carry ID=wolfi (or ID=chainguard) and a date as VERSION_ID
// ("20220914"), which does not select a feed.
//
// Upstream, the releases are those the secdb's index page lists when the
// update runs (Discover): every vX.Y/ and edge/, so that images of old
// releases and of a new one are matched.
package alpine

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/countio"
	"github.com/strata-scan/strata/internal/update"
)

// DefaultIndex is the secdb's index page: a listing of one folder per
// release (v3.2/ to the latest vX.Y/, and edge/).
const DefaultIndex = "https://secdb.alpinelinux.org/"

// defaultRolling are the documents of the rolling distributions that use
// Alpine's schema: Wolfi's, and Chainguard's (Chainguard OS images carry
// ID=chainguard, whose records are "chainguard:rolling").
var defaultRolling = []string{
	"https://packages.wolfi.dev/os/security.json",
	"https://packages.cgr.dev/chainguard/security.json",
}

// Updater reads the Alpine secdb (and Wolfi's and Chainguard's). The zero
// value reads upstream's.
type Updater struct {
	// Index is the secdb index page; "" means DefaultIndex.
	Index string
	// Rolling are the rolling distributions' documents; nil means
	// defaultRolling.
	Rolling []string
}

var _ update.Discoverer = Updater{}

// Name is "alpine".
func (Updater) Name() string { return "alpine" }

// MaxDocumentSize is 64 MiB: secdb files are a few MiB at most.
func (Updater) MaxDocumentSize() int64 { return 64 << 20 }

var _ update.DocumentLimiter = Updater{}

// Sources are the secdb index and the rolling distributions' documents.
// The runner reads the releases the index lists through Discover.
func (u Updater) Sources() []string { return append([]string{u.index()}, u.rolling()...) }

// index is the index page's URL, ending in "/", to which the releases'
// folder names are appended.
func (u Updater) index() string {
	if u.Index == "" {
		return DefaultIndex
	}
	return strings.TrimSuffix(u.Index, "/") + "/"
}

func (u Updater) rolling() []string {
	if u.Rolling == nil {
		return defaultRolling
	}
	return u.Rolling
}

// Parse reads one secdb document, JSON (it starts with "{") or YAML. A
// document that names its release but makes no record (as v3.3's
// community.yaml, whose packages list is empty) gives an
// update.EmptyDocument; one that names nothing ("{}", nothing but
// comments) is not part of the feed: nil, nil.
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	c := &countio.Reader{R: r}
	br := bufio.NewReaderSize(c, 64<<10)
	first, err := update.FirstRune(br)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	}
	var db *secdb
	if first == '{' {
		db, err = decodeJSON(br, c)
	} else {
		db, err = decodeYAML(br)
	}
	if err != nil {
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	}
	if db.DistroVersion == "" && db.URLPrefix == "" && len(db.Packages) == 0 {
		return nil, nil
	}
	vs, err := db.records(ctx, name)
	switch {
	case err != nil:
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	case len(vs) > 0:
		return vs, nil
	case len(db.Packages) == 0:
		return nil, update.EmptyDocument(name, "lists no package")
	}
	return nil, update.EmptyDocument(name, "lists no fix naming a vulnerability")
}
