package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// rpmImage packs a real RHEL os-release and an RPM database (gunzipped
// when its name ends in .gz) as a one-layer image called name.
func rpmImage(t *testing.T, name, osRelease, db, dbPath string) string {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(name) != ".gz" {
			return b
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
		return b
	}
	layer, err := testutil.Tar(
		testutil.Entry{Path: "etc/os-release", Body: read(osRelease)},
		testutil.Entry{Path: dbPath, Body: read(db)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return layerImage(t, name, true, layer)
}

// redhatFeed loads every real Red Hat VEX document of the shared data
// (13 documents and the 2023 bulk archive of 5) through --source.
func redhatFeed(t *testing.T) string {
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "redhat="+sharedPath(t, "feeds/redhat/csaf-vex"))
	return db
}

// The one real RHEL database of the shared data (RHEL 8's Berkeley DB
// holding libuuid-2.32.1-42.el8_8, source util-linux) with RHEL 8's real
// os-release: no VEX document of the shared data names util-linux or
// libuuid, so the package is checked against the rhel:8 records and
// nothing is found; the release is covered, not reported as uncovered.
func TestScanRealRHEL8AgainstVEX(t *testing.T) {
	db := redhatFeed(t)
	img := rpmImage(t, "rhel8-libuuid", sharedPath(t, "os-release/claircore/rhel/releasefiles/8/etc/os-release"),
		sharedPath(t, "pkgdb/rpm/bdb/libuuid.Packages"), "var/lib/rpm/Packages")
	vr := scanJSON(t, db, img)
	if len(vr.Packages) != 1 || len(findings(vr)) != 0 || len(vr.Uncovered) != 0 {
		t.Errorf("%d packages, findings %v, uncovered %q; want libuuid, none, none", len(vr.Packages), findings(vr), vr.Uncovered)
	}
}

// Stand-in RHEL 9 and RHEL 8 databases made by rpm (testdata/rpm/
// make-rpmdb.sh: real Red Hat package names, versions and module labels)
// with the real os-release files, scanned against every real VEX document
// of the shared data. The expected findings were checked by hand in the
// documents (see the checks).
func TestScanRHELAgainstVEX(t *testing.T) {
	db := redhatFeed(t)
	tests := []struct {
		release string
		checks  []check
	}{{
		release: "9",
		checks: []check{
			// CVE-2024-0727: "AppStream-9.4.0.GA:openssl-libs-1:3.0.7-27.el9.x86_64" fixed; 1:3.0.7-24.el9 installed.
			{"openssl-libs", "CVE-2024-0727", "1:3.0.7-27.el9"},
			// CVE-2026-2673: "red_hat_enterprise_linux_9:openssl-libs" known_affected, none_available.
			{"openssl-libs", "CVE-2026-2673", "unfixed"},
			{"openssl-fips-provider", "CVE-2026-2673", "unfixed"},
			// CVE-2024-0727: "BaseOS-9.4.0.GA:openssl-fips-provider-0:3.0.7-2.el9.x86_64" known_not_affected.
			{"openssl-fips-provider", "CVE-2024-0727", ""},
			// CVE-2023-38545: fixed on 9.2's mainline in 7.76.1-23.el9_2.4 and on 9.3's
			// in 7.76.1-26.el9_3.2; 7.76.1-26.el9_3, above the first, lacks the fix.
			{"curl-minimal", "CVE-2023-38545", "7.76.1-26.el9_3.2"},
			{"libcurl-minimal", "CVE-2023-38545", "7.76.1-26.el9_3.2"},
			// CVE-2026-2297: "red_hat_enterprise_linux_9:python3" and ":python3-libs" known_affected.
			{"python3", "CVE-2026-2297", "unfixed"},
			{"python3-libs", "CVE-2026-2297", "unfixed"},
			// CVE-2025-40907: "AppStream-9.6.0.Z.MAIN.EUS:perl-FCGI-1:0.79-8.1.el9_6.x86_64"
			// fixed: the installed build (the 9.4 EUS build 1:0.79-8.el9_4.1 is not RHEL 9's mainline).
			{"perl-FCGI", "CVE-2025-40907", ""},
		},
	}, {
		release: "8",
		checks: []check{
			// CVE-2025-40907: perl-FCGI:0.78 fixed in four contexts of
			// 1:0.78-12.module+el8.10.0+23147+…; the installed 0.78-11 is of that stream.
			{"perl-FCGI", "CVE-2025-40907", "1:0.78-12.module+el8.10.0+23147+df114ff4"},
			// CVE-2024-0727: "red_hat_enterprise_linux_8:openssl-libs" known_affected, "Fix deferred".
			{"openssl-libs", "CVE-2024-0727", "unfixed"},
			// CVE-2024-0727: "red_hat_enterprise_linux_8:edk2-ovmf" known_affected, no_fix_planned.
			{"edk2-ovmf", "CVE-2024-0727", "wont-fix"},
			{"openssl-libs", "CVE-2026-2673", "unfixed"},
			// CVE-2023-38545 is about RHEL 9's curl only.
			{"openssl-libs", "CVE-2023-38545", ""},
		},
	}}
	for _, tt := range tests {
		t.Run("rhel"+tt.release, func(t *testing.T) {
			img := rpmImage(t, "rhel"+tt.release, sharedPath(t, "os-release/claircore/rhel/releasefiles/"+tt.release+"/etc/os-release"),
				filepath.Join("testdata", "rpm", "rhel"+tt.release+".rpmdb.sqlite.gz"), "var/lib/rpm/rpmdb.sqlite")
			rows := findings(scanJSON(t, db, img))
			golden.Check(t, filepath.Join("testdata", "golden", "rhel"+tt.release+"-vex.tsv"), tsv(rows))
			checkFindings(t, rows, tt.checks)
		})
	}
}

// A VEX document whose every status is known_not_affected (Samba's
// CVE-2023-4154 and CVE-2023-42670) is a valid location of the redhat
// feed: it loads, with no record, replacing what the feed held. An empty
// file, or JSON that is no CSAF document, is still refused and changes
// nothing.
func TestUpdateRedHatNotAffected(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	vex := sharedPath(t, "feeds/redhat/csaf-vex")
	out := mustRun(t, "update", "--db", db, "--source", "redhat="+filepath.Join(vex, "cve-2024-0727-openssl.json"))
	if want := "redhat: 31 records (31 added, 0 removed)\n"; !strings.HasPrefix(out, want) {
		t.Errorf("openssl document: %q, want it to start with %q", out, want)
	}
	out = mustRun(t, "update", "--db", db, "--source", "redhat="+filepath.Join(vex, "cve-2023-4154.json"),
		"--source", "redhat="+filepath.Join(vex, "cve-2023-42670.json"))
	if want := "redhat: 0 records (0 added, 31 removed)\n"; !strings.HasPrefix(out, want) {
		t.Errorf("not-affected documents: %q, want it to start with %q", out, want)
	}
	dir := t.TempDir()
	empty, notCSAF := filepath.Join(dir, "empty.json"), filepath.Join(dir, "other.json")
	testutil.WriteFile(t, empty, nil)
	testutil.WriteFile(t, notCSAF, []byte(`{"vulnerabilities": []}`))
	for loc, want := range map[string]string{
		empty:   "update redhat: " + empty + ": no records of the redhat feed found in it\n",
		notCSAF: "update redhat: redhat: parse " + notCSAF + ": not a CSAF document (no document.tracking.id)\n",
	} {
		_, errOut, code := run(t, "update", "--db", db, "--source", "redhat="+loc)
		if code != 1 || !strings.HasPrefix(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q; want 1, %q", loc, code, errOut, want)
		}
	}
}

// under_investigation, from a CSAF document (testdata's cve-2026-2673
// with its known_affected list renamed under_investigation) to the stored
// records and the JSON report of a RHEL 9 image holding openssl-libs and
// openssl-fips-provider (which the document lists for RHEL 9).
func TestUnderInvestigationVEX(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "redhat=../update/redhat/testdata/cve-2026-2673-under-investigation.json.gz")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := st.Vulnerabilities(context.Background(), strata.RPM, "rhel:9", []string{"openssl-libs"})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].ID != "CVE-2026-2673" || vs[0].State != strata.UnderInvestigation || vs[0].FixedVersion != "" {
		t.Errorf("stored rhel:9 openssl-libs records %+v, want CVE-2026-2673 under-investigation, no fix", vs)
	}
	img := rpmImage(t, "rhel9", sharedPath(t, "os-release/claircore/rhel/releasefiles/9/etc/os-release"),
		filepath.Join("testdata", "rpm", "rhel9.rpmdb.sqlite.gz"), "var/lib/rpm/rpmdb.sqlite")
	want := []finding{
		{"openssl-fips-provider", "3.0.7-2.el9", "openssl-fips-provider", "3.0.7-2.el9", "CVE-2026-2673", "", "under-investigation", "Low"},
		{"openssl-libs", "1:3.0.7-24.el9", "openssl", "1:3.0.7-24.el9", "CVE-2026-2673", "", "under-investigation", "Low"},
	}
	if diff := cmp.Diff(want, findings(scanJSON(t, db, img))); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
