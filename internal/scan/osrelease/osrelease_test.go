package osrelease_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/osrelease"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	for _, p := range []string{"etc/os-release", "usr/lib/os-release", "etc/lsb-release", "etc/debian_version",
		"etc/alpine-release", "etc/redhat-release", "etc/system-release"} {
		if !(osrelease.Scanner{}).Wants(p) {
			t.Errorf("Wants(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"/etc/os-release", "etc/os-release.d/x", "etc/issue", "etc/centos-release",
		"etc/system-release-cpe", "usr/share/os-release"} {
		if (osrelease.Scanner{}).Wants(p) {
			t.Errorf("Wants(%q) = true, want false", p)
		}
	}
}

// Release files written here for the precedence cases.
const (
	debian12   = "ID=debian\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
	ubuntu1804 = "ID=ubuntu\nNAME=\"Ubuntu\"\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\n"
	lsbBionic  = "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\n"
	distroless = "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\n"
	trixie     = "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n"
)

func TestScan(t *testing.T) {
	debian := func(version, codename string) *strata.Distribution {
		return &strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionID: version, VersionCodename: codename}
	}
	tests := []struct {
		name  string
		files scantest.Files
		want  *strata.Distribution
	}{
		{"no release file", scantest.Files{}, nil},
		{"etc/os-release wins over usr/lib/os-release", scantest.Files{
			"etc/os-release": []byte(ubuntu1804), "usr/lib/os-release": []byte(debian12)},
			&strata.Distribution{ID: "ubuntu", Name: "Ubuntu", VersionID: "18.04", VersionCodename: "bionic"}},
		{"usr/lib/os-release wins over debian_version", scantest.Files{
			"usr/lib/os-release": []byte(debian12), "etc/debian_version": []byte("12.15\n")},
			debian("12", "bookworm")},
		{"os-release wins over lsb-release", scantest.Files{
			"usr/lib/os-release": []byte(ubuntu1804), "etc/lsb-release": []byte("DISTRIB_ID=Mint\n")},
			&strata.Distribution{ID: "ubuntu", Name: "Ubuntu", VersionID: "18.04", VersionCodename: "bionic"}},
		{"lsb-release wins over debian_version", scantest.Files{
			"etc/lsb-release": []byte(lsbBionic), "etc/debian_version": []byte("buster/sid\n")},
			&strata.Distribution{ID: "ubuntu", Name: "Ubuntu", VersionID: "18.04", VersionCodename: "bionic"}},
		{"distroless: VERSION_ID from debian_version", scantest.Files{
			"etc/os-release": []byte(distroless), "etc/debian_version": []byte("10.8\n")},
			&strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionID: "10", PrettyName: "Distroless"}},
		{"distroless without debian_version", scantest.Files{"etc/os-release": []byte(distroless)},
			&strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", PrettyName: "Distroless"}},
		{"testing keeps its codename", scantest.Files{
			"etc/os-release": []byte(trixie), "etc/debian_version": []byte("trixie/sid\n")},
			&strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", VersionCodename: "trixie", PrettyName: "Debian GNU/Linux trixie/sid"}},
		{"bad debian_version is left out", scantest.Files{
			"etc/os-release": []byte(distroless), "etc/debian_version": []byte("?\n")},
			&strata.Distribution{ID: "debian", Name: "Debian GNU/Linux", PrettyName: "Distroless"}},
		{"debian_version alone", scantest.Files{"etc/debian_version": []byte("bookworm/sid\n")}, debian("", "bookworm")},
		{"unparsable os-release falls back", scantest.Files{
			"etc/os-release": []byte("NAME=x\n"), "etc/debian_version": []byte("11.5\n")},
			debian("11", "")},
		{"system-release wins over redhat-release", scantest.Files{
			"etc/system-release": []byte("Oracle Linux Server release 7.9\n"),
			"etc/redhat-release": []byte("Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"),
			"etc/debian_version": []byte("10.8\n")},
			&strata.Distribution{ID: "ol", Name: "Oracle Linux Server", VersionID: "7.9", PrettyName: "Oracle Linux Server release 7.9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scantest.CheckScan(t, osrelease.Scanner{}, tt.files, &strata.LayerReport{Distribution: tt.want})
		})
	}
}

func TestScanErrors(t *testing.T) {
	files := scantest.Files{"etc/os-release": []byte("NAME=x\n"), "etc/debian_version": []byte("?\n")}
	_, err := osrelease.Scanner{}.Scan(context.Background(), files)
	want := "os-release: parse etc/os-release: no ID\n" + `os-release: parse etc/debian_version: want "12.5" or "trixie/sid", have "?"`
	if err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}

	broken := scantest.Unreadable{Files: scantest.Files{"etc/os-release": nil}, Err: fs.ErrPermission}
	_, err = (osrelease.Scanner{}).Scan(context.Background(), broken)
	if want := "os-release: read etc/os-release: permission denied"; !errors.Is(err, fs.ErrPermission) || err.Error() != want {
		t.Errorf("Scan of an unreadable file: error = %v; want %q", err, want)
	}
}
