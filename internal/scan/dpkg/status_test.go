package dpkg_test

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// sharedData is /work/shared/data seen from this package's directory.
var sharedData = filepath.FromSlash("../../../../shared/data")

// deb is an installed package of var/lib/dpkg/status.
func deb(name, version, arch, src, srcVersion string) strata.Package {
	return strata.Package{Name: name, Version: version, Arch: arch, Eco: strata.Deb,
		SourceName: src, SourceVersion: srcVersion, PackageDB: "var/lib/dpkg/status"}
}

// parseFile parses file as the status file at path, returning what it
// logged too.
func parseFile(t *testing.T, file, path string) ([]strata.Package, string, error) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var logs strings.Builder
	pkgs, err := dpkg.ParseStatus(path, f, scantest.Logger(&logs, slog.LevelWarn))
	return pkgs, logs.String(), err
}

// TestParseStatusBookworm checks the status file of the real bookworm
// minbase image against dpkg-query's own listing of that image.
func TestParseStatusBookworm(t *testing.T) {
	got, logs, err := parseFile(t, "testdata/bookworm-minbase.status", "var/lib/dpkg/status")
	if err != nil || logs != "" {
		t.Fatalf("ParseStatus: %v, logged %q", err, logs)
	}
	want := readTSV(t, "testdata/bookworm-minbase.packages.tsv")
	if len(want) != 88 {
		t.Fatalf("the listing has %d packages, want 88", len(want))
	}
	slices.SortFunc(got, func(a, b strata.Package) int { return strings.Compare(a.Key(), b.Key()) })
	slices.SortFunc(want, func(a, b strata.Package) int { return strings.Compare(a.Key(), b.Key()) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseStatus (-want +got):\n%s", diff)
	}
}

// readTSV reads a *.packages.tsv listing: package, version, arch, source,
// source_version, status.
func readTSV(t *testing.T, file string) []strata.Package {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pkgs []strata.Package
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 6 {
			t.Fatalf("%s: want 6 columns, have %q", file, sc.Text())
		}
		if c[0] == "package" || c[5] != "install ok installed" {
			continue
		}
		pkgs = append(pkgs, deb(c[0], c[1], c[2], c[3], c[4]))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name, in string
		want     []strata.Package
		logs     string
	}{
		{"empty", "", nil, ""},
		{"blank lines only", "\n \n\t\n", nil, ""},
		{
			"source forms",
			"Package: a\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.0-1+b1\nSource: asrc (2.0-1)\n\n" +
				"Package: b\nStatus: install ok installed\nArchitecture: all\nSource: bsrc\nVersion: 3\n\n" +
				"Package: c\nStatus: install ok installed\nVersion: 4\n",
			[]strata.Package{
				deb("a", "1:2.0-1+b1", "amd64", "asrc", "2.0-1"),
				deb("b", "3", "all", "bsrc", "3"),
				deb("c", "4", "", "c", "4"),
			},
			"",
		},
		{
			"only installed counts",
			"Package: rc\nStatus: deinstall ok config-files\nVersion: 1\n\n" +
				"Package: half\nStatus: install reinstreq half-installed\nVersion: 1\n\n" +
				"Package: unpacked\nStatus: install ok unpacked\nVersion: 1\n\n" +
				"Package: pending\nStatus: install ok triggers-pending\nVersion: 1\n\n" +
				"Package: purged\nStatus: purge ok not-installed\n\n" +
				"Package: ok\nStatus: install ok installed\nVersion: 1\n\n" +
				"Package: held\nStatus: hold ok installed\nVersion: 2\n",
			[]strata.Package{deb("ok", "1", "", "ok", "1"), deb("held", "2", "", "held", "2")},
			"",
		},
		{
			"no Status counts as installed",
			"Package: libsqlite3-0\nSource: sqlite3\nVersion: 3.34.1-3\nArchitecture: arm64\n",
			[]strata.Package{deb("libsqlite3-0", "3.34.1-3", "arm64", "sqlite3", "3.34.1-3")},
			"",
		},
		{
			"case-insensitive names, continuations, spacing, CRLF",
			"PACKAGE:x\r\nstatus:  install ok installed \r\nDescription: one\r\n two\r\n .\r\n\tthree\r\nversion:\t1.0\r\n  \t\r\n\r\n",
			[]strata.Package{deb("x", "1.0", "", "x", "1.0")},
			"",
		},
		{
			"a line of 3 MiB, as dpkg allows",
			"Package: big\nStatus: install ok installed\nDescription: " + strings.Repeat("x", 3<<20) + "\n more\nVersion: 1.0-1\n\nPackage: next\nVersion: 2\n",
			[]strata.Package{deb("big", "1.0-1", "", "big", "1.0-1"), deb("next", "2", "", "next", "2")},
			"",
		},
		{
			"installed stanzas without Package or Version are skipped",
			"Package: a\nVersion: 1\n\nVersion: 2\n\nPackage:\nVersion: 2\n\nPackage: b\nStatus: install ok installed\n\nPackage: c\nStatus: deinstall ok config-files\n\nPackage: d\nVersion: 3\n",
			[]strata.Package{deb("a", "1", "", "a", "1"), deb("d", "3", "", "d", "3")},
			`level=WARN msg="dpkg: skipped a package without a Package field" path=var/lib/dpkg/status line=4
level=WARN msg="dpkg: skipped a package without a Package field" path=var/lib/dpkg/status line=6
level=WARN msg="dpkg: skipped a package without a Version field" path=var/lib/dpkg/status line=9 package=b
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			got, err := dpkg.ParseStatus("var/lib/dpkg/status", strings.NewReader(tt.in), scantest.Logger(&logs, slog.LevelWarn))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseStatus (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.logs, logs.String()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStatusErrors(t *testing.T) {
	const pre = "dpkg: parse var/lib/dpkg/status: "
	tests := []struct{ name, in, want string }{
		{"no colon", "Package: a\nVersion: 1\nbogus line\n", `line 3: want "Field: value", have "bogus line"`},
		{"space in name", "Package: a\nSome Field: x\n", `line 2: want "Field: value", have "Some Field: x"`},
		{"empty name", ": x\n", `line 1: want "Field: value", have ": x"`},
		{"long line quoted short", strings.Repeat("é", 70) + "\n", `line 1: want "Field: value", have "` + strings.Repeat("é", 40) + `…" (140 bytes)`},
		{"leading continuation", "Package: a\nVersion: 1\n\n more\n", "line 4: continuation line outside a field"},
		{"continued Version", "Package: a\nVersion: 1\n .2\n", "line 3: Version: unexpected continuation line"},
		{"duplicate field", "Package: a\npackage: b\n", "line 2: duplicate field Package"},
		{"short Status", "\nPackage: a\nStatus: install ok\nVersion: 1\n", `line 2: Status "install ok": want three words (want flag status)`},
		{"unclosed Source", "Package: a\nVersion: 1\nSource: b (1.0\n", `line 1: package a: Source "b (1.0": want "name" or "name (version)"`},
		{"empty Source version", "Package: a\nVersion: 1\nSource: b ()\n", `line 1: package a: Source "b ()": want "name" or "name (version)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dpkg.ParseStatus("var/lib/dpkg/status", strings.NewReader(tt.in), nil)
			if err == nil {
				t.Fatalf("ParseStatus = %v, nil; want error %q", got, pre+tt.want)
			}
			if err.Error() != pre+tt.want {
				t.Errorf("ParseStatus error\n got %q\nwant %q", err, pre+tt.want)
			}
		})
	}
}

func BenchmarkParseStatus(b *testing.B) {
	data, err := os.ReadFile("testdata/bookworm-minbase.status")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := dpkg.ParseStatus("var/lib/dpkg/status", bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}
