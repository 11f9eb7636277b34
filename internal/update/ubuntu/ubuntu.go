// Package ubuntu reads the Ubuntu CVE Tracker in its native format: one
// text file per CVE (active/CVE-YYYY-NNNN) with header fields and one
// "<release>_<source package>: <status> (<note>)" line per release and
// package. Each line for a supported release gives one record.
package ubuntu

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
)

// Updater reads the Ubuntu CVE Tracker.
type Updater struct{}

// Name is "ubuntu".
func (Updater) Name() string { return "ubuntu" }

// MaxDocumentSize is 64 MiB: the tracker's files are under 100 KiB.
func (Updater) MaxDocumentSize() int64 { return 64 << 20 }

var _ update.DocumentLimiter = Updater{}

// Sources is a snapshot of the tracker's git repository, which Canonical
// publishes on Launchpad (git.launchpad.net/ubuntu-cve-tracker): a
// tarball whose documents are under ubuntu-cve-tracker-master/active/.
func (Updater) Sources() []string {
	return []string{"https://git.launchpad.net/ubuntu-cve-tracker/snapshot/ubuntu-cve-tracker-master.tar.gz"}
}

var cveName = regexp.MustCompile(`^CVE-\d{4}-\d+$`)

// Parse reads one CVE file. Only files named CVE-YYYY-NNNN are part of
// the feed, and not those under retired/ or ignored/ (CVEs the tracker
// no longer follows); for any other name Parse returns nil, nil.
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	if !isDocument(name) {
		return nil, nil
	}
	f, err := parseFile(r)
	if err != nil {
		return nil, fmt.Errorf("ubuntu: parse %s: %w", name, err)
	}
	vs, err := f.records(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("ubuntu: parse %s: %w", name, err)
	}
	return vs, nil
}

// isDocument says whether name (a path, or "tarball:path") is a CVE file
// of the active tree.
func isDocument(name string) bool {
	if i := strings.LastIndex(name, ":"); i >= 0 {
		name = name[i+1:]
	}
	dirs := strings.Split(path.Dir(strings.ReplaceAll(name, `\`, "/")), "/")
	return cveName.MatchString(path.Base(name)) &&
		!slices.Contains(dirs, "retired") && !slices.Contains(dirs, "ignored")
}

// releases maps the tracker's release names to strata's release keys.
// The tracker also has lines for pseudo-releases, which are skipped:
// upstream, devel (whichever release is in development: its packages
// are those of the next named release, which has its own lines once it
// opens), the ESM and FIPS pockets (trusty/esm, esm-infra/xenial,
// fips/…: packages outside the release's archive), Ubuntu Core and
// phone overlays (vivid/ubuntu-core, vivid/stable-phone-overlay), snap
// and product lines.
var releases = map[string]string{
	"warty": "ubuntu:4.10", "hoary": "ubuntu:5.04", "breezy": "ubuntu:5.10",
	"dapper": "ubuntu:6.06", "edgy": "ubuntu:6.10", "feisty": "ubuntu:7.04",
	"gutsy": "ubuntu:7.10", "hardy": "ubuntu:8.04", "intrepid": "ubuntu:8.10",
	"jaunty": "ubuntu:9.04", "karmic": "ubuntu:9.10", "lucid": "ubuntu:10.04",
	"maverick": "ubuntu:10.10", "natty": "ubuntu:11.04", "oneiric": "ubuntu:11.10",
	"precise": "ubuntu:12.04", "quantal": "ubuntu:12.10", "raring": "ubuntu:13.04",
	"saucy": "ubuntu:13.10", "trusty": "ubuntu:14.04", "utopic": "ubuntu:14.10",
	"vivid": "ubuntu:15.04", "wily": "ubuntu:15.10", "xenial": "ubuntu:16.04",
	"yakkety": "ubuntu:16.10", "zesty": "ubuntu:17.04", "artful": "ubuntu:17.10",
	"bionic": "ubuntu:18.04", "cosmic": "ubuntu:18.10", "disco": "ubuntu:19.04",
	"eoan": "ubuntu:19.10", "focal": "ubuntu:20.04", "groovy": "ubuntu:20.10",
	"hirsute": "ubuntu:21.04", "impish": "ubuntu:21.10", "jammy": "ubuntu:22.04",
	"kinetic": "ubuntu:22.10", "lunar": "ubuntu:23.04", "mantic": "ubuntu:23.10",
	"noble": "ubuntu:24.04", "oracular": "ubuntu:24.10", "plucky": "ubuntu:25.04",
	"questing": "ubuntu:25.10",
}

// pseudoRelease says whether a release name is one of the tracker's
// pseudo-releases (see releases), skipped without notice.
func pseudoRelease(name string) bool {
	switch name {
	case "upstream", "devel", "snap", "product":
		return true
	}
	return strings.Contains(name, "/") || strings.HasPrefix(name, "esm") || strings.Contains(name, "fips")
}

// logUnknown reports the lines skipped because their release is unknown.
func logUnknown(ctx context.Context, name string, unknown []string) {
	if len(unknown) > 0 {
		slog.DebugContext(ctx, "ubuntu: skipped lines of unknown releases",
			"document", name, "releases", slices.Compact(slices.Sorted(slices.Values(unknown))))
	}
}

// priorities maps the tracker's priorities to severities.
var priorities = map[string]strata.Severity{
	"": strata.Unknown, "untriaged": strata.Unknown,
	"negligible": strata.Negligible, "low": strata.Low, "medium": strata.Medium,
	"high": strata.High, "critical": strata.Critical,
}
