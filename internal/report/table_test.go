package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// Two packages of one name (Go's standard library in two binaries) keep
// their rows together, each first row showing where the package was found.
func TestTableSamePackageName(t *testing.T) {
	runc := strata.Package{Name: "stdlib", Version: "1.19.8", Eco: strata.Go, PackageDB: "usr/bin/runc", OwnedBy: "deb/runc", IntroducedIn: "sha256:0a"}
	htmlcheck := strata.Package{Name: "stdlib", Version: "1.26.8", Eco: strata.Go, PackageDB: "usr/local/bin/htmlcheck", IntroducedIn: "sha256:0b"}
	urllib3 := strata.Package{Name: "urllib3", Version: "1.26.12", Eco: strata.PyPI, PackageDB: "opt/venv/lib/python3.11/site-packages/urllib3-1.26.12.dist-info/METADATA", IntroducedIn: "sha256:0b"}
	bash := strata.Package{Name: "bash", Version: "5.2.15-2+b2", Eco: strata.Deb, PackageDB: "var/lib/dpkg/status", IntroducedIn: "sha256:0a"}
	finding := func(p strata.Package, id string, sev strata.Severity, fixed string) strata.Finding {
		return strata.Finding{Package: p, Vulnerability: strata.Vulnerability{ID: id, Severity: sev, FixedVersion: fixed}}
	}
	ir := &strata.IndexReport{Packages: []strata.Package{bash, runc, htmlcheck, urllib3}, Distribution: &strata.Distribution{PrettyName: "Debian GNU/Linux 12 (bookworm)"}}
	res := &match.Result{Findings: []strata.Finding{
		finding(htmlcheck, "GO-2026-0002", strata.High, "1.26.9"),
		finding(runc, "GO-2023-0001", strata.Critical, "1.20.1"),
		finding(htmlcheck, "GO-2026-0001", strata.Low, "1.26.9"),
		finding(runc, "GO-2024-0003", strata.Low, "1.22.0"),
		finding(bash, "CVE-2022-3715", strata.Low, ""),
		finding(urllib3, "PYSEC-2023-192", strata.Medium, "1.26.17"),
	}}
	var b strings.Builder
	if err := Table(&b, ir, res); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"PACKAGE  INSTALLED                                                                   VULNERABILITY   SEVERITY  NVD  FIXED IN  LAYER",
		"bash     5.2.15-2+b2                                                                 CVE-2022-3715   Low       -    unfixed   0a",
		"stdlib   1.19.8 (deb runc)                                                           GO-2023-0001    Critical  -    1.20.1    0a",
		"                                                                                     GO-2024-0003    Low       -    1.22.0    0a",
		"stdlib   1.26.8 (/usr/local/bin/htmlcheck)                                           GO-2026-0002    High      -    1.26.9    0b",
		"                                                                                     GO-2026-0001    Low       -    1.26.9    0b",
		"urllib3  1.26.12 (/opt/venv/lib/python3.11/site-packages/urllib3-1.26.12.dist-info)  PYSEC-2023-192  Medium    -    1.26.17   0b",
		"6 findings in 4 of 4 packages (Debian GNU/Linux 12 (bookworm)): 1 Critical, 1 High, 1 Medium, 3 Low",
		"",
	}
	if diff := cmp.Diff(want, strings.Split(b.String(), "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

// FIXED IN shows the state of a vulnerability without a fix, and a Go
// finding says whether the binary holds the vulnerable symbols.
func TestTableStatesAndSymbols(t *testing.T) {
	curl := strata.Package{Name: "curl", Version: "7.76.1-26.el9_3", Eco: strata.RPM, PackageDB: "var/lib/rpm/rpmdb.sqlite", IntroducedIn: "sha256:0a"}
	xnet := strata.Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: strata.Go, PackageDB: "usr/local/bin/htmlcheck", IntroducedIn: "sha256:0b"}
	finding := func(p strata.Package, id string, state strata.State, fixed, symbols string) strata.Finding {
		return strata.Finding{Package: p, Vulnerability: strata.Vulnerability{ID: id, Severity: strata.High, State: state, FixedVersion: fixed},
			Reason: strata.Reason{Symbols: symbols}}
	}
	ir := &strata.IndexReport{Packages: []strata.Package{curl, xnet}}
	res := &match.Result{Findings: []strata.Finding{
		finding(curl, "CVE-2026-0001", strata.UnderInvestigation, "", ""),
		finding(curl, "CVE-2026-0002", strata.WontFix, "", ""),
		finding(curl, "CVE-2026-0003", strata.Unfixed, "", ""),
		finding(curl, "CVE-2026-0004", strata.Fixed, "7.76.1-26.el9_3.2", ""),
		finding(xnet, "GO-2023-1988", strata.Fixed, "0.13.0", "symbol absent"),
		finding(xnet, "GO-2025-3595", strata.Fixed, "0.38.0", "symbol present"),
		finding(xnet, "GO-2026-0001", strata.Fixed, "0.40.0", "unknown (stripped)"),
	}}
	var b strings.Builder
	if err := Table(&b, ir, res); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"PACKAGE           INSTALLED                         VULNERABILITY                      SEVERITY  NVD  FIXED IN             LAYER",
		"curl              7.76.1-26.el9_3                   CVE-2026-0001                      High      -    under-investigation  0a",
		"                                                    CVE-2026-0002                      High      -    wont-fix             0a",
		"                                                    CVE-2026-0003                      High      -    unfixed              0a",
		"                                                    CVE-2026-0004                      High      -    7.76.1-26.el9_3.2    0a",
		"golang.org/x/net  0.7.0 (/usr/local/bin/htmlcheck)  GO-2023-1988 [symbol absent]       High      -    0.13.0               0b",
		"                                                    GO-2025-3595 [symbol present]      High      -    0.38.0               0b",
		"                                                    GO-2026-0001 [unknown (stripped)]  High      -    0.40.0               0b",
		"7 findings in 2 of 2 packages (unknown distribution): 7 High",
		"",
	}
	if diff := cmp.Diff(want, strings.Split(b.String(), "\n")); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}
