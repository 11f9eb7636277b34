package python_test

import (
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzParseMetadata checks that ParseMetadata never panics, that its errors
// name the file, and that a package it returns is complete, with a
// normalised name.
func FuzzParseMetadata(f *testing.F) {
	testutil.AddTestdata(f, "*.METADATA")
	testutil.AddTestdata(f, "*.PKG-INFO")
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "usr/lib/python3/dist-packages/x.egg-info"
		p, err := python.ParseMetadata(path, b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "python: parse "+path+": ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if p.Name == "" || p.Version == "" || p.Eco != strata.PyPI || p.PackageDB != path ||
			p.SourceName != p.Name || p.SourceVersion != p.Version {
			t.Fatalf("incomplete package %+v", p)
		}
		if python.NormalizeName(p.Name) != p.Name {
			t.Fatalf("name %q is not normalised", p.Name)
		}
	})
}
