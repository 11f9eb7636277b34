package scantest_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

var _ scan.FileSet = scantest.Files{}

func TestFiles(t *testing.T) {
	f := scantest.Files{"var/lib/dpkg/status": []byte("x"), "etc/os-release": nil}
	if diff := cmp.Diff([]string{"etc/os-release", "var/lib/dpkg/status"}, f.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	b, err := f.ReadFile("var/lib/dpkg/status")
	if err != nil || string(b) != "x" {
		t.Errorf(`ReadFile("var/lib/dpkg/status") = %q, %v; want "x", nil`, b, err)
	}
	if _, err := f.ReadFile("etc/lsb-release"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf(`ReadFile("etc/lsb-release") error = %v; want fs.ErrNotExist`, err)
	}
}

func TestUnreadable(t *testing.T) {
	u := scantest.Unreadable{Files: scantest.Files{"etc/os-release": nil}, Err: fs.ErrPermission}
	if diff := cmp.Diff([]string{"etc/os-release"}, u.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	_, err := u.ReadFile("etc/os-release")
	if want := "read etc/os-release: permission denied"; err == nil || err.Error() != want || !errors.Is(err, fs.ErrPermission) {
		t.Errorf(`ReadFile("etc/os-release") error = %v; want %q`, err, want)
	}
	if _, err := u.ReadFile("etc/lsb-release"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf(`ReadFile("etc/lsb-release") error = %v; want fs.ErrNotExist`, err)
	}
}
