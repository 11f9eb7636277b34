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
// errors name the file, and that every library it returns is complete and
// attributed to the file.
func FuzzParseArchive(f *testing.F) {
	core := testutil.ReadTestdata(f, "jackson-core.pom.properties")
	f.Add(archive(f, entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties", core}))
	f.Add(archive(f, entry{"META-INF/MANIFEST.MF", testutil.ReadTestdata(f, "jackson-annotations.MANIFEST.MF")}))
	f.Add(archive(f, entry{"WEB-INF/lib/x-1.0.jar", archive(f, entry{"a-1.jar", archive(f, entry{"b-1.jar", archive(f)})})}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "srv/app-1.0.war"
		pkgs, skipped, err := java.ParseArchive(path, bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "java: "+path+": ") || pkgs != nil || skipped != nil {
				t.Fatalf("ParseArchive = %v, %v, %q: the error does not name the file, or comes with results", pkgs, skipped, err)
			}
			return
		}
		for _, e := range skipped {
			if !strings.HasPrefix(e.Error(), "java: "+path+"!/") {
				t.Fatalf("skipped %q does not name the file", e)
			}
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Eco != strata.Maven || p.PackageDB != path ||
				p.SourceName != p.Name || p.SourceVersion != p.Version {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
