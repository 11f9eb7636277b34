package strata

import "testing"

func TestBestCVSS(t *testing.T) {
	v := func(version string, score float64, typ string) CVSS {
		return CVSS{Version: version, Score: score, Type: typ}
	}
	tests := []struct {
		name   string
		scores []CVSS
		want   CVSS
		ok     bool
	}{
		{"none", nil, CVSS{}, false},
		{"unknown version only", []CVSS{v("5.0", 9, "Primary")}, CVSS{}, false},
		{"newest version first", []CVSS{v("2.0", 10, "Primary"), v("3.0", 9.8, "Primary"), v("3.1", 7.5, "Secondary")}, v("3.1", 7.5, "Secondary"), true},
		{"4.0 over 3.1", []CVSS{v("3.1", 5.3, "Primary"), v("4.0", 8.2, "Secondary")}, v("4.0", 8.2, "Secondary"), true},
		{"primary within a version", []CVSS{v("3.1", 4.2, "Secondary"), v("3.1", 4.4, "Primary"), v("3.1", 9, "Primary")}, v("3.1", 4.4, "Primary"), true},
		{"else the first", []CVSS{v("3.1", 6.1, ""), v("3.1", 9, "")}, v("3.1", 6.1, ""), true},
	}
	for _, tt := range tests {
		got, ok := BestCVSS(tt.scores)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: BestCVSS = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNVDScore(t *testing.T) {
	es := []NVDEntry{
		{CVE: "CVE-2021-3999", CVSS: []CVSS{{Version: "3.1", Score: 7.8, Type: "Primary"}}},
		{CVE: "CVE-2022-0001"},
		{CVE: "CVE-2022-1016", CVSS: []CVSS{{Version: "2.0", Score: 9.3}, {Version: "3.1", Score: 5.5}}},
		{CVE: "CVE-2022-1198", CVSS: []CVSS{{Version: "3.1", Score: 7.8}}},
	}
	c, cve, ok := NVDScore(es)
	if !ok || cve != "CVE-2021-3999" || c.Score != 7.8 {
		t.Errorf("NVDScore = %+v, %s, %v; want 7.8 of CVE-2021-3999, the first of the highest", c, cve, ok)
	}
	if _, _, ok := NVDScore(es[1:2]); ok {
		t.Error("NVDScore of an entry without scores is ok")
	}
}
