package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// Records as the feeds give them (ids, aliases, fixed versions and
// severities copied from the real files named).
var (
	// vulns/requests/PYSEC-2023-74.yaml of the PyPA database.
	pysec202374 = strata.Vulnerability{ID: "PYSEC-2023-74", Aliases: []string{"CVE-2023-32681", "GHSA-j8r2-6x86-q33q"},
		Updater: "osv", Eco: strata.PyPI, Package: "requests", FixedVersion: "2.31.0", State: strata.Fixed}
	// GitHub's advisory of the same flaw: it names the CVE, not the PYSEC.
	ghsaJ8r2 = strata.Vulnerability{ID: "GHSA-j8r2-6x86-q33q", Aliases: []string{"CVE-2023-32681"},
		Updater: "osv", Eco: strata.PyPI, Package: "requests", FixedVersion: "2.31.0", State: strata.Fixed,
		VendorSeverity: "MODERATE", Severity: strata.Medium}
	// osv/GO-2023-1988.json of the Go database and GitHub's GHSA.
	go20231988 = strata.Vulnerability{ID: "GO-2023-1988", Aliases: []string{"CVE-2023-3978", "GHSA-2wrh-6pvc-2jm9"},
		Updater: "osv", Eco: strata.Go, Package: "golang.org/x/net", FixedVersion: "0.13.0", State: strata.Fixed}
	ghsa2wrh = strata.Vulnerability{ID: "GHSA-2wrh-6pvc-2jm9", Aliases: []string{"CVE-2023-3978"},
		Updater: "osv", Eco: strata.Go, Package: "golang.org/x/net", FixedVersion: "0.13.0", State: strata.Fixed,
		VendorSeverity: "MODERATE", Severity: strata.Medium}
	// DLA.list: DLA-3190-1 and its follow-up DLA-3190-2, the same two CVEs.
	dla31901 = strata.Vulnerability{ID: "DLA-3190-1", Aliases: []string{"CVE-2022-2601", "CVE-2022-3775"},
		Updater: "debian", Eco: strata.Deb, Release: "debian:10", Package: "grub2", SourcePackage: true, FixedVersion: "2.06-3~deb10u2", State: strata.Fixed}
	dla31902 = strata.Vulnerability{ID: "DLA-3190-2", Aliases: []string{"CVE-2022-2601", "CVE-2022-3775"},
		Updater: "debian", Eco: strata.Deb, Release: "debian:10", Package: "grub2", SourcePackage: true, FixedVersion: "2.06-3~deb10u3", State: strata.Fixed}
	// DSA.list: DSA-5068-1 fixes twenty chromium CVEs; the tracker's JSON
	// (tracker-json-excerpt.vunnel.json) has a record for one of them.
	dsa50681 = strata.Vulnerability{ID: "DSA-5068-1", Aliases: []string{"CVE-2022-0452", "CVE-2022-0453", "CVE-2022-0454", "CVE-2022-0455",
		"CVE-2022-0456", "CVE-2022-0457", "CVE-2022-0458", "CVE-2022-0459", "CVE-2022-0460", "CVE-2022-0461", "CVE-2022-0462",
		"CVE-2022-0463", "CVE-2022-0464", "CVE-2022-0465", "CVE-2022-0466", "CVE-2022-0467", "CVE-2022-0468", "CVE-2022-0469",
		"CVE-2022-0470", "CVE-2022-4025"},
		Updater: "debian", Eco: strata.Deb, Release: "debian:11", Package: "chromium", SourcePackage: true, FixedVersion: "98.0.4758.80-1~deb11u1", State: strata.Fixed}
	cve20220456 = strata.Vulnerability{ID: "CVE-2022-0456",
		Updater: "debian", Eco: strata.Deb, Release: "debian:11", Package: "chromium", SourcePackage: true, FixedVersion: "98.0.4758.80-1~deb11u1", State: strata.Fixed}
	// DSA-827-1 fixes one CVE, which the tracker's JSON has a record of.
	dsa8271 = strata.Vulnerability{ID: "DSA-827-1", Aliases: []string{"CVE-2005-3111"},
		Updater: "debian", Eco: strata.Deb, Package: "backupninja", SourcePackage: true, FixedVersion: "0.5-3sarge1", State: strata.Fixed}
	cve20053111 = strata.Vulnerability{ID: "CVE-2005-3111",
		Updater: "debian", Eco: strata.Deb, Package: "backupninja", SourcePackage: true, FixedVersion: "0.8-2", State: strata.Fixed,
		VendorSeverity: "medium", Severity: strata.Medium}
	// DSA-4809-2, a regression update of DSA-4809-1, names no CVE.
	dsa48091 = strata.Vulnerability{ID: "DSA-4809-1", Aliases: []string{"CVE-2020-27351"},
		Updater: "debian", Eco: strata.Deb, Release: "debian:10", Package: "python-apt", SourcePackage: true, FixedVersion: "1.8.4.2", State: strata.Fixed}
	dsa48092 = strata.Vulnerability{ID: "DSA-4809-2",
		Updater: "debian", Eco: strata.Deb, Release: "debian:10", Package: "python-apt", SourcePackage: true, FixedVersion: "1.8.4.3", State: strata.Fixed}
)

