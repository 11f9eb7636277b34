package osv_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/update/updatetest"
	"github.com/strata-scan/strata/internal/version"
)

// Ubuntu's OSV records, checked by hand in the files: one record per
// release, keyed by the source package, Ubuntu's priority as severity, the
// upstream CVE and the related notices (USN) as aliases, the repeated CVSS
// vector once.
func TestParseUbuntu(t *testing.T) {
	netty := func(release, fixed string, versions int) summary {
		s := summary{Key: "UBUNTU-CVE-2022-24823|deb|ubuntu:" + release + "|netty", Aliases: []string{"CVE-2022-24823", "USN-7284-1"},
			Ranges: []strata.Range{events("introduced", "0")}, Versions: versions, State: strata.Unfixed,
			Severity: strata.Low, VendorSeverity: "low",
			CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", Score: 5.5}},
			Published: "2022-05-06T12:15:00Z", Links: 6}
		if fixed != "" {
			s.Ranges, s.FixedVersion, s.State = []strata.Range{events("introduced", "0", "fixed", fixed)}, fixed, strata.Fixed
		}
		return s
	}
	wayland := func(release, fixed string, versions int) summary {
		return summary{Key: "UBUNTU-CVE-2021-3782|deb|ubuntu:" + release + "|wayland", Aliases: []string{"CVE-2021-3782", "USN-5614-1", "USN-5614-2"},
			Ranges: []strata.Range{events("introduced", "0", "fixed", fixed)}, Versions: versions,
			FixedVersion: fixed, State: strata.Fixed, Severity: strata.Medium, VendorSeverity: "medium",
			CVSS:      []strata.CVSS{{Version: "3.1", Vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", Score: 6.6}},
			Published: "2022-08-30T20:51:00Z", Links: 5}
	}
	tests := []struct {
		file string
		want []summary
	}{
		// Ubuntu:Pro:NN.NN:LTS (ESM) and Ubuntu:25.10 (no ":LTS").
		{"UBUNTU-CVE-2022-24823.json", []summary{
			netty("14.04", "", 3),
			netty("16.04", "1:4.0.34-1ubuntu0.1~esm2", 5),
			netty("18.04", "1:4.1.7-4ubuntu0.1+esm3", 5),
			netty("20.04", "1:4.1.45-1ubuntu0.1~esm2", 5),
			netty("22.04", "1:4.1.48-4+deb11u2ubuntu0.1~esm1", 3),
			netty("24.04", "1:4.1.48-9ubuntu0.1~esm1", 3),
			netty("25.10", "", 3),
			netty("26.04", "", 7),
		}},
		{"UBUNTU-CVE-2021-3782.json", []summary{
			wayland("16.04", "1.12.0-1~ubuntu16.04.3+esm1", 5),
			wayland("18.04", "1.16.0-1ubuntu1.1~18.04.4", 4),
			wayland("20.04", "1.18.0-1ubuntu0.1", 4),
			wayland("22.04", "1.20.0-1ubuntu0.1", 2),
		}},
		// The notice restates UBUNTU-CVE-2021-3782's fixes: skipped.
		{"USN-5614-1.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := summarise(updatetest.ParseFile(t, osv.Updater{}, "testdata/"+tt.file))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%s) (-want +got):\n%s", tt.file, diff)
			}
		})
	}
	for _, v := range updatetest.ParseFile(t, osv.Updater{}, "testdata/UBUNTU-CVE-2021-3782.json") {
		if v.Eco != strata.Deb || !v.SourcePackage || v.Updater != "osv" {
			t.Errorf("%s: ecosystem %q, source package %v, updater %q; want deb, a source package, osv", v.Key(), v.Eco, v.SourcePackage, v.Updater)
		}
	}
}

// The ecosystems of Ubuntu's records: the release's own and Pro's ESM
// fixes go to the release; Pro's FIPS and Realtime streams, other
// products and Debian (read by no strata feed yet) are skipped.
func TestUbuntuEcosystems(t *testing.T) {
	tests := []struct {
		ecosystem string
		release   string // "": skipped
	}{
		{"Ubuntu:22.04:LTS", "ubuntu:22.04"},
		{"Ubuntu:Pro:18.04:LTS", "ubuntu:18.04"},
		{"Ubuntu:25.10", "ubuntu:25.10"},
		{"Ubuntu:Pro:FIPS:20.04:LTS", ""},
		{"Ubuntu:Pro:FIPS-updates:22.04:LTS", ""},
		{"Ubuntu:Pro:FIPS-preview:22.04:LTS", ""},
		{"Ubuntu:Pro:22.04:LTS:Realtime:Kernel", ""},
		{"Ubuntu:22.04:LTS:NVIDIA:BlueField", ""},
		{"Ubuntu", ""},
		{"Debian:12", ""},
	}
	for _, tt := range tests {
		doc := fmt.Sprintf(`{"id":"UBUNTU-CVE-2024-1","affected":[{"package":{"ecosystem":%q,"name":"openssl"},
			"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.2-0ubuntu1.15"}]}]}]}`, tt.ecosystem)
		vs, err := osv.Updater{}.Parse(context.Background(), "a.json", strings.NewReader(doc))
		wantErr := ""
		if tt.release == "" {
			wantErr = "skipped 1 records of unsupported ecosystems: " + tt.ecosystem
		}
		if (err != nil || wantErr != "") && (err == nil || err.Error() != wantErr) {
			t.Errorf("%s: error = %v, want %q", tt.ecosystem, err, wantErr)
		}
		var got string
		if len(vs) == 1 {
			got = vs[0].Release
		}
		if len(vs) > 1 || got != tt.release {
			t.Errorf("%s: %d records, release %q; want release %q", tt.ecosystem, len(vs), got, tt.release)
		}
	}
}

