package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// A language package that a Debian package installed shows its owner in
// the JSON report's package and beside its version in the table; a Go
// finding's symbol verdict is in the JSON report's reason.
func TestOwnedBy(t *testing.T) {
	requests := strata.Package{Name: "requests", Version: "2.28.1", Eco: strata.PyPI, OwnedBy: "deb/python3-requests",
		PackageDB: "usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO", IntroducedIn: "sha256:0a"}
	ir := &strata.IndexReport{ManifestDigest: "sha256:01", Packages: []strata.Package{requests}}
	res := &match.Result{Findings: []strata.Finding{{
		Package:       requests,
		Vulnerability: strata.Vulnerability{ID: "GHSA-j8r2-6x86-q33q", Severity: strata.Medium, FixedVersion: "2.31.0"},
	}}}
	want := Package{ID: "1", Name: "requests", Version: "2.28.1", Kind: "binary",
		PURL: "pkg:pypi/requests@2.28.1", OwnedBy: "deb/python3-requests"}
	if diff := cmp.Diff(want, BuildIndexReport(ir).Packages["1"]); diff != "" {
		t.Errorf("package (-want +got):\n%s", diff)
	}
	xnet := strata.Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: strata.Go}
	goRes := &match.Result{Findings: []strata.Finding{{
		Package:       xnet,
		Vulnerability: strata.Vulnerability{ID: "GO-2023-1988", Eco: strata.Go, Package: "golang.org/x/net"},
		Reason:        strata.Reason{Updater: "osv", Record: "GO-2023-1988", Range: "introduced 0, fixed 0.13.0", Comparison: "0.7.0 < 0.13.0 (semver)", Symbols: match.SymbolAbsent},
	}}}
	wantReason := map[string]map[string]Reason{"1": {"1": {Updater: "osv", Record: "GO-2023-1988",
		Range: "introduced 0, fixed 0.13.0", Comparison: "0.7.0 < 0.13.0 (semver)", Symbols: "symbol absent"}}}
	if diff := cmp.Diff(wantReason, Build(&strata.IndexReport{Packages: []strata.Package{xnet}}, goRes).Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := Table(&b, ir, res); err != nil {
		t.Fatal(err)
	}
	row := strings.Fields(strings.Split(b.String(), "\n")[1])
	wantRow := []string{"requests", "2.28.1", "(deb", "python3-requests)", "GHSA-j8r2-6x86-q33q", "Medium", "-", "2.31.0", "0a"}
	if diff := cmp.Diff(wantRow, row); diff != "" {
		t.Errorf("table row (-want +got):\n%s", diff)
	}
}
