package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
)

// A finding shows the vendor's severity and, beside it, the NVD's score:
// in the table's NVD column, in the JSON report's "nvd".
func TestNVD(t *testing.T) {
	libc := strata.Package{Name: "libc6", Version: "2.28-10", Eco: strata.Deb, IntroducedIn: "sha256:0a"}
	glibc := strata.NVDEntry{CVE: "CVE-2021-3999", CWEs: []string{"CWE-193"}, CVSS: []strata.CVSS{
		{Version: "3.1", Vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", Score: 7.8, Source: "nvd@nist.gov", Type: "Primary"},
	}}
	unscored := strata.NVDEntry{CVE: "CVE-2022-23218"}
	dla := strata.Vulnerability{ID: "DLA-3152-1", Aliases: []string{"CVE-2021-3999", "CVE-2022-23218"}, Updater: "debian",
		Eco: strata.Deb, Release: "debian:10", Package: "glibc", FixedVersion: "2.28-10+deb10u2", State: strata.Fixed, Severity: strata.Low, VendorSeverity: "low"}
	dsa := strata.Vulnerability{ID: "DSA-4416-1", Updater: "debian", Eco: strata.Deb, Release: "debian:10", Package: "glibc",
		FixedVersion: "2.28-9", State: strata.Fixed}
	ir := &strata.IndexReport{Packages: []strata.Package{libc}}
	res := &match.Result{Findings: []strata.Finding{
		{Package: libc, Vulnerability: dla, NVD: []strata.NVDEntry{glibc, unscored}},
		{Package: libc, Vulnerability: dsa},
	}}

	vr := Build(ir, res)
	got := map[string][]strata.NVDEntry{}
	for _, v := range vr.Vulnerabilities {
		got[v.Name] = v.NVD
		if v.Name == "DLA-3152-1" && (v.NormalizedSeverity != strata.Low || v.Severity != "low") {
			t.Errorf("DLA-3152-1: severity %s (%s), want the vendor's Low (low)", v.NormalizedSeverity, v.Severity)
		}
	}
	want := map[string][]strata.NVDEntry{"DLA-3152-1": {glibc, unscored}, "DSA-4416-1": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON nvd (-want +got):\n%s", diff)
	}

	var b strings.Builder
	if err := Table(&b, ir, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	for i, want := range [][]string{
		{"PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY", "NVD", "FIXED", "IN", "LAYER"},
		{"libc6", "2.28-10", "DLA-3152-1", "Low", "7.8", "(3.1)", "2.28-10+deb10u2", "0a"},
		{"DSA-4416-1", "Unknown", "-", "2.28-9", "0a"},
	} {
		if diff := cmp.Diff(want, strings.Fields(lines[i])); diff != "" {
			t.Errorf("table line %d (-want +got):\n%s", i, diff)
		}
	}
}

// The findings of one vulnerability merged into one row (several feeds'
// records) show the NVD entries of all, once each.
func TestNVDEntriesUnion(t *testing.T) {
	a := strata.NVDEntry{CVE: "CVE-2023-4863", CVSS: []strata.CVSS{{Version: "3.1", Score: 8.8}}}
	b := strata.NVDEntry{CVE: "CVE-2023-5129"}
	fs := []strata.Finding{{NVD: []strata.NVDEntry{b}}, {NVD: []strata.NVDEntry{a, b}}, {}}
	if diff := cmp.Diff([]strata.NVDEntry{a, b}, nvdEntries(fs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		es   []strata.NVDEntry
		want string
	}{{[]strata.NVDEntry{a, b}, "8.8 (3.1)"}, {[]strata.NVDEntry{b}, "-"}, {nil, "-"}} {
		if got := nvdCell(tt.es); got != tt.want {
			t.Errorf("nvdCell(%v) = %q, want %q", tt.es, got, tt.want)
		}
	}
}
