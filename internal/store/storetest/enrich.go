package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// nvdRecord is an enrichment record as the NVD updater stores it: no
// ecosystem, release or package.
func nvdRecord(id string, score float64) strata.Vulnerability {
	return strata.Vulnerability{
		ID: id, Updater: "nvd", Severity: strata.High, VendorSeverity: "HIGH",
		CVSS: []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", Score: score, Source: "nvd@nist.gov", Type: "Primary"}},
		CWEs: []string{"CWE-79"}, Links: []string{"https://nvd.nist.gov/vuln/detail/" + id},
	}
}

func testVulnerabilitiesByIDs(t *testing.T, s store.Store) {
	a, b := nvdRecord("CVE-2014-0160", 7.5), nvdRecord("CVE-2021-44228", 10)
	prefix := nvdRecord("CVE-2014-01600", 5) // its key starts with a's ID
	replace(t, s, "nvd", "fp", b, prefix, a)
	deb := vuln("debian", "CVE-2014-0160", "debian:12", "openssl")
	replace(t, s, "debian", "fp", deb)
	tests := []struct {
		name    string
		updater string
		ids     []string
		want    []strata.Vulnerability
	}{
		{"one", "nvd", []string{"CVE-2014-0160"}, []strata.Vulnerability{a}},
		{"several, repeated, some unknown", "nvd", []string{"CVE-2021-44228", "CVE-1999-0001", "CVE-2014-0160", "CVE-2021-44228"}, []strata.Vulnerability{a, b}},
		{"aliases are not ids", "nvd", []string{"GHSA-CVE-2014-0160"}, nil},
		{"no prefix match", "nvd", []string{"CVE-2014-016"}, nil},
		{"other updater's", "debian", []string{"CVE-2014-0160"}, []strata.Vulnerability{deb}},
		{"none", "nvd", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.VulnerabilitiesByIDs(t.Context(), tt.updater, tt.ids)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
				t.Errorf("VulnerabilitiesByIDs(%s, %q) (-want +got):\n%s", tt.updater, tt.ids, diff)
			}
		})
	}
	// A long list is one query too.
	many := make([]string, 5000)
	for i := range many {
		many[i] = fmt.Sprintf("CVE-2000-%05d", i)
	}
	many[4321] = "CVE-2021-44228"
	got, err := s.VulnerabilitiesByIDs(t.Context(), "nvd", many)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]strata.Vulnerability{b}, got); diff != "" {
		t.Errorf("VulnerabilitiesByIDs of 5000 ids (-want +got):\n%s", diff)
	}
}

// testNoEcosystem checks that records of no ecosystem (the NVD's) match
// no package and cover nothing.
func testNoEcosystem(t *testing.T, s store.Store) {
	replace(t, s, "nvd", "fp", nvdRecord("CVE-2014-0160", 7.5))
	covered, err := s.Covered(t.Context(), "", "")
	if err != nil || covered {
		t.Errorf(`Covered("", "") = %v, %v; want false`, covered, err)
	}
	vs, err := s.Vulnerabilities(t.Context(), "", "", []string{""})
	if err != nil || len(vs) != 0 {
		t.Errorf(`Vulnerabilities("", "", [""]) = %v, %v; want none`, vs, err)
	}
}
