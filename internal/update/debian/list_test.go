package debian

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

// fixed is a list record as the parser makes it.
func fixed(id, rel, pkg, version string, aliases ...string) strata.Vulnerability {
	v := record(id, rel, pkg, version, strata.Fixed)
	v.Aliases = aliases
	return v
}

func TestParseRealLists(t *testing.T) {
	dsa1075 := fixed("DSA-1075-1", "debian:3.1", "awstats", "6.4-1sarge3", "CVE-2006-2644", "CVE-2006-1945")
	dsa1075.Description, dsa1075.Published = "programming error", date(2006, 5, 26)
	dsa892 := fixed("DSA-892-1", "debian:3.1", "awstats", "6.4-1sarge1", "CVE-2005-1527")
	dsa892.Description, dsa892.Published = "missing input sanitising", date(2005, 11, 10)
	dsa892.VendorSeverity, dsa892.Severity = "medium", strata.Medium
	dsa135 := fixed("DSA-135", "debian:3.0", "libapache-mod-ssl", "2.8.9-2", "CVE-2002-0653")
	dsa135.Description, dsa135.Published = "buffer overflow / DoS", date(2002, 7, 2)
	dsa5380 := fixed("DSA-5380-1", "debian:11", "xorg-server", "2:1.20.11-1+deb11u6", "CVE-2023-1393")
	dsa5380.Description, dsa5380.Published = "security update", date(2023, 3, 29)
	dsa5356 := fixed("DSA-5356-2", "debian:11", "sox", "14.4.2+git20190427-2+deb11u2")
	dsa5356.Description, dsa5356.Published = "regression update", date(2023, 3, 17)
	dsa1452 := fixed("DSA-1452-1", "debian:4", "wzdftpd", "0.8.1-2etch1", "CVE-2007-5300")
	dsa1452.Description, dsa1452.Published = "denial of service", date(2008, 1, 6)
	dla3379 := fixed("DLA-3379-1", "debian:10", "intel-microcode", "3.20230214.1~deb10u1",
		"CVE-2022-21216", "CVE-2022-21233", "CVE-2022-33196", "CVE-2022-33972", "CVE-2022-38090")
	dla3379.Description, dla3379.Published = "security update", date(2023, 4, 1)
	dtsa1 := fixed("DTSA-1-1", "debian:4", "kismet", "2005.08.R1-0.1etch1", "CVE-2005-2626", "CVE-2005-2627")
	dtsa1.Description, dtsa1.Published = "various", date(2005, 8, 26)
	dtsa1.VendorSeverity, dtsa1.Severity = "high", strata.High

	tests := []struct {
		file      string
		records   int
		checked   []strata.Vulnerability
		noRecords []string // keys that must be absent
	}{
		{"DSA.list", 6926, []strata.Vulnerability{dsa5380, dsa5356, dsa1452, dsa1075, dsa892, dsa135},
			[]string{"DSA-892-1|deb|debian:3.0|awstats", "DSA-880-1|deb|debian:3.0|phpmyadmin", "DSA-3699-1|deb|debian:8|virtualbox"}},
		{"DLA.list", 3534, []strata.Vulnerability{dla3379}, nil},
		{"DTSA.list", 208, []strata.Vulnerability{dtsa1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(trackerDir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("%s not present: %s (shared data absent)", tt.file, path)
			}
			vs := updatetest.ParseFile(t, Updater{}, path)
			got := map[string]strata.Vulnerability{}
			for _, v := range vs {
				got[v.Key()] = v
			}
			if len(vs) != tt.records || len(got) != tt.records {
				t.Errorf("%d records, %d distinct keys; want %d", len(vs), len(got), tt.records)
			}
			for _, w := range tt.checked {
				if diff := cmp.Diff(w, got[w.Key()]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", w.Key(), diff)
				}
			}
			for _, k := range tt.noRecords {
				if _, ok := got[k]; ok {
					t.Errorf("record %s, want none", k)
				}
			}
		})
	}
}
