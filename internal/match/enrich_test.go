package match

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
)

// nvdSource holds NVD records by ID and records the queries it answers.
type nvdSource struct {
	recs    map[string]strata.Vulnerability
	queries [][]string
	err     error
}

func (s *nvdSource) VulnerabilitiesByIDs(_ context.Context, updater string, ids []string) ([]strata.Vulnerability, error) {
	s.queries = append(s.queries, append([]string{updater}, ids...))
	var out []strata.Vulnerability
	for _, id := range ids {
		if v, ok := s.recs[id]; ok {
			out = append(out, v)
		}
	}
	return out, s.err
}

func TestEnrichNVD(t *testing.T) {
	score := func(v string, s float64, typ string) strata.CVSS {
		return strata.CVSS{Version: v, Vector: "CVSS:" + v + "/…", Score: s, Source: "nvd@nist.gov", Type: typ}
	}
	log4shell := strata.NVDEntry{CVE: "CVE-2021-44228", CVSS: []strata.CVSS{score("3.1", 10, "Primary")}, CWEs: []string{"CWE-20", "CWE-400", "CWE-502"}}
	glibc := strata.NVDEntry{CVE: "CVE-2021-3999", CVSS: []strata.CVSS{score("3.1", 7.8, "Primary")}, CWEs: []string{"CWE-193"}}
	src := &nvdSource{recs: map[string]strata.Vulnerability{}}
	for _, e := range []strata.NVDEntry{log4shell, glibc} {
		src.recs[e.CVE] = strata.Vulnerability{ID: e.CVE, Updater: NVDUpdater, CVSS: e.CVSS, CWEs: e.CWEs}
	}
	finding := func(id string, aliases ...string) strata.Finding {
		return strata.Finding{Vulnerability: strata.Vulnerability{ID: id, Aliases: aliases, Updater: "debian", Severity: strata.Low}}
	}
	res := &Result{Findings: []strata.Finding{
		finding("CVE-2021-44228"),                                  // by ID
		finding("DLA-3152-1", "CVE-2021-3999", "CVE-2016-10228"),   // by alias; the NVD lacks the other
		finding("GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228", "GHSA-x"), // by alias, the ID no CVE
		finding("DSA-5380-1", "CVE-1999-0001"),                     // the NVD has none
		finding("DSA-9999-1", "CVE-2021-44228", "CVE-2021-3999"),   // two: sorted by CVE
	}}
	if err := EnrichNVD(context.Background(), src, res); err != nil {
		t.Fatal(err)
	}
	want := [][]strata.NVDEntry{{log4shell}, {glibc}, {log4shell}, nil, {glibc, log4shell}}
	for i, f := range res.Findings {
		if diff := cmp.Diff(want[i], f.NVD); diff != "" {
			t.Errorf("finding %s (-want +got):\n%s", f.Vulnerability.ID, diff)
		}
		if f.Vulnerability.Severity != strata.Low {
			t.Errorf("finding %s: severity %s, want the vendor's Low", f.Vulnerability.ID, f.Vulnerability.Severity)
		}
	}
	// One query, each CVE once.
	wantQueries := [][]string{{"nvd", "CVE-2021-44228", "CVE-2016-10228", "CVE-2021-3999", "CVE-1999-0001"}}
	if diff := cmp.Diff(wantQueries, src.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}

	// No CVE, no query.
	src.queries = nil
	if err := EnrichNVD(context.Background(), src, &Result{Findings: []strata.Finding{finding("GHSA-x")}}); err != nil || src.queries != nil {
		t.Errorf("without CVEs: %v, queries %v; want no query", err, src.queries)
	}
	src.err = errors.New("database is locked")
	if err := EnrichNVD(context.Background(), src, res); err == nil || err.Error() != "match: NVD records: database is locked" {
		t.Errorf("failing store: error %v", err)
	}
}
