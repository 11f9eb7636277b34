package java

import (
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzParseManifest checks that parseManifest never panics and that its
// attribute names are lower case.
func FuzzParseManifest(f *testing.F) {
	testutil.AddTestdata(f, "*.MANIFEST.MF")
	f.Fuzz(func(t *testing.T, b []byte) {
		for name := range parseManifest(b) {
			if name != strings.ToLower(name) {
				t.Fatalf("attribute name %q is not lower case", name)
			}
		}
	})
}

// FuzzParseProperties checks that parseProperties never panics and that
// its values are trimmed.
func FuzzParseProperties(f *testing.F) {
	testutil.AddTestdata(f, "*.pom.properties")
	f.Add([]byte("k\\=ey=a\\tb\\u00e9\\q\\\n  continued\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k, v := range parseProperties(b) {
			if v != strings.TrimSpace(v) {
				t.Fatalf("value %q of %q is not trimmed", v, k)
			}
		}
	})
}
