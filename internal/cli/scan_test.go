package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/testutil/golden"
)

// check is a hand-checked finding: each was looked up in the feed files
// by hand. want is the fixed version for a fixed record, else the state
// (unfixed, wont-fix, under-investigation); "" means: must NOT be reported.
type check struct {
	pkg, vuln, want string
}

// The real Debian 10 and 11 dpkg status files, scanned against the real
// DSA and DLA lists (April 2023), report the advisories whose fix for the
// release is newer than the installed source version, and none where the
// installed version is as new or newer.
func TestScanDebianAgainstAdvisoryLists(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db,
		"--source", "debian=../../testdata/feeds/debian/DSA.list",
		"--source", "debian=../../testdata/feeds/debian/DLA.list")
	tests := []struct {
		dir    string
		checks []check
	}{{
		dir: "pkgdb/dpkg/debian-old/buster-drupal-2021",
		checks: []check{
			// openssl 1.1.1d-0+deb10u4 installed.
			{"openssl", "DSA-4855-1", "1.1.1d-0+deb10u5"}, // DSA.list: [buster] - openssl 1.1.1d-0+deb10u5
			{"libssl1.1", "DLA-3325-1", "1.1.1n-0+deb10u4"},
			{"openssl", "DSA-4807-1", ""}, // fixed in 1.1.1d-0+deb10u4, the installed version
			{"openssl", "DSA-4661-1", ""}, // fixed in 1.1.1d-0+deb10u3, older
			// apache2 2.4.38-3+deb10u4 installed.
			{"apache2", "DSA-4937-1", "2.4.38-3+deb10u5"},
			{"apache2", "DSA-4757-1", ""}, // fixed in 2.4.38-3+deb10u4
			// curl 7.64.0-4+deb10u1 installed.
			{"curl", "DSA-4881-1", "7.64.0-4+deb10u2"},
			{"curl", "DSA-4633-1", ""}, // fixed in 7.64.0-4+deb10u1
			// tzdata 2020e-0+deb10u1 installed.
			{"tzdata", "DLA-3134-1", "2021a-0+deb10u7"},
			// libudev1 from source systemd 241-7~deb10u5: matched by source.
			{"libudev1", "DSA-4942-1", "241-7~deb10u8"},
		},
	}, {
		dir: "pkgdb/dpkg/debian-old/buster-vm-2020",
		checks: []check{
			// sudo 1.8.27-1+deb10u2 installed.
			{"sudo", "DSA-4839-1", "1.8.27-1+deb10u3"}, // CVE-2021-3156 (Baron Samedit)
			{"sudo", "DLA-3272-1", "1.8.27-1+deb10u5"},
			{"sudo", "DSA-4543-1", ""}, // fixed in 1.8.27-1+deb10u1; 1.8.27-1+deb10u2 installed
			// git 1:2.20.1-2+deb10u3 installed (an epoch).
			{"git", "DLA-3145-1", "1:2.20.1-2+deb10u4"},
			{"git-man", "DLA-3338-1", "1:2.20.1-2+deb10u8"},
			{"git", "DSA-4659-1", ""}, // fixed in 1:2.20.1-2+deb10u3
			{"git", "DSA-4581-1", ""}, // fixed in 1:2.20.1-2+deb10u1
			// linux-libc-dev from source linux 4.19.146-1.
			{"linux-libc-dev", "DSA-4774-1", "4.19.152-1"},
			{"linux-libc-dev", "DSA-4699-1", ""}, // fixed in 4.19.118-2+deb10u1
		},
	}}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.dir), func(t *testing.T) {
			vr := scanJSON(t, db, dpkgImage(t, sharedPath(t, tt.dir)))
			rows := findings(vr)
			golden.Check(t, filepath.Join("testdata", "golden", filepath.Base(tt.dir)+".tsv"), tsv(rows))
			checkFindings(t, rows, tt.checks)
		})
	}
}

func checkFindings(t *testing.T, rows []finding, checks []check) {
	t.Helper()
	for _, c := range checks {
		var got *finding
		for i, r := range rows {
			if r.Package == c.pkg && slices.Contains(strings.Split(r.Vulnerability, "+"), c.vuln) {
				got = &rows[i]
			}
		}
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s %s reported (%v), want not reported", c.pkg, c.vuln, got)
		case c.want != "" && got == nil:
			t.Errorf("%s %s not reported, want %s", c.pkg, c.vuln, c.want)
		case got != nil && got.State == "fixed" && got.Fixed != c.want:
			t.Errorf("%s %s fixed in %q, want %q", c.pkg, c.vuln, got.Fixed, c.want)
		case got != nil && got.State != "fixed" && got.State != c.want:
			t.Errorf("%s %s state %q, want %q", c.pkg, c.vuln, got.State, c.want)
		}
	}
}

// The bullseye status file in the shared data was committed with git
// merge-conflict markers: scanning it as it is must fail clearly.
func TestScanConflictedStatusFails(t *testing.T) {
	img := dpkgImage(t, sharedPath(t, "pkgdb/dpkg/debian-old/bullseye-postgres-2022"))
	_, errOut, code := run(t, "scan", "--db", filepath.Join(t.TempDir(), "db"), img)
	want := `dpkg: parse var/lib/dpkg/status: line 2013: want "Field: value", have "<<<<<<< HEAD"`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
}

