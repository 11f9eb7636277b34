package dpkg_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

func TestWants(t *testing.T) {
	scantest.CheckWants(t, dpkg.Scanner{}, map[string]bool{
		"var/lib/dpkg/status":                        true,
		"var/lib/dpkg/status.d/libsqlite3-0":         true,
		"var/lib/dpkg/status.d/libssl1.1":            true,
		"var/lib/dpkg/status.d/libsqlite3-0.md5sums": false,
		"var/lib/dpkg/status.d/libsqlite3-0.preinst": false,
		"var/lib/dpkg/status.d/base-files.conffiles": false,
		"var/lib/dpkg/status.d/":                     false,
		"var/lib/dpkg/status.d/.hidden":              false,
		"var/lib/dpkg/status.d/sub/pkg":              false,
		"var/lib/dpkg/status-old":                    false,
		"var/lib/dpkg/available":                     false,
		"usr/var/lib/dpkg/status":                    false,
		"/var/lib/dpkg/status":                       false,
		"var/lib/dpkg/info/python3-requests.list":    true,
		"var/lib/dpkg/info/libc6:amd64.list":         true,
		"var/lib/dpkg/info/python3-requests.md5sums": false,
		"var/lib/dpkg/info/.list":                    false,
		"var/lib/dpkg/info/sub/x.list":               false,
	})
}

func TestScan(t *testing.T) {
	files := scantest.Files{
		"var/lib/dpkg/status":                        testutil.ReadTestdata(t, "debian-only.status"),
		"var/lib/dpkg/status-old":                    []byte("not read"),
		"var/lib/dpkg/status.d/empty":                nil,
		"var/lib/dpkg/status.d/libsqlite3-0":         testutil.ReadTestdata(t, "status.d/libsqlite3-0"),
		"var/lib/dpkg/status.d/libsqlite3-0.md5sums": testutil.ReadTestdata(t, "status.d/libsqlite3-0.md5sums"),
		"var/lib/dpkg/status.d/libsqlite3-0.preinst": testutil.ReadTestdata(t, "status.d/libsqlite3-0.preinst"),
		"etc/os-release":                             []byte("ID=debian\n"),
	}
	sqlite := deb("libsqlite3-0", "3.34.1-3", "arm64", "sqlite3", "3.34.1-3")
	sqlite.PackageDB = "var/lib/dpkg/status.d/libsqlite3-0"
	want := &strata.LayerReport{
		Packages: []strata.Package{
			deb("debian-archive-keyring", "2019.1", "all", "debian-archive-keyring", "2019.1"),
			sqlite,
		},
		Databases: []string{"var/lib/dpkg/status", "var/lib/dpkg/status.d/empty", "var/lib/dpkg/status.d/libsqlite3-0"},
	}
	scantest.CheckScan(t, dpkg.Scanner{}, files, want)
}

// A package without a version is skipped with a warning; the others
// are read.
func TestScanIncomplete(t *testing.T) {
	var logs strings.Builder
	files := scantest.Files{"var/lib/dpkg/status.d/a": []byte("Package: a\n\nPackage: b\nVersion: 1\n")}
	b := deb("b", "1", "", "b", "1")
	b.PackageDB = "var/lib/dpkg/status.d/a"
	want := &strata.LayerReport{Packages: []strata.Package{b}, Databases: []string{"var/lib/dpkg/status.d/a"}}
	scantest.CheckScan(t, dpkg.Scanner{Log: scantest.Logger(&logs, slog.LevelWarn)}, files, want)
	if want := "level=WARN msg=\"dpkg: skipped a package without a Version field\" path=var/lib/dpkg/status.d/a line=1 package=a\n"; logs.String() != want {
		t.Errorf("logged %q, want %q", logs.String(), want)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	scantest.CheckScan(t, dpkg.Scanner{}, scantest.Files{}, &strata.LayerReport{})
}

func TestScanErrors(t *testing.T) {
	bad := scantest.Files{"var/lib/dpkg/status.d/broken": []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\n")}
	_, err := dpkg.Scanner{}.Scan(context.Background(), bad)
	want := `dpkg: parse var/lib/dpkg/status.d/broken: line 1: want "Field: value", have "\x1f\x8b\b\x00\x00\x00\x00\x00\x00\x03"`
	if err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}

	scantest.CheckCancelled(t, dpkg.Scanner{}, "var/lib/dpkg/status")
}
