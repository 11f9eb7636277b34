// Package osv reads vulnerability records in the OSV schema
// (ossf.github.io/osv-schema), as JSON or YAML, for the language
// ecosystems strata scans (Go, PyPI, npm and Maven) and for Ubuntu, whose
// own OSV records are a second source beside the Ubuntu CVE Tracker
// (ubuntu.go: UBUNTU-CVE-… records of "Ubuntu:22.04:LTS" and
// "Ubuntu:Pro:18.04:LTS", keyed by source package, compared with the deb
// comparator). Each affected package of a record gives one
// strata.Vulnerability, its SEMVER and ECOSYSTEM ranges and its versions
// list carried as they are. Records of other ecosystems, GIT ranges and
// withdrawn records are skipped.
//
// The default sources are the language ecosystems' dumps only: Ubuntu's
// records are read when a --source names them (OSV.dev's Ubuntu/all.zip,
// or the osv/cve folder of canonical/ubuntu-security-notices), so that an
// update does not load the same Ubuntu fixes from two feeds unasked.
package osv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/excerpt"
	"github.com/strata-scan/strata/internal/update"
)

// Updater reads OSV records.
type Updater struct{}

// Name is "osv".
func (Updater) Name() string { return "osv" }

// MaxDocumentSize is 64 MiB: OSV records are small (the largest of the Go
// vulndb and PyPA trees are 32 KiB; a GHSA list for one Maven package is
// 3 MiB).
func (Updater) MaxDocumentSize() int64 { return 64 << 20 }

var _ update.DocumentLimiter = Updater{}

// ecosystems maps the OSV ecosystem names read to strata's.
var ecosystems = map[string]strata.Ecosystem{
	"Go":    strata.Go,
	"PyPI":  strata.PyPI,
	"npm":   strata.NPM,
	"Maven": strata.Maven,
}

// Sources are OSV's per-ecosystem zip dumps, one for each ecosystem read.
func (Updater) Sources() []string {
	return []string{
		"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
		"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
		"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
		"https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip",
	}
}

// compressedSuffix is the suffix of a compressed file's name, which
// update.Fetch decompresses.
var compressedSuffix = regexp.MustCompile(`(?i)\.(gz|zst|bz2)$`)

// Parse reads one record, or the records of an OSV.dev API answer
// ({"vulns": [...]}): a document named *.json is read as JSON, one
// named *.yaml or *.yml as YAML (either maybe compressed: *.json.gz). Any other document (a LICENSE, a
// README) is not part of the feed: Parse returns nil, nil, as it does for
// an empty document. When the document makes no record, the error is an
// *update.Skipped naming the ecosystems strata does not read of its
// records and, when some are withdrawn, the document as an
// update.EmptyDocument: a withdrawn record is a valid one that holds no
// vulnerability.
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	ext := strings.ToLower(path.Ext(compressedSuffix.ReplaceAllString(name, "")))
	if ext != ".json" && ext != ".yaml" && ext != ".yml" {
		return nil, nil
	}
	recs, err := decode(r, ext == ".json")
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	var all []strata.Vulnerability
	var withdrawn []string
	skipped := &update.Skipped{}
	for _, rec := range recs {
		vs, err := rec.vulnerabilities(ctx)
		if err != nil {
			return nil, fmt.Errorf("parse %s: record %s: %w", name, excerpt.ID(rec.ID), err)
		}
		all = append(all, vs...)
		if rec.Withdrawn != "" {
			withdrawn = append(withdrawn, excerpt.ID(rec.ID))
		} else if others := rec.unreadEcosystems(); len(vs) == 0 && len(others) > 0 {
			skipped.Records++
			skipped.Ecosystems = append(skipped.Ecosystems, others...)
		}
	}
	if len(all) > 0 || skipped.Records == 0 && len(withdrawn) == 0 {
		return all, nil
	}
	slices.Sort(skipped.Ecosystems)
	skipped.Ecosystems = slices.Compact(skipped.Ecosystems)
	if len(withdrawn) > 0 {
		skipped.Empty = update.EmptyDocument(name, strings.Join(withdrawn, ", ")+" withdrawn").Empty
	}
	return nil, skipped
}

// unreadEcosystems lists the ecosystems of the record's affected packages
// when none is one strata reads; nil otherwise.
func (rec *record) unreadEcosystems() []string {
	var out []string
	for _, a := range rec.Affected {
		if _, ok := ecosystem(a.Package.Ecosystem); ok {
			return nil
		}
		out = append(out, a.Package.Ecosystem)
	}
	return out
}
