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
package alpine

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/strata-scan/strata/internal/update"

	"github.com/strata-scan/strata"
)

// Updater reads the Alpine secdb (and Wolfi's and Chainguard's).
type Updater struct{}

// Name is "alpine".
func (Updater) Name() string { return "alpine" }

// releases are the Alpine releases whose secdb is fetched by default:
// those with security support in December 2026, and edge.
var releases = []string{"v3.20", "v3.21", "v3.22", "edge"}

// Sources are the main and community secdb documents of the supported
// releases, and Wolfi's security.json.
func (Updater) Sources() []string {
	var out []string
	for _, r := range releases {
		for _, repo := range []string{"main", "community"} {
			out = append(out, "https://secdb.alpinelinux.org/"+r+"/"+repo+".json")
		}
	}
	return append(out, "https://packages.wolfi.dev/os/security.json")
}

// Parse reads one secdb document, JSON (it starts with "{") or YAML.
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := update.FirstRune(br)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	}
	var db *secdb
	if first == '{' {
		db, err = decodeJSON(br)
	} else {
		db, err = decodeYAML(br)
	}
	if err != nil {
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	}
	vs, err := db.records(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("alpine: parse %s: %w", name, err)
	}
	return vs, nil
}