func findingsOf(p strata.Package, vs ...strata.Vulnerability) []strata.Finding {
	out := make([]strata.Finding, len(vs))
	for i, v := range vs {
		out[i] = strata.Finding{Package: p, Vulnerability: v, Reason: strata.Reason{Updater: v.Updater, Record: v.ID}}
	}
	return out
}

// Records of one package that share an id and name the same CVEs are one
// vulnerability, the record with the latest fix (then the most severe)
// first; an advisory of several CVEs stays apart from a record of one.
func TestGroupFindings(t *testing.T) {
	requests := strata.Package{Name: "requests", Version: "2.28.1", Eco: strata.PyPI}
	xnet := strata.Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: strata.Go}
	grub := strata.Package{Name: "grub-pc", Version: "2.02+dfsg1-20+deb10u2", Eco: strata.Deb, SourceName: "grub2"}
	chromium := strata.Package{Name: "chromium", Version: "90.0.4430.212-1", Eco: strata.Deb}
	backupninja := strata.Package{Name: "backupninja", Version: "0.5-3", Eco: strata.Deb}
	apt := strata.Package{Name: "python3-apt", Version: "1.8.4.1", Eco: strata.Deb, SourceName: "python-apt"}
	tests := []struct {
		name     string
		findings []strata.Finding
		want     [][]string
	}{
		{"PYSEC and GHSA", findingsOf(requests, pysec202374, ghsaJ8r2), [][]string{{"GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"}}},
		{"GO and GHSA", findingsOf(xnet, go20231988, ghsa2wrh), [][]string{{"GHSA-2wrh-6pvc-2jm9", "GO-2023-1988"}}},
		{"an advisory and its follow-up", findingsOf(grub, dla31901, dla31902), [][]string{{"DLA-3190-2", "DLA-3190-1"}}},
		{"a one-CVE advisory and the CVE", findingsOf(backupninja, dsa8271, cve20053111), [][]string{{"CVE-2005-3111", "DSA-827-1"}}},
		{"a twenty-CVE advisory and one CVE", findingsOf(chromium, cve20220456, dsa50681), [][]string{{"CVE-2022-0456"}, {"DSA-5068-1"}}},
		{"no shared id", findingsOf(apt, dsa48091, dsa48092), [][]string{{"DSA-4809-1"}, {"DSA-4809-2"}}},
		{"two packages", append(findingsOf(requests, pysec202374), findingsOf(strata.Package{Name: "requests", Version: "2.31.0", Eco: strata.PyPI}, ghsaJ8r2)...),
			[][]string{{"PYSEC-2023-74"}, {"GHSA-j8r2-6x86-q33q"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			for _, g := range groupFindings(tt.findings) {
				got = append(got, g.names())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

// The report has one entry for a merged vulnerability, shared by the
// binary packages of one source that the same records affect: the latest
// fix's record names it, with every record's id among its aliases, every
// record as a source and every record's reason.
func TestBuildMerged(t *testing.T) {
	grubPC := strata.Package{Name: "grub-pc", Version: "2.02+dfsg1-20+deb10u2", Eco: strata.Deb, SourceName: "grub2", SourceVersion: "2.02+dfsg1-20+deb10u2"}
	grubCommon := grubPC
	grubCommon.Name = "grub-common"
	ir := &strata.IndexReport{Packages: []strata.Package{grubPC, grubCommon}}
	res := &match.Result{Findings: append(findingsOf(grubCommon, dla31901, dla31902), findingsOf(grubPC, dla31901, dla31902)...)}
	vr := Build(ir, res)
	wantVulns := map[string]Vulnerability{"1": {
		ID: "1", Updater: "debian", Name: "DLA-3190-2", Aliases: []string{"CVE-2022-2601", "CVE-2022-3775", "DLA-3190-1"},
		Package: &Package{Name: "grub2", Kind: "source"}, FixedInVersion: "2.06-3~deb10u3", State: strata.Fixed,
		Sources: []Source{
			{Updater: "debian", Name: "DLA-3190-2", FixedInVersion: "2.06-3~deb10u3", State: strata.Fixed},
			{Updater: "debian", Name: "DLA-3190-1", FixedInVersion: "2.06-3~deb10u2", State: strata.Fixed},
		},
	}}
	if diff := cmp.Diff(wantVulns, vr.Vulnerabilities); diff != "" {
		t.Errorf("vulnerabilities (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"1": {"1"}, "2": {"1"}}, vr.PackageVulnerabilities); diff != "" {
		t.Errorf("package vulnerabilities (-want +got):\n%s", diff)
	}
	wantReason := Reason{Updater: "debian", Record: "DLA-3190-2", Release: "debian:10",
		Also: []Reason{{Updater: "debian", Record: "DLA-3190-1", Release: "debian:10"}}}
	if diff := cmp.Diff(map[string]map[string]Reason{"1": {"1": wantReason}, "2": {"1": wantReason}}, vr.Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := Table(&b, ir, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	for _, line := range lines[1:3] {
		if !strings.Contains(line, " DLA-3190-2, DLA-3190-1 ") || !strings.Contains(line, " 2.06-3~deb10u3 ") {
			t.Errorf("table row %q: want the records DLA-3190-2, DLA-3190-1 and the fix 2.06-3~deb10u3", line)
		}
	}
	if want := "2 findings in 2 of 2 packages (unknown distribution): 2 Unknown"; lines[3] != want {
		t.Errorf("summary %q, want %q", lines[3], want)
	}
}

// The merged vulnerability takes its fixed version from the record with
// the latest fix and its severity from the most severe record, which may
// be another: here GitHub's record, made to count 0.12.0 as fixed (the
// real one says 0.13.0, as the Go database does).
func TestMergedSeverityAndFix(t *testing.T) {
	p := strata.Package{Name: "golang.org/x/net", Version: "0.7.0", Eco: strata.Go}
	earlier := ghsa2wrh
	earlier.FixedVersion = "0.12.0"
	g := groupFindings(findingsOf(p, earlier, go20231988))[0]
	v := vulnerability("1", g, Distribution{})
	got := []string{v.Name, v.FixedInVersion, v.Severity, v.NormalizedSeverity.String()}
	if diff := cmp.Diff([]string{"GO-2023-1988", "0.13.0", "MODERATE", "Medium"}, got); diff != "" {
		t.Errorf("name, fixed, severity, normalised (-want +got):\n%s", diff)
	}
}
