package index

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/osrelease"
	"github.com/strata-scan/strata/internal/testutil"
)

// A scanner lists and reads, whole or in sections, only the files it
// wants: gobin the executable ELF files, os-release its release files.
func TestOnlyWanted(t *testing.T) {
	tarball, err := testutil.Tar(
		testutil.Entry{Path: "usr/bin/app", Body: []byte("\x7fELF"), Mode: 0o755},
		testutil.Entry{Path: "etc/os-release", Body: []byte("ID=debian\n")},
	)
	if err != nil {
		t.Fatal(err)
	}
	res, err := layer.Walk(context.Background(), "L", bytes.NewReader(tarball), layer.Wants{Path: osrelease.Scanner{}.Wants, Executables: true}, layer.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	goFiles := onlyWanted{files: res, paths: res.Paths(), s: gobin.Scanner{}, execs: true}
	osFiles := onlyWanted{files: res, paths: res.Paths(), s: osrelease.Scanner{}}
	if diff := cmp.Diff([][]string{{"usr/bin/app"}, {"etc/os-release"}}, [][]string{goFiles.Paths(), osFiles.Paths()}); diff != "" {
		t.Errorf("Paths of gobin and os-release (-want +got):\n%s", diff)
	}
	if sr, err := goFiles.Section("usr/bin/app"); err != nil || sr.Size() != 4 {
		t.Errorf("Section(usr/bin/app) = %v, %v; want 4 bytes", sr, err)
	}
	_, errRead := goFiles.ReadFile("etc/os-release")
	_, errSection := goFiles.Section("etc/os-release")
	_, errOther := osFiles.ReadFile("usr/bin/app")
	for _, err := range []error{errRead, errSection, errOther} {
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("reading an unwanted file: %v, want fs.ErrNotExist", err)
		}
	}
	if want := "etc/os-release: not wanted by scanner gobin: file does not exist"; errRead == nil || errRead.Error() != want {
		t.Errorf("reading an unwanted file: %v, want %q", errRead, want)
	}
}
