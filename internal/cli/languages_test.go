package cli

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// The real apps image scanned against the whole PyPA advisory database:
// Debian's python3 packages (found through their egg-info and dist-info
// files) have the PyPA records whose ranges or version lists hold their
// versions, six in all (counted independently with a Python script over
// the records).
func TestScanAppsImageAgainstPyPA(t *testing.T) {
	apps := sharedPath(t, "images/debian-bookworm-apps.oci.tar.gz")
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "osv="+sharedPath(t, "feeds/osv/pypi/pypa-advisory-database.tar.gz"))
	rows := findings(scanJSON(t, db, apps))
	if len(rows) != 6 {
		t.Errorf("%d findings, want 6", len(rows))
	}
	golden.Check(t, filepath.Join("testdata", "golden", "bookworm-apps-pypa.tsv"), tsv(rows))
	checkFindings(t, rows, pypaChecks)
}

// Checked by hand in the PyPA records (vulns/<package>/PYSEC-*.yaml).
var pypaChecks = []check{
	// requests 2.28.1, PYSEC-2023-74 (CVE-2023-32681): ECOSYSTEM range
	// "introduced 2.3.0, fixed 2.31.0".
	{"requests", "PYSEC-2023-74", "2.31.0"},
	// PYSEC-2018-28 (CVE-2018-18074): "introduced 0, fixed 2.20.0".
	{"requests", "PYSEC-2018-28", ""},
	// urllib3 1.26.12, PYSEC-2023-212 (CVE-2023-45803): one range
	// "introduced 2.0.0, fixed 2.0.7, introduced 0, fixed 1.26.18"; the
	// record's fixed version is its first fixed event, 2.0.7.
	{"urllib3", "PYSEC-2023-212", "2.0.7"},
	// PYSEC-2023-192 (CVE-2023-43804): "introduced 2.0.0, fixed 2.0.6,
	// introduced 0, fixed 1.26.17".
	{"urllib3", "PYSEC-2023-192", "2.0.6"},
	// PYSEC-2021-108 (CVE-2021-33503): "introduced 0, fixed 1.26.5".
	{"urllib3", "PYSEC-2021-108", ""},
	// certifi 2022.9.24, PYSEC-2022-42986 (CVE-2022-23491): "introduced
	// 2017.11.5, fixed 2022.12.7".
	{"certifi", "PYSEC-2022-42986", "2022.12.7"},
	// idna 3.3, PYSEC-2024-60 (CVE-2024-3651): "introduced 0.1, fixed 3.7".
	{"idna", "PYSEC-2024-60", "3.7"},
}

// The real apps image against the whole Go vulnerability database: the
// Go binaries' modules (replacements applied) and their toolchains are
// matched with the Go comparator; versions are written without "v" on
// both sides, as OSV writes them.
func TestScanAppsImageAgainstGoVulnDB(t *testing.T) {
	apps := sharedPath(t, "images/debian-bookworm-apps.oci.tar.gz")
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "osv="+sharedPath(t, "feeds/osv/go/golang-vulndb-osv.tar.gz"))
	rows := findings(scanJSON(t, db, apps))
	perPackage := map[string]int{}
	for _, r := range rows {
		perPackage[r.Package+"@"+r.Version]++
	}
	// Counted independently with a Python script over the records.
	want := map[string]int{"golang.org/x/net@0.7.0": 23, "golang.org/x/text@0.3.7": 3, "stdlib@1.19.8": 94, "stdlib@1.26.8": 14}
	if diff := cmp.Diff(want, perPackage); diff != "" {
		t.Errorf("findings per package (-want +got):\n%s", diff)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "bookworm-apps-govulndb.tsv"), tsv(rows))
	checkFindings(t, rows, []check{
		// osv/GO-2023-1988.json (CVE-2023-3978): golang.org/x/net "introduced 0, fixed 0.13.0".
		{"golang.org/x/net", "GO-2023-1988", "0.13.0"},
		// GO-2023-2102 (CVE-2023-39325, HTTP/2 rapid reset): fixed 0.17.0.
		{"golang.org/x/net", "GO-2023-2102", "0.17.0"},
		// GO-2023-1571 (CVE-2022-41723): fixed in 0.7.0, the version htmlcheck uses.
		{"golang.org/x/net", "GO-2023-1571", ""},
	})
}
