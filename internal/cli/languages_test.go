package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/testutil"
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
	t.Run("records listing versions PEP 440 rejects", func(t *testing.T) {
		var entries []testutil.Entry
		for _, p := range []struct{ name, version string }{
			{"ipython", "7.0.0"}, {"nltk", "3.6.3"}, {"paramiko", "2.10.0"}, {"supervisor", "4.0.2"}, {"py", "1.11.0"},
		} {
			entries = append(entries, testutil.Entry{
				Path: "usr/local/lib/python3.11/site-packages/" + p.name + "-" + p.version + ".dist-info/METADATA",
				Body: []byte("Metadata-Version: 2.1\nName: " + p.name + "\nVersion: " + p.version + "\n"),
			})
		}
		layer, err := testutil.Tar(entries...)
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, findings(scanJSON(t, db, layerImage(t, "pypa-listed", false, layer))), []check{
			// vulns/ipython/PYSEC-2023-17.yaml: "introduced 0, fixed
			// 8.10.0"; lists 7.0.0 after "0.7.1.fix1".
			{"ipython", "PYSEC-2023-17", "8.10.0"},
			// "introduced 0, fixed 3.6.4"; lists "2.0.1rc2-git".
			{"nltk", "PYSEC-2021-356", "3.6.4"},
			// "introduced 0, fixed 2.9.3, introduced 2.10.0, fixed
			// 2.10.1": the 2.10 branch's fix; lists "0.1-bulbasaur".
			{"paramiko", "PYSEC-2022-166", "2.10.1"},
			// "introduced 0, fixed 4.0.3"; lists "a3".
			{"supervisor", "PYSEC-2019-126", "4.0.3"},
			// "introduced 0, last_affected 1.11.0": no fix.
			{"py", "PYSEC-2022-42969", "unfixed"},
		})
	})
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
	// fix of the 1.26 branch, not the record's first fixed event (2.0.7).
	{"urllib3", "PYSEC-2023-212", "1.26.18"},
	// PYSEC-2023-192 (CVE-2023-43804): "introduced 2.0.0, fixed 2.0.6,
	// introduced 0, fixed 1.26.17".
	{"urllib3", "PYSEC-2023-192", "1.26.17"},
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

