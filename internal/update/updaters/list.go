// Package updaters holds the explicit list of feeds strata knows.
package updaters

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/alpine"
	"github.com/strata-scan/strata/internal/update/debian"
	"github.com/strata-scan/strata/internal/update/nvd"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/update/redhat"
	"github.com/strata-scan/strata/internal/update/ubuntu"
)

// Feed is one feed: its updater, and what a --source location of it may
// hold, as "strata help update" says.
type Feed struct {
	Updater update.Updater
	Accepts string
}

// Feeds returns every feed, in the order updates run.
func Feeds() []Feed {
	return []Feed{
		{debian.Updater{}, "security tracker JSON, or the DSA/DLA/DTSA lists"},
		{ubuntu.Updater{}, "Ubuntu CVE Tracker files, as a directory or tarball"},
		{osv.Updater{}, "OSV records for Go, PyPI, npm and Maven: JSON or YAML files, " +
			"directories, tarballs or zip dumps; also Ubuntu's own OSV records, an " +
			"alternative to the ubuntu feed, read when a --source names them"},
		{alpine.Updater{}, "Alpine secdb main/community files, JSON or YAML; Wolfi's and Chainguard's security.json"},
		{redhat.Updater{}, "Red Hat CSAF VEX documents, cve-*.json, as files, directories or " +
			"tarballs such as the bulk archive csaf_vex_YYYY-MM-DD.tar.zst; without " +
			"--source the bulk archive is read once, then only the documents that " +
			"changes.csv and deletions.csv list"},
		{nvd.Updater{}, "NVD CVE API 2.0 pages or JSON 1.1 feeds: CVSS scores and CWEs shown " +
			"beside findings; without --source the API is read whole once, then only " +
			"the CVEs modified since, with the API key in $STRATA_NVD_API_KEY when set"},
	}
}

// All returns every updater, in the order updates run.
func All() []update.Updater {
	var out []update.Updater
	for _, f := range Feeds() {
		out = append(out, f.Updater)
	}
	return out
}

// ByName returns the updater called name, or an error listing the known ones.
func ByName(name string) (update.Updater, error) {
	var known []string
	for _, u := range All() {
		if u.Name() == name {
			return u, nil
		}
		known = append(known, u.Name())
	}
	slices.Sort(known)
	return nil, fmt.Errorf("unknown feed %q (known: %s)", name, strings.Join(known, ", "))
}
