package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// apkImage packs a folder holding a real Alpine system's "installed",
// "os-release" and "alpine-release" files as a one-layer image, with each
// file where Alpine keeps it.
func apkImage(t *testing.T, dir string) string {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	layer, err := testutil.Tar(
		testutil.Entry{Path: "etc/alpine-release", Body: read("alpine-release")},
		testutil.Entry{Path: "etc/os-release", Body: read("os-release")},
		testutil.Entry{Path: "lib/apk/db/installed", Body: read("installed")},
	)
	if err != nil {
		t.Fatal(err)
	}
	return layerImage(t, filepath.Base(dir), true, layer)
}

// The real Alpine 3.3.1 installed database (min-node, 2016), scanned
// against the real v3.3 and v3.4 secdb (main and community, 2020
// archive): each package is matched by its origin with the apk
// comparator, against the v3.3 records only. Every v3.3 fix of an
// installed origin is newer than the installed version, so the 144
// findings are all the v3.3 records of the installed origins, counted
// once per binary package (counted independently with a Python script).
func TestScanAlpineAgainstSecdb(t *testing.T) {
	dir := sharedPath(t, "pkgdb/apk/alpine-old/v3.3-min-node-2016")
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db,
		"--source", "alpine="+sharedPath(t, "feeds/alpine/secdb-yaml/v3.3"),
		"--source", "alpine="+sharedPath(t, "feeds/alpine/secdb-yaml/v3.4"))
	vr := scanJSON(t, db, apkImage(t, dir))
	if len(vr.Packages) != 47 {
		t.Errorf("%d packages, want 47", len(vr.Packages))
	}
	rows := findings(vr)
	if len(rows) != 144 {
		t.Errorf("%d findings, want 144", len(rows))
	}
	golden.Check(t, filepath.Join("testdata", "golden", "alpine-3.3-min-node.tsv"), tsv(rows))
	checkFindings(t, rows, alpineChecks)
}

// Checked by hand in v3.3/main.yaml (and v3.4/main.yaml for the ones
// that must not be reported).
var alpineChecks = []check{
	// busybox 1.24.1-r7: "1.24.2-r1: [CVE-2016-6301]".
	{"busybox", "CVE-2016-6301", "1.24.2-r1"},
	{"busybox", "CVE-2017-16544", "1.24.2-r2"},
	// curl 7.47.0-r0: "7.49.1-r4: [CVE-2016-8615, …]".
	{"curl", "CVE-2016-8615", "7.49.1-r4"},
	// libssl1.0 1.0.2e-r0, origin openssl: matched by origin.
	{"libssl1.0", "CVE-2016-2105", "1.0.2h-r0"},
	{"libcrypto1.0", "CVE-2017-3736", "1.0.2m-r0"},
	// musl-utils 1.1.12-r2, origin musl: "1.1.12-r6: [CVE-2016-8859]".
	{"musl-utils", "CVE-2016-8859", "1.1.12-r6"},
	// git 2.6.4-r0: "2.6.7-r0: [CVE-2017-8386]".
	{"git", "CVE-2017-8386", "2.6.7-r0"},
	// ncurses-libs 6.0-r6, origin ncurses: "6.0_p20170701-r0: [CVE-2017-11112, …]".
	{"ncurses-libs", "CVE-2017-11112", "6.0_p20170701-r0"},
	// pcre 8.38-r0 and python 2.7.11-r3 have records in v3.4 only
	// (pcre 8.38-r1: CVE-2016-1283; python 2.7.14-r0: CVE-2017-1000158).
	{"pcre", "CVE-2016-1283", ""},
	{"python", "CVE-2017-1000158", ""},
}