// Two databases' records of one vulnerability, for one installed package,
// make one vulnerability with both sources: the Go database's
// GO-2023-1988 and GitHub's GHSA-2wrh-6pvc-2jm9 (CVE-2023-3978; the GO
// record names the GHSA) for golang.org/x/net 0.7.0 in htmlcheck, PyPA's
// PYSEC-2023-74 and GitHub's GHSA-j8r2-6x86-q33q (CVE-2023-32681) for
// Debian's requests 2.28.1. The GHSA records come first: the same fixed
// versions, and GitHub scores them (CVSS 6.1, Medium) where the other two
// give no severity. Each record's reason is kept.
func TestScanMergesAliasedRecords(t *testing.T) {
	apps := sharedPath(t, "images/debian-bookworm-apps.oci.tar.gz")
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "osv=testdata/osv-aliases")
	vr := scanJSON(t, db, apps)
	got := map[string]report.Vulnerability{}
	reasons := map[string]report.Reason{}
	for pid, vids := range vr.PackageVulnerabilities {
		for _, vid := range vids {
			p := vr.Packages[pid].Name + "@" + vr.Packages[pid].Version
			v := vr.Vulnerabilities[vid]
			// Kept as the GHSA record has them; not what is checked here.
			v.ID, v.Description, v.Links, v.Issued, v.CVSS, v.Distribution = "", "", "", time.Time{}, nil, nil
			got[p] = v
			reasons[p] = vr.Reasons[pid][vid]
		}
	}
	want := map[string]report.Vulnerability{
		"golang.org/x/net@0.7.0": {
			Updater: "osv", Name: "GHSA-2wrh-6pvc-2jm9", Aliases: []string{"CVE-2023-3978", "GO-2023-1988"},
			Severity: "MODERATE", NormalizedSeverity: strata.Medium,
			Package: &report.Package{Name: "golang.org/x/net", Kind: "binary"}, FixedInVersion: "0.13.0", State: strata.Fixed,
			Sources: []report.Source{
				{Updater: "osv", Name: "GHSA-2wrh-6pvc-2jm9", Severity: "MODERATE", NormalizedSeverity: strata.Medium, FixedInVersion: "0.13.0", State: strata.Fixed,
					Links: "https://nvd.nist.gov/vuln/detail/CVE-2023-3978 https://go.dev/cl/514896 https://go.dev/issue/61615 https://pkg.go.dev/vuln/GO-2023-1988"},
				{Updater: "osv", Name: "GO-2023-1988", NormalizedSeverity: strata.Unknown, FixedInVersion: "0.13.0", State: strata.Fixed,
					Links: "https://go.dev/issue/61615 https://go.dev/cl/514896"},
			},
		},
		"requests@2.28.1": {
			Updater: "osv", Name: "GHSA-j8r2-6x86-q33q", Aliases: []string{"CVE-2023-32681", "PYSEC-2023-74"},
			Severity: "MODERATE", NormalizedSeverity: strata.Medium,
			Package: &report.Package{Name: "requests", Kind: "binary"}, FixedInVersion: "2.31.0", State: strata.Fixed,
			Sources: []report.Source{
				{Updater: "osv", Name: "GHSA-j8r2-6x86-q33q", Severity: "MODERATE", NormalizedSeverity: strata.Medium, FixedInVersion: "2.31.0", State: strata.Fixed,
					Links: "https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q https://nvd.nist.gov/vuln/detail/CVE-2023-32681 https://github.com/psf/requests/commit/74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5 https://github.com/psf/requests https://github.com/psf/requests/releases/tag/v2.31.0 https://github.com/pypa/advisory-database/tree/main/vulns/requests/PYSEC-2023-74.yaml https://lists.debian.org/debian-lts-announce/2023/06/msg00018.html https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/AW7HNFGYP44RT3DUDQXG2QT3OEV2PJ7Y/ https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/KOYASTZDGQG2BWLSNBPL3TQRL2G7QYNZ/ https://security.gentoo.org/glsa/202309-08"},
				{Updater: "osv", Name: "PYSEC-2023-74", NormalizedSeverity: strata.Unknown, FixedInVersion: "2.31.0", State: strata.Fixed,
					Links: "https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q https://github.com/psf/requests/releases/tag/v2.31.0 https://github.com/psf/requests/commit/74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5 https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/AW7HNFGYP44RT3DUDQXG2QT3OEV2PJ7Y/ https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/AW7HNFGYP44RT3DUDQXG2QT3OEV2PJ7Y/"},
			},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("vulnerabilities (-want +got):\n%s", diff)
	}
	wantReasons := map[string]report.Reason{
		"golang.org/x/net@0.7.0": {Updater: "osv", Record: "GHSA-2wrh-6pvc-2jm9", Range: "introduced 0, fixed 0.13.0", Comparison: "0.7.0 < 0.13.0 (fixed)",
			Also: []report.Reason{{Updater: "osv", Record: "GO-2023-1988", Range: "introduced 0, fixed 0.13.0", Comparison: "0.7.0 < 0.13.0 (fixed)", Symbols: "symbol absent"}}},
		"requests@2.28.1": {Updater: "osv", Record: "GHSA-j8r2-6x86-q33q", Range: "introduced 2.3.0, fixed 2.31.0", Comparison: "2.28.1 < 2.31.0 (fixed)",
			Also: []report.Reason{{Updater: "osv", Record: "PYSEC-2023-74", Range: "introduced 2.3.0, fixed 2.31.0", Comparison: "2.28.1 < 2.31.0 (fixed)"}}},
	}
	if diff := cmp.Diff(wantReasons, reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	// The table has one row for each: the records' ids together, and the
	// Go record's verdict on the vulnerable symbols.
	table := mustRun(t, "scan", "--db", db, apps)
	for record, cell := range map[string]string{
		"GO-2023-1988":  "golang.org/x/net  0.7.0 (/usr/local/bin/htmlcheck)  GHSA-2wrh-6pvc-2jm9, GO-2023-1988 [symbol absent]  Medium ",
		"PYSEC-2023-74": "requests          2.28.1 (deb python3-requests)     GHSA-j8r2-6x86-q33q, PYSEC-2023-74                 Medium ",
	} {
		var rows []string
		for line := range strings.Lines(table) {
			if strings.Contains(line, record) {
				rows = append(rows, line)
			}
		}
		if len(rows) != 1 || !strings.HasPrefix(rows[0], cell) {
			t.Errorf("rows naming %s: %q, want one starting %q", record, rows, cell)
		}
	}
	if want := "2 findings in 2 of 150 packages (Debian GNU/Linux 12 (bookworm)): 2 Medium\n"; !strings.HasSuffix(table, want) {
		t.Errorf("table ends %q, want %q", table[strings.LastIndex(table[:len(table)-1], "\n")+1:], want)
	}
}
