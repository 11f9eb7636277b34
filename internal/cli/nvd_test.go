package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// The buster image scanned against the Debian lists and the NVD excerpts
// (../../testdata/feeds/nvd: API 2.0 pages and a JSON 1.1 feed holding 12
// CVEs that the image's advisories name): each finding keeps Debian's
// severity (the lists give none: Unknown) and shows the NVD's score of
// its advisory's CVEs beside it.
func TestScanNVDEnrichment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	out := mustRun(t, "update", "--db", db,
		"--source", "debian=../../testdata/feeds/debian/DSA.list",
		"--source", "debian=../../testdata/feeds/debian/DLA.list",
		"--source", "nvd=../../testdata/feeds/nvd")
	if !strings.Contains(out, "nvd: 19 records (19 added, 0 removed)") {
		t.Errorf("update said:\n%s\nwant 19 NVD records (7 of the API pages, 12 of the JSON 1.1 feed)", out)
	}
	const image = "../../testdata/images/debian-buster-drupal.docker.tar"
	vr := scanJSON(t, db, image)
	golden.Check(t, filepath.Join("testdata", "golden", "buster-drupal-nvd.tsv"), nvdRows(vr))

	// Checked by hand in the JSON 1.1 excerpt.
	tests := []struct {
		pkg, vuln string
		want      string // CVE score (version) CWEs… of each NVD entry
	}{
		{"libglib2.0-0", "DLA-3110-1", "CVE-2021-3800 7.5 (3.1) CWE-552"},
		{"libc6", "DLA-3152-1", "CVE-2021-3999 7.8 (3.1) CWE-193"},
		{"libgnutls30", "DLA-3070-1", "CVE-2021-4209 6.5 (3.1) CWE-476"},
		{"linux-libc-dev", "DLA-3131-1", "CVE-2021-4159 4.4 (3.1)"}, // its only weakness is NVD-CWE-Other
		{"linux-libc-dev", "DSA-5096-1", "CVE-2021-3764 5.5 (3.1) CWE-401; CVE-2021-4155 5.5 (3.1) CWE-131"},
		{"linux-libc-dev", "DSA-5173-1", "CVE-2022-0812; CVE-2022-1016; CVE-2022-1198; CVE-2022-1199; CVE-2022-1204"}, // not scored yet
		{"curl", "DSA-4881-1", ""}, // none of its CVEs in the excerpts
	}
	for _, tt := range tests {
		v, ok := reportVulnerability(vr, tt.pkg, tt.vuln)
		if !ok {
			t.Errorf("%s %s not reported", tt.pkg, tt.vuln)
			continue
		}
		if got := describeNVD(v.NVD); got != tt.want || v.NormalizedSeverity != strata.Unknown {
			t.Errorf("%s %s: severity %s, NVD %q; want Debian's Unknown and %q", tt.pkg, tt.vuln, v.NormalizedSeverity, got, tt.want)
		}
	}

	table := mustRun(t, "scan", "--db", db, image)
	golden.Check(t, filepath.Join("testdata", "golden", "buster-drupal-nvd.table"), []byte(table))
	for _, row := range []string{
		"libglib2.0-0 .* DLA-3110-1 +Unknown +7.5 \\(3.1\\) +2.58.3-2\\+deb10u4",
		"DSA-5173-1 +Unknown +- +4.19.249-2",
	} {
		if !regexp.MustCompile(`(?m)` + row).MatchString(table) {
			t.Errorf("table has no row matching %q", row)
		}
	}
}

// reportVulnerability finds the vulnerability named vuln of package pkg.
func reportVulnerability(vr *report.VulnerabilityReport, pkg, vuln string) (report.Vulnerability, bool) {
	for pid, vids := range vr.PackageVulnerabilities {
		if vr.Packages[pid].Name != pkg {
			continue
		}
		for _, vid := range vids {
			if v := vr.Vulnerabilities[vid]; v.Name == vuln {
				return v, true
			}
		}
	}
	return report.Vulnerability{}, false
}

// describeNVD is "CVE score (version) CWE…" per entry, joined by "; ".
func describeNVD(es []strata.NVDEntry) string {
	var parts []string
	for _, e := range es {
		s := []string{e.CVE}
		if c, ok := strata.BestCVSS(e.CVSS); ok {
			s = append(s, strconv.FormatFloat(c.Score, 'f', 1, 64)+" ("+c.Version+")")
		}
		parts = append(parts, strings.Join(append(s, e.CWEs...), " "))
	}
	return strings.Join(parts, "; ")
}

// nvdRows lists, sorted, the findings of the report that have NVD
// entries: package, vulnerability, Debian's severity, the NVD's.
func nvdRows(vr *report.VulnerabilityReport) []byte {
	var rows []string
	for pid, vids := range vr.PackageVulnerabilities {
		for _, vid := range vids {
			if v := vr.Vulnerabilities[vid]; len(v.NVD) > 0 {
				rows = append(rows, fmt.Sprintf("%s\t%s\t%s\t%s", vr.Packages[pid].Name, v.Name, v.NormalizedSeverity, describeNVD(v.NVD)))
			}
		}
	}
	slices.Sort(rows)
	var b bytes.Buffer
	fmt.Fprintln(&b, "package\tvulnerability\tseverity\tnvd")
	for _, r := range rows {
		fmt.Fprintln(&b, r)
	}
	return b.Bytes()
}
