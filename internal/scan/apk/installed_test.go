package apk_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/apk"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

// sharedData is /work/shared/data seen from this package's directory.
var sharedData = filepath.FromSlash("../../../../shared/data")

const db = "lib/apk/db/installed"

// pkg is a package of lib/apk/db/installed.
func pkg(name, version, arch, origin string) strata.Package {
	return strata.Package{Name: name, Version: version, Arch: arch, Eco: strata.APK,
		SourceName: origin, SourceVersion: version, PackageDB: db}
}

func TestParseInstalledSamples(t *testing.T) {
	tests := []struct {
		file  string
		count int
		spot  []strata.Package
		logs  string // the warnings
	}{
		{file: "testdata/scalibr.installed", count: 15, spot: []strata.Package{
			pkg("libcrypto3", "3.1.0-r4", "x86_64", "openssl"),
			pkg("libc-utils", "0.7.2-r5", "x86_64", "libc-dev"),
		}},
		{file: "testdata/syft-multiple.installed", count: 14, spot: []strata.Package{
			pkg("ssl_client", "1.35.0-r17", "x86_64", "busybox"),
		}},
		{file: filepath.Join(sharedData, "pkgdb/apk/alpine-old/v3.3-min-node-2016/installed"), count: 47, spot: []strata.Package{
			pkg("openssl", "1.0.2f-r0", "x86_64", "openssl"),
			pkg("libcrypto1.0", "1.0.2e-r0", "x86_64", "openssl"),
			pkg("libstdc++", "5.3.0-r0", "x86_64", "gcc"),
			pkg("musl", "1.1.12-r2", "x86_64", "musl"),
		}},
		// trivy's sample has a stanza without a version on purpose: skipped.
		{file: "testdata/trivy.installed", count: 15, spot: []strata.Package{
			pkg("busybox", "1.24.2-r9", "x86_64", "busybox"),
		}, logs: `level=WARN msg="apk: skipped a package without a version (V:)" path=lib/apk/db/installed line=23 package=invalidPackageWithoutAVersion
`},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(filepath.Dir(tt.file))+"/"+filepath.Base(tt.file), func(t *testing.T) {
			b, err := os.ReadFile(tt.file)
			if strings.HasPrefix(tt.file, sharedData) && err != nil {
				t.Skipf("not present: %s (shared data absent)", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			var logs strings.Builder
			got, err := apk.ParseInstalled(db, bytes.NewReader(b), scantest.Logger(&logs, slog.LevelWarn))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.count {
				t.Errorf("ParseInstalled found %d packages, want %d", len(got), tt.count)
			}
			scantest.CheckSpot(t, got, tt.spot)
			if diff := cmp.Diff(tt.logs, logs.String()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseInstalled(t *testing.T) {
	tests := []struct {
		name, in string
		want     []strata.Package
		logs     string
	}{
		{"empty", "", nil, ""},
		{"blank lines", "\n\n", nil, ""},
		{
			"origin, no origin, no arch, other fields, no final newline",
			"C:Q1abc=\nP:libssl3\nV:3.1.0-r4\nA:aarch64\no:openssl\nF:lib\nR:libssl.so.3\n\n\nP:hello\nV:1-r0\nA:x86_64\n\nP:noarch\nV:2-r1",
			[]strata.Package{
				pkg("libssl3", "3.1.0-r4", "aarch64", "openssl"),
				pkg("hello", "1-r0", "x86_64", "hello"),
				pkg("noarch", "2-r1", "", "noarch"),
			},
			"",
		},
		{
			"a line of 3 MiB",
			"P:big\nT:" + strings.Repeat("x", 3<<20) + "\nV:1.0-r0\n\nP:next\nV:2-r0\n",
			[]strata.Package{pkg("big", "1.0-r0", "", "big"), pkg("next", "2-r0", "", "next")},
			"",
		},
		{
			"entries without a name or a version",
			"P:a\nV:1-r0\n\nV:2-r0\nA:x86_64\n\nP:b\nA:x86_64\n\nP:c\nV:3-r0\n",
			[]strata.Package{pkg("a", "1-r0", "", "a"), pkg("c", "3-r0", "", "c")},
			`level=WARN msg="apk: skipped a package without a name (P:)" path=lib/apk/db/installed line=4
level=WARN msg="apk: skipped a package without a version (V:)" path=lib/apk/db/installed line=7 package=b
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			got, err := apk.ParseInstalled(db, strings.NewReader(tt.in), scantest.Logger(&logs, slog.LevelWarn))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseInstalled (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.logs, logs.String()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseInstalledErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not K:value", "P:a\nV:1\nbogus\n", `line 3: want "K:value", have "bogus"`},
		{"long key", "P:a\nVersion:1\n", `line 2: want "K:value", have "Version:1"`},
		{"binary", "\x7fELF\x02\x01\x01\x00\n\x00\x00", `line 1: want "K:value", have "\x7fELF\x02\x01\x01\x00"`},
		{"another database", "Package: musl\nVersion: 1.2.4-r2\n", `line 1: want "K:value", have "Package: musl"`},
		{"duplicate", "P:a\nV:1\nV:2\n", "line 3: duplicate V: field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apk.ParseInstalled(db, strings.NewReader(tt.in), nil)
			want := "apk: parse " + db + ": " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("ParseInstalled = %v, %v; want error %q", got, err, want)
			}
		})
	}
}

// FuzzParseInstalled checks that ParseInstalled never panics, that its
// errors name the file and a line, and that every package is complete.
func FuzzParseInstalled(f *testing.F) {
	testutil.AddTestdata(f, "*")
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := apk.ParseInstalled(db, bytes.NewReader(b), slog.New(slog.DiscardHandler))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "apk: parse "+db+": line ") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.SourceVersion != p.Version ||
				p.Eco != strata.APK || p.PackageDB != db {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
