package index

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// A scanner reads, whole or in sections, only the files it wants.
func TestOnlyWanted(t *testing.T) {
	files := scantest.Files{"usr/bin/app": []byte("\x7fELF"), "etc/passwd": []byte("root:x:0:0::/root:/bin/sh\n")}
	o := onlyWanted{files: files, paths: files.Paths(), s: gobin.Scanner{}}
	if sr, err := o.Section("usr/bin/app"); err != nil || sr.Size() != 4 {
		t.Errorf("Section(usr/bin/app) = %v, %v; want 4 bytes", sr, err)
	}
	_, errRead := o.ReadFile("etc/passwd")
	_, errSection := o.Section("etc/passwd")
	for _, err := range []error{errRead, errSection} {
		if want := "etc/passwd: not wanted by scanner gobin: file does not exist"; !errors.Is(err, fs.ErrNotExist) || err.Error() != want {
			t.Errorf("reading an unwanted file: %v, want %q", err, want)
		}
	}
}
