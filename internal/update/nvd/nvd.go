// Package nvd reads the National Vulnerability Database: the CVE API 2.0
// (services.nvd.nist.gov/rest/json/cves/2.0) and its JSON pages, and the
// retired JSON 1.1 data feeds. Each CVE becomes one record of updater
// "nvd" naming no ecosystem, release or package: it matches no package,
// and enriches the findings of other feeds whose records name the CVE
// (match.EnrichNVD) with the NVD's CVSS scores (v4.0, v3.1, v3.0, v2,
// each with its scorer and whether that is the primary one) and CWE ids.
//
// Without --source the API is read incrementally: the whole database on
// the first run, then the CVEs modified since the previous run, in
// lastModStartDate/lastModEndDate windows.
package nvd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
)

// Name is the updater's name, under which its records are stored.
const Name = "nvd"

// api is the CVE API 2.0's address.
const api = "https://services.nvd.nist.gov/rest/json/cves/2.0"

// Updater reads the NVD. The zero value reads the NVD's API.
type Updater struct {
	// url replaces api in tests.
	url string
	// wait, when set, replaces the pause between requests that the NVD's
	// rate limits ask for.
	wait time.Duration
}

// Name is "nvd".
func (Updater) Name() string { return Name }

// Sources is the CVE API. Without --source the runner reads it through
// Changes, page by page; a URL given with --source is read as one page.
func (Updater) Sources() []string { return []string{api} }

// Parse reads one document: a CVE API 2.0 response page, one of its
// items ({"cve": {…}}) or a JSON 1.1 data feed. Rejected CVEs are
// skipped. A document that is not JSON is skipped unless its name says
// it is (*.json, *.json.gz).
func (Updater) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := update.FirstRune(br)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("nvd: parse %s: %w", name, err)
	}
	if first != '{' {
		if strings.Contains(strings.ToLower(path.Base(name)), ".json") {
			return nil, fmt.Errorf("nvd: parse %s: starts with %q: want a JSON object (a CVE API 2.0 response)", name, first)
		}
		return nil, nil
	}
	var vs []strata.Vulnerability
	_, err = decode(br, func(e entry) error {
		if !e.Rejected {
			vs = append(vs, e.Record)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("nvd: parse %s: %w", name, err)
	}
	return vs, nil
}
