package rpm

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/rpm/rpmdb"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

// shared holds the larger real databases.
const shared = "../../../../shared/data/pkgdb/rpm"

// readDB reads a database file, gunzipping a .gz one; it skips the test
// when a shared file is absent.
func readDB(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) && strings.HasPrefix(name, shared) {
		t.Skipf("%s not present (shared data absent)", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(name, ".gz") {
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

// fields renders h as rpm -qa --qf
// '%{NAME}|%{EPOCHNUM}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}' does.
func fields(h *rpmdb.Header) string {
	epoch := h.Epoch
	if epoch == "" {
		epoch = "0"
	}
	return strings.Join([]string{h.Name, epoch, h.Version, h.Release, h.Arch, h.SourceRPM}, "|")
}

// qa renders headers as rpm -qa --qf
// '%{NAME}|%{EPOCHNUM}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{MODULARITYLABEL}'
// does, sorted.
func qa(hs []*rpmdb.Header) []string {
	var out []string
	for _, h := range hs {
		module := h.ModularityLabel
		if module == "" {
			module = "(none)"
		}
		out = append(out, fields(h)+"|"+module)
	}
	slices.Sort(out)
	return out
}

// lines splits a testdata listing into its lines.
func lines(b []byte) []string {
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// The SQLite database of CBL-Mariner 2.0 reads as rpm itself lists it.
func TestSQLiteAgainstRPM(t *testing.T) {
	hs, err := headers("var/lib/rpm/rpmdb.sqlite", readDB(t, shared+"/sqlite/cbl-mariner-2.0.rpmdb.sqlite.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want := lines(readDB(t, "testdata/cbl-mariner-2.0.rpm-qa.txt"))
	if len(hs) != 129 {
		t.Errorf("%d headers, want 129", len(hs))
	}
	if diff := cmp.Diff(want, qa(hs)); diff != "" {
		t.Errorf("(-rpm -qa +got):\n%s", diff)
	}
}

// The NDB database of SLE 15 BCI reads as rpm listed it on the SLE 15
// BCI system it came from: go-rpmdb's expected list for this very file
// (testdata/sle15-bci.go-rpmdb.txt: rpm -qa in database order, with the
// package's size, license and vendor, which strata does not read), in
// the same order.
func TestNDBAgainstGoRPMDB(t *testing.T) {
	hs, err := headers("usr/lib/sysimage/rpm/Packages.db", readDB(t, shared+"/ndb/sle15-bci.Packages.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, l := range lines(readDB(t, "testdata/sle15-bci.go-rpmdb.txt")) {
		f := strings.Split(l, "|")
		want = append(want, strings.Join(f[:6], "|"))
	}
	for _, h := range hs {
		got = append(got, fields(h))
	}
	if len(got) != 35 {
		t.Errorf("%d headers, want 35", len(got))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-go-rpmdb +got):\n%s", diff)
	}
}

// The header blobs that rpmdb.NDB takes out of the SLE 15 BCI database
// parse as rpm parses them (rpm read the same blobs: see
// testdata/PROVENANCE). This checks the header parser, not the NDB
// reader: TestNDBAgainstGoRPMDB does that.
func TestNDBHeadersAgainstRPM(t *testing.T) {
	hs, err := headers("usr/lib/sysimage/rpm/Packages.db", readDB(t, shared+"/ndb/sle15-bci.Packages.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want := lines(readDB(t, "testdata/sle15-bci.rpm-qa.txt"))
	if diff := cmp.Diff(want, qa(hs)); diff != "" {
		t.Errorf("(-rpm -qa +got):\n%s", diff)
	}
}

// Packages that other readers list, read from the SQLite and Berkeley DB
// samples: go-rpmdb's curl of CBL-Mariner 2.0, osv-scalibr's hello of
// the epoch sample, and rpm's own listing of the RHEL 8 libuuid database
// (no other reader lists that file; TestBerkeleyDBAgainstRPM runs rpm
// again when it is installed).
func TestAgainstOtherReaders(t *testing.T) {
	tests := []struct{ file, db, want string }{
		// knqyf263/go-rpmdb pkg/testdata/cbl-mariner-2.0/curl.json @cee58d9 (Epoch null).
		{shared + "/sqlite/cbl-mariner-2.0.rpmdb.sqlite.gz", "var/lib/rpm/rpmdb.sqlite", "curl|0|7.76.0|6.cm2|x86_64|curl-7.76.0-6.cm2.src.rpm"},
		// google/osv-scalibr extractor/filesystem/os/rpm/rpm_test.go @0374099 ("custom rpm").
		{"rpmdb/testdata/epoch.Packages", "var/lib/rpm/Packages", "hello|1|0.0.1|rls|x86_64|hello-0.0.1-rls.src.rpm"},
		// rpm 4.18.0 -qa with the bdb_ro backend.
		{"rpmdb/testdata/libuuid.Packages", "var/lib/rpm/Packages", "libuuid|0|2.32.1|42.el8_8|x86_64|util-linux-2.32.1-42.el8_8.src.rpm"},
	}
	for _, tt := range tests {
		hs, err := headers(tt.db, readDB(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		name, _, _ := strings.Cut(tt.want, "|")
		var got []string
		for _, h := range hs {
			if h.Name == name {
				got = append(got, fields(h))
			}
		}
		if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, diff)
		}
	}
}

// rpm, when installed with its read-only Berkeley DB backend (Debian's
// rpm 4.18 has it), lists the Berkeley DB samples as strata reads them.
func TestBerkeleyDBAgainstRPM(t *testing.T) {
	if _, err := exec.LookPath("rpm"); err != nil {
		t.Skip("rpm not installed")
	}
	for _, name := range []string{"rpmdb/testdata/libuuid.Packages", "rpmdb/testdata/epoch.Packages"} {
		b := readDB(t, name)
		dir := t.TempDir()
		testutil.WriteFile(t, filepath.Join(dir, "Packages"), b)
		out, err := exec.Command("rpm", "--dbpath", dir, "--define", "_db_backend bdb_ro", "-qa", "--qf",
			"%{NAME}|%{EPOCHNUM}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SOURCERPM}|%{MODULARITYLABEL}\n").Output()
		if err != nil {
			t.Skipf("rpm cannot read Berkeley DB: %v", err)
		}
		hs, err := headers("var/lib/rpm/Packages", b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(lines(out), qa(hs)); diff != "" {
			t.Errorf("%s (-rpm -qa +got):\n%s", name, diff)
		}
	}
}

// The same content in two formats (rpm converted the Berkeley DB files
// to SQLite) gives the same packages. No NDB file has the content of
// another sample: the one real NDB database (SLE 15) has no Berkeley DB
// or SQLite counterpart, and Debian's rpm, which made the SQLite copies,
// cannot write NDB; TestNDBAgainstGoRPMDB checks it against what rpm
// listed on the system it came from instead.
func TestFormatsAgree(t *testing.T) {
	tests := []struct {
		name string
		want strata.Package
	}{
		{"libuuid", strata.Package{
			Name: "libuuid", Version: "2.32.1-42.el8_8", Arch: "x86_64", Eco: strata.RPM,
			SourceName: "util-linux", SourceVersion: "2.32.1-42.el8_8",
		}},
		{"epoch", strata.Package{
			Name: "hello", Version: "1:0.0.1-rls", Arch: "x86_64", Eco: strata.RPM,
			SourceName: "hello", SourceVersion: "1:0.0.1-rls",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []struct{ file, db string }{
				{"rpmdb/testdata/" + tt.name + ".Packages", "var/lib/rpm/Packages"},
				{"testdata/" + tt.name + ".rpmdb.sqlite.gz", "usr/lib/sysimage/rpm/rpmdb.sqlite"},
			} {
				got, err := Parse(f.db, readDB(t, f.file))
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				want.PackageDB = f.db
				if diff := cmp.Diff([]strata.Package{want}, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", f.file, diff)
				}
			}
		})
	}
}

// The NDB database of SLE 15 BCI: 35 packages (35 used slots, 35 blobs),
// spot-checked against the strings of the file.
func TestNDB(t *testing.T) {
	got, err := Parse("usr/lib/sysimage/rpm/Packages.db", readDB(t, shared+"/ndb/sle15-bci.Packages.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 35 {
		t.Errorf("%d packages, want 35", len(got))
	}
	db := "usr/lib/sysimage/rpm/Packages.db"
	scantest.CheckSpot(t, got, []strata.Package{
		{Name: "libgcc_s1", Version: "11.2.1+git610-1.3.9", Arch: "x86_64", Eco: strata.RPM,
			SourceName: "gcc11", SourceVersion: "11.2.1+git610-1.3.9", PackageDB: db},
		{Name: "libreadline7", Version: "7.0-19.6.1", Arch: "x86_64", Eco: strata.RPM,
			SourceName: "bash", SourceVersion: "4.4-19.6.1", PackageDB: db},
		{Name: "sles-release", Version: "15.3-55.4.1", Arch: "x86_64", Eco: strata.RPM,
			SourceName: "sles-release", SourceVersion: "15.3-55.4.1", PackageDB: db},
		{Name: "file-magic", Version: "5.32-7.14.1", Arch: "noarch", Eco: strata.RPM,
			SourceName: "file", SourceVersion: "5.32-7.14.1", PackageDB: db},
	})
}

func TestPackage(t *testing.T) {
	tests := []struct {
		h    rpmdb.Header
		want strata.Package
	}{
		{rpmdb.Header{Name: "nodejs", Epoch: "1", Version: "12.22.5", Release: "1.module+el8.5.0+12345+abcdef01", Arch: "x86_64",
			SourceRPM: "nodejs-12.22.5-1.module+el8.5.0+12345+abcdef01.src.rpm", ModularityLabel: "nodejs:12:8050020211015:b4937e53"},
			strata.Package{Name: "nodejs", Version: "1:12.22.5-1.module+el8.5.0+12345+abcdef01", Arch: "x86_64", Eco: strata.RPM,
				SourceName: "nodejs", SourceVersion: "1:12.22.5-1.module+el8.5.0+12345+abcdef01", PackageDB: "db", Module: "nodejs:12"}},
		{rpmdb.Header{Name: "a", Epoch: "0", Version: "1", Release: "2", SourceRPM: "my-src-pkg-1.0-3.nosrc.rpm"},
			strata.Package{Name: "a", Version: "1-2", Eco: strata.RPM, SourceName: "my-src-pkg", SourceVersion: "1.0-3", PackageDB: "db"}},
		{rpmdb.Header{Name: "a", Version: "1", Release: "2", SourceRPM: "garbage"},
			strata.Package{Name: "a", Version: "1-2", Eco: strata.RPM, SourceName: "a", SourceVersion: "1-2", PackageDB: "db"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, toPackage(&tt.h, "db")); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.h, diff)
		}
	}
}

func TestWants(t *testing.T) {
	scantest.CheckWants(t, Scanner{}, map[string]bool{
		"var/lib/rpm/Packages": true, "var/lib/rpm/rpmdb.sqlite": true, "usr/lib/sysimage/rpm/Packages.db": true,
		"usr/lib/sysimage/rpm/rpmdb.sqlite": true, "var/lib/rpm/Name": false, "var/lib/rpm/rpmdb.sqlite-wal": false,
		"opt/var/lib/rpm/Packages": false, "Packages": false,
		"root/buildinfo/content_manifests/ubi9-container-9.4-1123.json": true,
		"root/buildinfo/content_manifests/README":                       false, "root/buildinfo/Dockerfile-ubi9-9.4-1123": false,
	})
	scantest.CheckCancelled(t, Scanner{}, "var/lib/rpm/Packages")
}

// The scanner, on a layer holding the same database in two places.
func TestScan(t *testing.T) {
	b := readDB(t, "rpmdb/testdata/libuuid.Packages")
	files := scantest.Files{"var/lib/rpm/Packages": b, "usr/lib/sysimage/rpm/Packages": b}
	rep, err := Scanner{}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"usr/lib/sysimage/rpm/Packages", "var/lib/rpm/Packages"}, rep.Databases); diff != "" {
		t.Errorf("databases (-want +got):\n%s", diff)
	}
	if len(rep.Packages) != 2 || rep.Packages[0].Name != "libuuid" {
		t.Errorf("packages %+v, want libuuid twice", rep.Packages)
	}
}

// Content manifests: the real ones of claircore's RHEL layers (one with
// content sets, one that a tool replaced with text, which is skipped) and
// one written to the manifest schema of atomic-reactor
// (schemas/content_manifest.json) with RHEL 8's repository ids. Their
// content sets go to every package of the layer's databases.
func TestContentManifests(t *testing.T) {
	read := func(name string) []byte { return readDB(t, "testdata/"+name) }
	icm := []byte(`{"metadata": {"icm_version": 1, "icm_spec": "https://raw.githubusercontent.com/containerbuildsystem/atomic-reactor/master/atomic_reactor/schemas/content_manifest.json", "image_layer_index": 1},
		"content_sets": ["rhel-8-for-x86_64-appstream-rpms", "rhel-8-for-x86_64-baseos-rpms", "content-set-1"], "image_contents": []}`)
	dir := "root/buildinfo/content_manifests/"
	files := scantest.Files{
		"var/lib/rpm/Packages":               read("../rpmdb/testdata/libuuid.Packages"),
		dir + "foo-1.1-2.json":               read("foo-1.1-2.json"),
		dir + "ubi8-container-8.7-1112.json": read("ubi8-container-8.7-1112.json"),
		dir + "ubi8-minimal-8.10-1.json":     icm,
	}
	var logged bytes.Buffer
	rep, err := Scanner{Log: slog.New(slog.NewTextHandler(&logged, nil))}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content-set-1", "content-set-2", "rhel-8-for-x86_64-appstream-rpms", "rhel-8-for-x86_64-baseos-rpms"}
	if len(rep.Packages) != 1 || !slices.Equal(rep.Packages[0].Repositories, want) {
		t.Errorf("packages %+v, want libuuid from %q", rep.Packages, want)
	}
	if !strings.Contains(logged.String(), "path="+dir+"ubi8-container-8.7-1112.json") {
		t.Errorf("the broken manifest was not reported: %q", logged.String())
	}
	// A layer with manifests and no database reports nothing.
	delete(files, "var/lib/rpm/Packages")
	if rep, err := (Scanner{Log: slog.New(slog.DiscardHandler)}).Scan(context.Background(), files); err != nil || len(rep.Packages)+len(rep.Databases) != 0 {
		t.Errorf("manifests alone: %+v, %v", rep, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ db, in, want string }{
		{"var/lib/rpm/Packages", strings.Repeat("\x00", 600), "rpm: parse var/lib/rpm/Packages: berkeley db: not a hash database (bad magic)"},
		{"var/lib/rpm/Packages", "short", "rpm: parse var/lib/rpm/Packages: berkeley db: shorter than a metadata page"},
		{"var/lib/rpm/Packages.db", "RpmX" + strings.Repeat("\x00", 60), "rpm: parse var/lib/rpm/Packages.db: ndb: bad magic"},
		{"var/lib/rpm/Packages.db", "RpmP\x00\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x00" + strings.Repeat("\x00", 16),
			"rpm: parse var/lib/rpm/Packages.db: ndb: 9 slot pages do not fit in 32 bytes"},
		{"var/lib/rpm/rpmdb.sqlite", "not sqlite", "rpm: parse var/lib/rpm/rpmdb.sqlite: sqlite: not an SQLite database"},
		{"var/lib/rpm/Name", "", "rpm: parse var/lib/rpm/Name: not an rpm database name"},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.db, []byte(tt.in)); err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%s) error = %v, want %s", tt.db, err, tt.want)
		}
	}
}
