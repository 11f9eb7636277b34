package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// Ubuntu package sets matched against Ubuntu's own OSV records (the real
// samples of the shared data, loaded as the osv feed): records name
// source packages, so each binary is matched through its source with the
// deb comparator, against the records of its release only (Pro/ESM
// records included). The bionic sets are real systems'; jammy, focal and
// xenial are hand-written (testdata/ubuntu-osv/PROVENANCE) to put
// versions before, at and after fixes.
func TestScanUbuntuAgainstUbuntuOSV(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "osv="+sharedPath(t, "feeds/ubuntu/osv"))
	texlive := t.TempDir()
	copyFile(t, sharedPath(t, "pkgdb/dpkg/texlive.status"), filepath.Join(texlive, "status"))
	copyFile(t, sharedPath(t, "pkgdb/dpkg/ubuntu-old/bionic-docker-2021/os-release"), filepath.Join(texlive, "os-release"))
	tests := []struct {
		name, dir string
		findings  int
		checks    []check
	}{{
		// 89 packages of a real 18.04 container: only glibc has a record
		// for 18.04 (UBUNTU-CVE-2016-20013, Ubuntu:Pro:18.04:LTS, no fix).
		name: "bionic-docker", dir: sharedPath(t, "pkgdb/dpkg/ubuntu-old/bionic-docker-2021"), findings: 2,
		checks: []check{
			{"libc6", "UBUNTU-CVE-2016-20013", "unfixed"},
			{"libc-bin", "UBUNTU-CVE-2016-20013", "unfixed"},
		},
	}, {
		// The texlive system (18.04): its six glibc binaries; unzip
		// 6.0-21ubuntu1 and linux 4.15.0-101.102 have records for
		// 14.04 and 16.04 only.
		name: "bionic-texlive", dir: texlive, findings: 6,
		checks: []check{
			{"locales", "UBUNTU-CVE-2016-20013", "unfixed"},
			{"unzip", "UBUNTU-CVE-2014-9913", ""},
			{"linux-libc-dev", "UBUNTU-CVE-2025-38094", ""},
		},
	}, {
		name: "jammy", dir: "testdata/ubuntu-osv/jammy", findings: 4,
		checks: []check{
			// wayland 1.20.0-1 < 1.20.0-1ubuntu0.1 (Ubuntu:22.04:LTS).
			{"libwayland-client0", "UBUNTU-CVE-2021-3782", "1.20.0-1ubuntu0.1"},
			// netty 1:4.1.48-4+deb11u1 < the Pro fix 1:4.1.48-4+deb11u2ubuntu0.1~esm1.
			{"libnetty-java", "UBUNTU-CVE-2022-24823", "1:4.1.48-4+deb11u2ubuntu0.1~esm1"},
			{"sssd-common", "UBUNTU-CVE-2016-20013", "unfixed"},
			{"libc6", "UBUNTU-CVE-2016-20013", "unfixed"},
			// unzip: UBUNTU-CVE-2014-9913 has no 22.04 entry.
			{"unzip", "UBUNTU-CVE-2014-9913", ""},
		},
	}, {
		name: "focal", dir: "testdata/ubuntu-osv/focal", findings: 3,
		checks: []check{
			// 1:4.1.45-1ubuntu0.1~esm1 < 1:4.1.45-1ubuntu0.1~esm2 (Ubuntu:Pro:20.04:LTS).
			{"libnetty-java", "UBUNTU-CVE-2022-24823", "1:4.1.45-1ubuntu0.1~esm2"},
			{"zabbix-agent", "UBUNTU-CVE-2016-20013", "unfixed"},
			{"libc6", "UBUNTU-CVE-2016-20013", "unfixed"},
			// wayland 1.18.0-1ubuntu0.1 is the fixed version.
			{"libwayland-client0", "UBUNTU-CVE-2021-3782", ""},
			{"libwayland-server0", "UBUNTU-CVE-2021-3782", ""},
		},
	}, {
		name: "xenial", dir: "testdata/ubuntu-osv/xenial", findings: 3,
		checks: []check{
			// 1.12.0-1~ubuntu16.04.3 < 1.12.0-1~ubuntu16.04.3+esm1 (Ubuntu:Pro:16.04:LTS).
			{"libwayland-client0", "UBUNTU-CVE-2021-3782", "1.12.0-1~ubuntu16.04.3+esm1"},
			// 6.0-20ubuntu1 < 6.0-20ubuntu1.1 (Ubuntu:16.04:LTS).
			{"unzip", "UBUNTU-CVE-2014-9913", "6.0-20ubuntu1.1"},
			{"libc6", "UBUNTU-CVE-2016-20013", "unfixed"},
			// 1:4.0.34-1ubuntu0.1~esm2 is the Pro fix itself.
			{"libnetty-java", "UBUNTU-CVE-2022-24823", ""},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := findings(scanJSON(t, db, dpkgImage(t, tt.dir)))
			if len(rows) != tt.findings {
				t.Errorf("%d findings, want %d", len(rows), tt.findings)
			}
			golden.Check(t, filepath.Join("testdata", "golden", "ubuntu-osv-"+tt.name+".tsv"), tsv(rows))
			checkFindings(t, rows, tt.checks)
		})
	}
}

// Ubuntu's CVE records name the notices (USN) that fixed them as related,
// and the notices' own records are skipped: "strata affected USN-5614-1"
// finds the images that UBUNTU-CVE-2021-3782 (wayland) affects, as the
// help's example of an id promises.
func TestAffectedByUSN(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "osv="+sharedPath(t, "feeds/ubuntu/osv"))
	mustRun(t, "index", "--db", db, dpkgImage(t, "testdata/ubuntu-osv/jammy"))
	var ar notify.AffectedReport
	if err := json.Unmarshal([]byte(mustRun(t, "affected", "--db", db, "--format", "json", "USN-5614-1")), &ar); err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, img := range ar.Images {
		for _, p := range img.Packages {
			pkgs = append(pkgs, p.Name+" "+p.Version)
		}
	}
	want := []string{"libwayland-client0 1.20.0-1"}
	if !cmp.Equal(ar.Records, []string{"UBUNTU-CVE-2021-3782"}) || len(ar.Images) != 1 || !cmp.Equal(pkgs, want) {
		t.Errorf("affected USN-5614-1: records %v, %d images, packages %q; want [UBUNTU-CVE-2021-3782], 1, %q", ar.Records, len(ar.Images), pkgs, want)
	}
}
