package dpkg_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"var/lib/dpkg/status", true},
		{"var/lib/dpkg/status.d/libsqlite3-0", true},
		{"var/lib/dpkg/status.d/libssl1.1", true},
		{"var/lib/dpkg/status.d/libsqlite3-0.md5sums", false},
		{"var/lib/dpkg/status.d/libsqlite3-0.preinst", false},
		{"var/lib/dpkg/status.d/base-files.conffiles", false},
		{"var/lib/dpkg/status.d/", false},
		{"var/lib/dpkg/status.d/.hidden", false},
		{"var/lib/dpkg/status.d/sub/pkg", false},
		{"var/lib/dpkg/status-old", false},
		{"var/lib/dpkg/available", false},
		{"usr/var/lib/dpkg/status", false},
		{"/var/lib/dpkg/status", false},
	}
	for _, tt := range tests {
		if got := (dpkg.Scanner{}).Wants(tt.path); got != tt.want {
			t.Errorf("Wants(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScan(t *testing.T) {
	files := scantest.Files{
		"var/lib/dpkg/status":                        readTestdata(t, "debian-only.status"),
		"var/lib/dpkg/status-old":                    []byte("not read"),
		"var/lib/dpkg/status.d/empty":                nil,
		"var/lib/dpkg/status.d/libsqlite3-0":         readTestdata(t, "status.d/libsqlite3-0"),
		"var/lib/dpkg/status.d/libsqlite3-0.md5sums": readTestdata(t, "status.d/libsqlite3-0.md5sums"),
		"var/lib/dpkg/status.d/libsqlite3-0.preinst": readTestdata(t, "status.d/libsqlite3-0.preinst"),
		"etc/os-release":                             []byte("ID=debian\n"),
	}
	got, err := dpkg.Scanner{}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
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
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	got, err := dpkg.Scanner{}.Scan(context.Background(), scantest.Files{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&strata.LayerReport{}, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func TestScanErrors(t *testing.T) {
	bad := scantest.Files{"var/lib/dpkg/status.d/broken": []byte("Package: a\n")}
	_, err := dpkg.Scanner{}.Scan(context.Background(), bad)
	want := "dpkg: parse var/lib/dpkg/status.d/broken: line 1: package a has no Version"
	if err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok := scantest.Files{"var/lib/dpkg/status": nil}
	if _, err := (dpkg.Scanner{}).Scan(ctx, ok); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: error = %v; want context.Canceled", err)
	}
}
