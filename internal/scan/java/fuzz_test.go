package java_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzParseArchive checks that the archive walker never panics, that its
// errors name the file, and that every library it returns is complete,
// attributed to the file, and has a groupId unless it was named by less
// than a pom.properties.
func FuzzParseArchive(f *testing.F) {
	core := testutil.ReadTestdata(f, "jackson-core.pom.properties")
	f.Add(archive(f, entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties", core}))
	f.Add(archive(f, entry{"META-INF/MANIFEST.MF", testutil.ReadTestdata(f, "jackson-annotations.MANIFEST.MF")}))
	f.Add(archive(f, entry{"WEB-INF/lib/x-1.0.jar", archive(f, entry{"a-1.jar", archive(f, entry{"b-1.jar", archive(f)})})}))
	f.Add(archive(f, entry{"lib/renamed.jar", archive(f, manifest("Implementation-Title: commons-text\nImplementation-Vendor-Id: org.apache.commons\nImplementation-Version: 1.9\n"))}))
	f.Add([]byte{})
	parts := map[string]bool{"nested archive": true, "MANIFEST.MF": true, "pom.properties": true}
	ways := map[strata.Identification]bool{"": true, strata.IdentifiedByManifest: true, strata.IdentifiedByFileName: true}
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "srv/app-1.0.war"
		pkgs, skipped, err := java.ParseArchive(path, bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "java: "+path+": ") || pkgs != nil || skipped != nil {
				t.Fatalf("ParseArchive = %v, %v, %q: the error does not name the file, or comes with results", pkgs, skipped, err)
			}
			return
		}
		for _, s := range skipped {
			if !parts[s.Part] || !strings.HasPrefix(s.Err.Error(), "java: "+path+"!/") {
				t.Fatalf("skipped %q %q: unknown part, or does not name the file", s.Part, s.Err)
			}
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Eco != strata.Maven || p.PackageDB != path ||
				p.SourceName != p.Name || p.SourceVersion != p.Version || !ways[p.Identified] ||
				p.Identified == "" && !strings.Contains(p.Name, ":") || strings.HasPrefix(p.Nested, "!/") {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
