// Package java finds the Java libraries in a layer by opening its .jar,
// .war and .ear archives, and the archives nested in them (a war's
// WEB-INF/lib, a Spring Boot jar's BOOT-INF/lib). A library is named as
// Maven names it, "groupId:artifactId", from what the archive says, in this
// order of trust: each META-INF/maven/GROUP/ARTIFACT/pom.properties; else
// the main section of META-INF/MANIFEST.MF (Implementation-*, Bundle-*),
// Package.Identified saying so; else the file name
// ("jackson-databind-2.14.0.jar"), the least sure (Identified
// "file-name"). A library named without a groupId has the bare artifactId
// as its name, which no Maven advisory names ("GROUP:ARTIFACT"): Scan
// warns of it. A library of a nested archive has the outer file as its
// PackageDB and the path inside it as its Nested.
package java

import (
	"context"
	"io"
	"log/slog"
	"path"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// extensions are the archive types read, matched case-insensitively.
var extensions = []string{".jar", ".war", ".ear"}

// Scanner reads Java archives. The zero value is ready to use and logs to
// slog.Default.
type Scanner struct {
	Log *slog.Logger // where skipped archives are reported
}

var _ scan.Scanner = Scanner{}

// Name is "java".
func (Scanner) Name() string { return "java" }

// Version is bumped whenever Scan reports something else for the same
// bytes.
func (Scanner) Version() string { return "2" }

// Wants reports whether path names a .jar, .war or .ear file that is not
// hidden (macOS's "._x.jar" companions are not archives).
func (Scanner) Wants(p string) bool {
	return isArchive(p) && !strings.HasPrefix(path.Base(p), ".")
}

// isArchive reports whether name ends with an archive extension.
func isArchive(name string) bool {
	for _, ext := range extensions {
		if len(name) > len(ext) && strings.EqualFold(name[len(name)-len(ext):], ext) {
			return true
		}
	}
	return false
}

// Scan reads every wanted archive of the layer. Every wanted path is listed
// in Databases, so that it replaces what lower layers found at the same
// path. An archive reached through links (Debian's
// usr/share/maven-repo/…/x-1.0.jar → usr/share/java/x.jar) is read once, at
// its own path, when the file set can resolve links. An archive that
// cannot be read, such as an empty or corrupt one, is skipped with a
// warning, and so is a part of one (see Skip). A library without a
// groupId is reported with a warning that no advisory can match it.
func (s Scanner) Scan(ctx context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	log := scan.Logger(s.Log)
	return scan.RealDatabases(ctx, "java", files, s.Wants, func(p string, r *io.SectionReader) []strata.Package {
		pkgs, skipped, err := ParseArchive(p, r, r.Size())
		for _, sk := range skipped {
			log.Warn("java: skipped a "+sk.Part, "err", sk.Err)
		}
		if err != nil {
			log.Warn("java: skipped an archive", "err", err)
			return nil
		}
		for _, pkg := range pkgs {
			if !strings.Contains(pkg.Name, ":") {
				log.Warn("java: no groupId, so no Maven advisory can match", "library", pkg.Name+" "+pkg.Version,
					"identified", pkg.Identified, "path", pkg.Location())
			}
		}
		return pkgs
	})
}