// resolveTheirs resolves git conflict markers keeping the incoming side.
func resolveTheirs(b []byte) []byte {
	var out [][]byte
	keep := true
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte("<<<<<<< ")):
			keep = false
		case bytes.Equal(bytes.TrimSpace(line), []byte("=======")):
			keep = true
		case bytes.HasPrefix(line, []byte(">>>>>>> ")):
		default:
			if keep {
				out = append(out, line)
			}
		}
	}
	return bytes.Join(out, nil)
}

// The same bullseye file with its conflicts resolved to the incoming side
// (147 packages, as ../shared/data/PROVENANCE.md counts them).
func TestScanBullseyeResolved(t *testing.T) {
	src := sharedPath(t, "pkgdb/dpkg/debian-old/bullseye-postgres-2022")
	dir := t.TempDir()
	status, err := os.ReadFile(filepath.Join(src, "status"))
	if err != nil {
		t.Fatal(err)
	}
	osRelease, err := os.ReadFile(filepath.Join(src, "os-release"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "status"), resolveTheirs(status), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "os-release"), osRelease, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db,
		"--source", "debian=../../testdata/feeds/debian/DSA.list",
		"--source", "debian=../../testdata/feeds/debian/DLA.list")
	vr := scanJSON(t, db, dpkgImage(t, dir))
	if len(vr.Packages) != 147 {
		t.Errorf("%d packages, want 147", len(vr.Packages))
	}
	rows := findings(vr)
	golden.Check(t, filepath.Join("testdata", "golden", "bullseye-postgres-2022.tsv"), tsv(rows))
	checkFindings(t, rows, bullseyeChecks)
}

var bullseyeChecks = []check{
	{"libgnutls30", "DSA-5349-1", "3.7.1-5+deb11u3"}, // source gnutls28 3.7.1-5+deb11u2
	{"libgnutls30", "DSA-5203-1", ""},                // fixed in 3.7.1-5+deb11u2
	{"libkrb5-3", "DSA-5286-1", "1.18.3-6+deb11u3"},
	{"openssl", "DSA-5343-1", "1.1.1n-0+deb11u4"},
	{"openssl", "DSA-5169-1", ""}, // fixed in 1.1.1n-0+deb11u3, installed
	{"openssl", "DSA-5139-1", ""},
	// The incoming side of the conflict has libxml2 +deb11u2 (HEAD: +deb11u3).
	{"libxml2", "DSA-5271-1", "2.9.10+dfsg-6.7+deb11u3"},
	{"libxml2", "DSA-5142-1", ""},
	{"libksba8", "DSA-5305-1", "1.5.0-3+deb11u2"},
	{"libksba8", "DSA-5255-1", ""},
}

// A real Ubuntu 18.04 dpkg status, scanned against the real 2020 Ubuntu
// CVE Tracker ("active" tree: fixed CVEs retire out of it, so its findings
// are mostly open ones).
func TestScanUbuntuAgainstCVETracker(t *testing.T) {
	uct := sharedPath(t, "feeds/ubuntu/uct/ubuntu-cve-tracker-active-2020-06.tar.gz")
	dir := t.TempDir()
	copyFile(t, sharedPath(t, "pkgdb/dpkg/texlive.status"), filepath.Join(dir, "status"))
	copyFile(t, sharedPath(t, "pkgdb/dpkg/ubuntu-old/bionic-docker-2021/os-release"), filepath.Join(dir, "os-release"))
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "ubuntu="+uct)
	rows := findings(scanJSON(t, db, dpkgImage(t, dir)))
	golden.Check(t, filepath.Join("testdata", "golden", "bionic-texlive.tsv"), tsv(rows))
	checkFindings(t, rows, []check{
		{"bash", "CVE-2019-18276", "unfixed"},               // bionic_bash: needed
		{"aspell", "CVE-2019-20433", "under-investigation"}, // bionic_aspell: needs-triage
		{"binutils", "CVE-2018-10372", "unfixed"},           // bionic_binutils: needed
		{"libpython2.7", "CVE-2017-18207", "wont-fix"},      // bionic_python2.7: ignored (disputed)
		{"libkpathsea6", "CVE-2019-12360", "unfixed"},       // bionic_texlive-bin: deferred (2019-07-23)
		{"bash", "CVE-2016-9401", ""},                       // released (4.4-5ubuntu1); 4.4.18-2ubuntu1.2 installed
		{"python2.7", "CVE-2019-9948", ""},                  // released (2.7.15-4ubuntu4~18.04.1); 2.7.17-1~18.04ubuntu1 installed
		{"libgs9", "CVE-2012-0876", ""},                     // bionic_ghostscript: ignored (code-not-compiled)
		{"libkpathsea6", "CVE-2012-0876", ""},               // bionic_texlive-bin: ignored (code-not-compiled)
	})
	var sev string
	for _, r := range rows {
		if r.Package == "bash" && r.Vulnerability == "CVE-2019-18276" {
			sev = r.Severity
		}
	}
	if sev != "Low" { // Priority: low
		t.Errorf("bash CVE-2019-18276 severity %q, want Low", sev)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
