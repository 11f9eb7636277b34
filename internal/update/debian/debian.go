// Package debian reads the Debian security tracker: its JSON export
// (https://security-tracker.debian.org/tracker/data/json, one record per
// source package, CVE and release) and its advisory lists in the
// tracker's native text format (data/DSA/list, data/DLA/list,
// data/DTSA/list: one record per advisory, release and fixed package).
// The format of a document is told from its content.
package debian

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/update"

	"github.com/strata-scan/strata"
)

// Updater reads the Debian security tracker.
type Updater struct{}

// Name is "debian".
func (Updater) Name() string { return "debian" }

// MaxDocumentSize is 512 MiB: the security tracker's JSON is 70-odd MiB
// and read as a stream; the DSA and DLA lists are under 1 MiB.
func (Updater) MaxDocumentSize() int64 { return 512 << 20 }

var _ update.DocumentLimiter = Updater{}

// Sources is the tracker's JSON export. The advisory lists are read when
// given with --source (a file, a directory or a tarball of them).
func (Updater) Sources() []string {
	return []string{"https://security-tracker.debian.org/tracker/data/json"}
}

// Parse reads one document: the tracker JSON (it starts with "{") or an
// advisory list (it starts with "[").
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := update.FirstRune(br)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("debian: parse %s: %w", name, err)
	}
	switch first {
	case '{':
		return parseJSON(ctx, name, br)
	case '[':
		return parseList(ctx, name, br)
	}
	return nil, fmt.Errorf("debian: parse %s: starts with %q: want the tracker JSON or a DSA/DLA/DTSA list", name, first)
}

// releases maps Debian codenames to strata's release keys.
var releases = map[string]string{
	"buzz": "debian:1.1", "rex": "debian:1.2", "bo": "debian:1.3",
	"hamm": "debian:2.0", "slink": "debian:2.1", "potato": "debian:2.2",
	"woody": "debian:3.0", "sarge": "debian:3.1", "etch": "debian:4",
	"lenny": "debian:5", "squeeze": "debian:6", "wheezy": "debian:7",
	"jessie": "debian:8", "stretch": "debian:9", "buster": "debian:10",
	"bullseye": "debian:11", "bookworm": "debian:12", "trixie": "debian:13",
	"forky": "debian:14", "sid": "debian:sid",
}

// skipped counts the records dropped because their release is unknown.
type skipped map[string]int

func (s skipped) log(ctx context.Context, name string) {
	if len(s) == 0 {
		return
	}
	var total int
	for _, n := range s {
		total += n
	}
	codenames := slices.Sorted(maps.Keys(s))
	slog.DebugContext(ctx, "debian: skipped records of unknown releases",
		"document", name, "records", total, "codenames", codenames)
}

// severity normalises a tracker urgency ("low", "medium**"…).
func severity(urgency string) strata.Severity {
	switch strings.TrimRight(urgency, "*") {
	case "unimportant":
		return strata.Negligible
	case "low":
		return strata.Low
	case "medium":
		return strata.Medium
	case "high":
		return strata.High
	}
	return strata.Unknown
}

func link(id string) []string {
	return []string{"https://security-tracker.debian.org/tracker/" + id}
}

// record is a vulnerability of package pkg in the release rel, fixed in
// version fixed ("" for none).
func record(id, rel, pkg, fixed string, state strata.State) strata.Vulnerability {
	ranges := []strata.Range{{Events: []strata.Event{{Introduced: "0"}}}}
	if fixed != "" {
		ranges[0].Events = append(ranges[0].Events, strata.Event{Fixed: fixed})
	}
	return strata.Vulnerability{
		ID: id, Updater: "debian", Eco: strata.Deb, Release: rel,
		Package: pkg, SourcePackage: true,
		Ranges: ranges, FixedVersion: fixed, State: state,
		Links: link(id),
	}
}
