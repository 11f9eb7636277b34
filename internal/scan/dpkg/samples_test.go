package dpkg_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// TestParseStatusSamples parses the real status files of shared/data:
// exact counts of installed packages, spot checks, and the samples that are
// not valid dpkg databases.
func TestParseStatusSamples(t *testing.T) {
	tests := []struct {
		file    string // under shared/data/pkgdb/dpkg
		count   int
		spot    []strata.Package
		skipped int    // stanzas without Package or Version, each logged
		wantErr string // after "dpkg: parse var/lib/dpkg/status: "
	}{
		{file: "debian-only.status", count: 1, spot: []strata.Package{
			deb("debian-archive-keyring", "2019.1", "all", "debian-archive-keyring", "2019.1")}},
		{file: "postgresql.status", count: 3},
		{file: "scalibr-valid.status", count: 7},
		{file: "texlive.status", count: 357, spot: []strata.Package{
			deb("cpp", "4:7.4.0-1ubuntu2.3", "amd64", "gcc-defaults", "1.176ubuntu2.3")}},
		{file: "debian-old/buster-vm-2020/status", count: 592, spot: []strata.Package{
			deb("linux-image-4.19.0-8-amd64", "4.19.98-1+deb10u1", "amd64", "linux-signed-amd64", "4.19.98+1+deb10u1"),
			deb("linux-image-amd64", "4.19+105+deb10u4", "amd64", "linux-latest", "105+deb10u4"),
			deb("mysql-server", "5.7.31-1debian10", "amd64", "mysql-community", "5.7.31-1debian10"),
		}},
		{file: "debian-old/buster-drupal-2021/status", count: 195, spot: []strata.Package{
			deb("libsqlite3-0", "3.27.2-3+deb10u1", "amd64", "sqlite3", "3.27.2-3+deb10u1")}},
		{file: "ubuntu-old/bionic-docker-2021/status", count: 89, spot: []strata.Package{
			deb("libgcc1", "1:8.4.0-1ubuntu1~18.04", "amd64", "gcc-8", "8.4.0-1ubuntu1~18.04")}},
		{file: "distroless/status.d/libsqlite3-0", count: 1, spot: []strata.Package{
			deb("libsqlite3-0", "3.34.1-3", "arm64", "sqlite3", "3.34.1-3")}},
		{file: "distroless/status.d-samples/single", count: 1, spot: []strata.Package{
			deb("apt", "1.8.2", "amd64", "apt-dev", "1.8.2")}},
		{file: "distroless/status.d-samples/coreutils-relationships", count: 9, spot: []strata.Package{
			deb("libc6", "2.36-9+deb12u1", "arm64", "glibc", "2.36-9+deb12u1")}},
		// Stanzas without Package or Version are skipped, each with a
		// warning (counted independently with a Python script): vcpkg's
		// feature stanzas, and syft's deliberately incomplete status.d
		// fixtures.
		{file: "vcpkg.status", count: 15, skipped: 9, spot: []strata.Package{
			deb("curl", "7.68.0-1", "x64-windows", "curl", "7.68.0-1")}},
		{file: "distroless/status.d-samples/multiple", count: 2, skipped: 2, spot: []strata.Package{
			deb("tzdata", "2020a-0+deb10u1", "all", "tzdata-dev", "2020a-0+deb10u1")}},
		{file: "distroless/status.d-samples/libpam-runtime", count: 1, skipped: 5, spot: []strata.Package{
			deb("libpam-runtime", "1.5.2-6+deb12u1", "all", "pam", "1.5.2-6+deb12u1")}},
		// Not a dpkg database: a file left with git merge conflict markers.
		{file: "debian-old/bullseye-postgres-2022/status", wantErr: `line 2013: want "Field: value", have "<<<<<<< HEAD"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join(sharedData, "pkgdb/dpkg", tt.file)
			if _, err := os.Stat(file); err != nil {
				t.Skipf("%s not present: %s (shared data absent)", tt.file, file)
			}
			got, logs, err := parseFile(t, file, "var/lib/dpkg/status")
			if tt.wantErr != "" {
				if want := "dpkg: parse var/lib/dpkg/status: " + tt.wantErr; err == nil || err.Error() != want {
					t.Fatalf("ParseStatus error = %v; want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.count {
				t.Errorf("ParseStatus found %d installed packages, want %d", len(got), tt.count)
			}
			if n := strings.Count(logs, "msg=\"dpkg: skipped a package without"); n != tt.skipped {
				t.Errorf("%d packages skipped, want %d; logged:\n%s", n, tt.skipped, logs)
			}
			scantest.CheckSpot(t, got, tt.spot)
		})
	}
}
