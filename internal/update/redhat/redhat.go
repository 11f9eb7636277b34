// Package redhat reads Red Hat's CSAF VEX documents: one per CVE, saying
// for each Red Hat product stream and package whether it is fixed (and in
// which build), affected, not affected or under investigation.
//
// A status names a product made by a relationship: an RPM component
// (its purl or product id gives name, epoch, version, release, arch and,
// for a modular package, the module stream) as a component of a platform
// (whose CPE names the product stream: cpe:/a:redhat:enterprise_linux:9::
// appstream). The records are those of Red Hat Enterprise Linux's
// mainline streams (and ELS), one per release ("rhel:9", the os-release
// scanner's key for RHEL and UBI images), binary package and module
// stream, matched by binary package name with the RPM comparator; a
// modular record applies only to packages of its module stream.
//
// Upstream publishes every document under
// https://security.access.redhat.com/data/csaf/v2/vex/YEAR/cve-….json,
// a bulk archive of them all (named in archive_latest.txt), and
// changes.csv and deletions.csv, which list the documents changed or
// removed since, with their times: Changes reads the archive once, then
// only what changed.
package redhat

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
)

// DefaultBase is where Red Hat publishes its VEX documents.
const DefaultBase = "https://security.access.redhat.com/data/csaf/v2/vex/"

// Updater reads Red Hat's CSAF VEX feed. The zero value reads it from
// DefaultBase.
type Updater struct {
	// Base is the feed's folder URL, ending in "/"; "" means DefaultBase.
	Base string
}

var _ update.Incremental = Updater{}

// Name is "redhat".
func (Updater) Name() string { return "redhat" }

// MaxDocumentSize is 256 MiB: Red Hat's largest VEX documents (kernel CVEs)
// are tens of MiB; they are read as a stream.
func (Updater) MaxDocumentSize() int64 { return 256 << 20 }

var _ update.DocumentLimiter = Updater{}

// Sources is the feed's folder. The runner reads it through Changes; a
// location named with --source (a document, a folder or a tarball of
// documents such as the bulk archive) is read through Parse.
func (u Updater) Sources() []string { return []string{u.base()} }

func (u Updater) base() string {
	if u.Base == "" {
		return DefaultBase
	}
	return u.Base
}

// companions are the files that sit beside the documents in the feed's
// folder and archives; they are not documents.
var companions = []string{".csv", ".txt", ".asc", ".sha256", ".sig"}

// Parse reads one CSAF VEX document. The feed's index files (changes.csv,
// archive_latest.txt, checksums and signatures) are skipped. A document
// that makes no record gives an update.EmptyDocument: it is a valid
// document, whose CVE affects no RHEL package (every status of a RHEL
// package "known_not_affected"), or that names no package of a RHEL
// product stream (OpenShift's, a Go module's).
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	for _, ext := range companions {
		if strings.HasSuffix(path.Base(name), ext) {
			return nil, nil
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := update.FirstRune(br); err == io.EOF {
		return nil, nil
	}
	doc, err := decode(br)
	if err != nil {
		return nil, fmt.Errorf("redhat: parse %s: %w", name, err)
	}
	if doc.ID == "" {
		return nil, fmt.Errorf("redhat: parse %s: %w", name, errNotCSAF)
	}
	var out []strata.Vulnerability
	var notAffected []string
	for i := range doc.vulns {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := &doc.vulns[i]
		vs, err := doc.records(v)
		if err != nil {
			return nil, fmt.Errorf("redhat: parse %s: %w", name, err)
		}
		out = append(out, vs...)
		if len(vs) == 0 && doc.notAffected(v) {
			notAffected = append(notAffected, doc.id(v))
		}
	}
	switch {
	case len(out) > 0:
		return out, nil
	case len(notAffected) > 0:
		slices.Sort(notAffected)
		verb := " affects"
		if len(notAffected) > 1 {
			verb = " affect"
		}
		return nil, update.EmptyDocument(name, strings.Join(notAffected, ", ")+verb+" no RHEL package")
	}
	return nil, update.EmptyDocument(name, "names no package of a RHEL product stream")
}
