package npm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/npm"
)

// FuzzParsePackageJSON checks that ParsePackageJSON never panics, that its
// errors name the file, and that a package it returns is complete.
func FuzzParsePackageJSON(f *testing.F) {
	files, err := filepath.Glob("testdata/*.package.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "node_modules/x/package.json"
		p, ok, err := npm.ParsePackageJSON(path, b)
		switch {
		case err != nil:
			if !strings.HasPrefix(err.Error(), "npm: parse "+path+": ") {
				t.Fatalf("error %q does not name the file", err)
			}
		case !ok:
			if p != (strata.Package{}) {
				t.Fatalf("not ok, yet a package: %+v", p)
			}
		case p.Name == "" || p.Version == "" || p.Eco != strata.NPM || p.PackageDB != path ||
			p.SourceName != p.Name || p.SourceVersion != p.Version:
			t.Fatalf("incomplete package %+v", p)
		}
	})
}
