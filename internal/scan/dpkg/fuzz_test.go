package dpkg_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/dpkg"
)

// FuzzParseStatus checks that ParseStatus never panics, that its errors
// name the file and a line, and that every package it returns is complete.
func FuzzParseStatus(f *testing.F) {
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		f.Add(b)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "var/lib/dpkg/status"
		pkgs, err := dpkg.ParseStatus(path, bytes.NewReader(b))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dpkg: parse "+path+": line ") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.SourceVersion == "" ||
				p.Eco != strata.Deb || p.PackageDB != path {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
