package java

import (
	"strings"
	"testing"

	"github.com/strata-scan/strata"
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

// FuzzIdentify checks that identify never panics and that what it finds
// has a valid Maven groupId (or none) and artifactId, a version, and says
// how it was named.
func FuzzIdentify(f *testing.F) {
	for _, file := range []string{"renamed.jar", "commons-lang3-3.12.0.jar", "-1.jar", ".jar"} {
		f.Add([]byte("Bundle-SymbolicName: org.apache.commons.lang3\nImplementation-Vendor-Id: org.apache.commons\nImplementation-Version: 3.12.0\n"), file)
	}
	f.Add(testutil.ReadTestdata(f, "jackson-databind.MANIFEST.MF"), "x.jar")
	f.Add([]byte("Bundle-SymbolicName: .a.\nImplementation-Title: a\nBundle-Version: 1\n"), "a-1.jar")
	f.Fuzz(func(t *testing.T, b []byte, file string) {
		for _, p := range identify(parseManifest(b), file) {
			group, artifact, hasGroup := strings.Cut(p.Name, ":")
			if !hasGroup {
				group, artifact = "", p.Name
			}
			if !validID(artifact) || p.Version == "" || hasGroup && !validID(group) ||
				p.Identified != strata.IdentifiedByManifest && p.Identified != strata.IdentifiedByFileName {
				t.Fatalf("identify(%q, %q) = %+v", b, file, p)
			}
		}
	})
}
