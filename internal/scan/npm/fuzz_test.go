package npm_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzParsePackageJSON checks that ParsePackageJSON never panics, that its
// errors name the file, and that a package it returns is complete.
func FuzzParsePackageJSON(f *testing.F) {
	testutil.AddTestdata(f, "*.package.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "node_modules/x/package.json"
		p, ok, err := npm.ParsePackageJSON(path, b)
		switch {
		case err != nil:
			if !strings.HasPrefix(err.Error(), "npm: parse "+path+": ") {
				t.Fatalf("error %q does not name the file", err)
			}
		case !ok:
			if !cmp.Equal(p, strata.Package{}) {
				t.Fatalf("not ok, yet a package: %+v", p)
			}
		case p.Name == "" || p.Version == "" || p.Eco != strata.NPM || p.PackageDB != path ||
			p.SourceName != p.Name || p.SourceVersion != p.Version:
			t.Fatalf("incomplete package %+v", p)
		}
	})
}