// A package listed for a release in both its standard and its Pro
// ecosystem gives one record holding both ranges.
func TestUbuntuStandardAndPro(t *testing.T) {
	doc := `{"id":"UBUNTU-CVE-2024-2","affected":[
		{"package":{"ecosystem":"Ubuntu:18.04:LTS","name":"curl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"7.58.0-2ubuntu3.24"}]}]},
		{"package":{"ecosystem":"Ubuntu:Pro:18.04:LTS","name":"curl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"7.58.0-2ubuntu3.24+esm1"}]}]},
		{"package":{"ecosystem":"Ubuntu:20.04:LTS","name":"curl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`
	vs, err := osv.Updater{}.Parse(context.Background(), "a.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []summary{
		{Key: "UBUNTU-CVE-2024-2|deb|ubuntu:18.04|curl",
			Ranges:       []strata.Range{events("introduced", "0", "fixed", "7.58.0-2ubuntu3.24"), events("introduced", "0", "fixed", "7.58.0-2ubuntu3.24+esm1")},
			FixedVersion: "7.58.0-2ubuntu3.24", State: strata.Fixed, Published: "0001-01-01T00:00:00Z"},
		{Key: "UBUNTU-CVE-2024-2|deb|ubuntu:20.04|curl", Ranges: []strata.Range{events("introduced", "0")},
			State: strata.Unfixed, Published: "0001-01-01T00:00:00Z"},
	}
	if diff := cmp.Diff(want, summarise(vs)); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// Pro (ESM) versions order as dpkg orders them: "~esm" sorts before the
// version it suffixes, "+esm" after, and esm10 after esm2. Checked with
// dpkg --compare-versions.
func TestUbuntuESMVersions(t *testing.T) {
	byRelease := map[string]strata.Vulnerability{}
	for _, v := range updatetest.ParseFile(t, osv.Updater{}, "testdata/UBUNTU-CVE-2022-24823.json") {
		byRelease[v.Release] = v
	}
	deb, err := version.For(strata.Deb)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		release, installed string
		affected           bool
	}{
		// Ubuntu:Pro:20.04:LTS, fixed 1:4.1.45-1ubuntu0.1~esm2.
		{"ubuntu:20.04", "1:4.1.45-1", true},
		{"ubuntu:20.04", "1:4.1.45-1ubuntu0.1~esm1", true},
		{"ubuntu:20.04", "1:4.1.45-1ubuntu0.1~esm2", false},
		{"ubuntu:20.04", "1:4.1.45-1ubuntu0.1~esm10", false},
		{"ubuntu:20.04", "1:4.1.45-1ubuntu0.1", false},
		{"ubuntu:20.04", "4.1.45-1ubuntu0.2", true}, // no epoch: epoch 0 < 1
		// Ubuntu:Pro:18.04:LTS, fixed 1:4.1.7-4ubuntu0.1+esm3.
		{"ubuntu:18.04", "1:4.1.7-4ubuntu0.1", true},
		{"ubuntu:18.04", "1:4.1.7-4ubuntu0.1+esm2", true},
		{"ubuntu:18.04", "1:4.1.7-4ubuntu0.1+esm3", false},
		// Ubuntu:Pro:22.04:LTS, fixed 1:4.1.48-4+deb11u2ubuntu0.1~esm1.
		{"ubuntu:22.04", "1:4.1.48-4+deb11u2", true},
		{"ubuntu:22.04", "1:4.1.48-4+deb11u2ubuntu0.1~esm1", false},
		{"ubuntu:22.04", "1:4.1.48-4+deb11u2ubuntu0.1", false},
		// Ubuntu:Pro:14.04:LTS: no fix.
		{"ubuntu:14.04", "1:3.2.6.Final-2", true},
	}
	for _, tt := range tests {
		v := byRelease[tt.release]
		got, err := version.Affected(deb, v.Ranges, v.Versions, tt.installed)
		if err != nil {
			t.Fatal(err)
		}
		if got.Affected != tt.affected {
			t.Errorf("%s %s: affected %v (%s: %s), want %v", tt.release, tt.installed, got.Affected, got.Range, got.Comparison, tt.affected)
		}
	}
}

// TestRealUbuntuOSV parses every Ubuntu OSV sample of the shared data: 11
// documents, of which 3 are withdrawn and 2 are notices (USN), leaving 46
// records of 6 documents, 11 of them fixed (counted independently with jq
// over the files).
func TestRealUbuntuOSV(t *testing.T) {
	got, docs := parseFeed(t, "../../../../shared/data/feeds/ubuntu/osv")
	fixed := 0
	for _, v := range got {
		fixed += b2i(v.State == strata.Fixed)
	}
	if docs != 6 || len(got) != 46 || fixed != 11 {
		t.Errorf("%d documents, %d records, %d fixed; want 6, 46, 11", docs, len(got), fixed)
	}
	// UBUNTU-CVE-2016-20013: glibc in Ubuntu:Pro:18.04:LTS, needed
	// (introduced 0, no fix), priority negligible over a CVSS of 7.5.
	v := got["UBUNTU-CVE-2016-20013|deb|ubuntu:18.04|glibc"]
	if v.State != strata.Unfixed || v.Severity != strata.Negligible || len(v.CVSS) != 1 || v.CVSS[0].Score != 7.5 {
		t.Errorf("glibc in 18.04: state %q, severity %v, CVSS %v; want unfixed, Negligible, one vector of 7.5", v.State, v.Severity, v.CVSS)
	}
}
