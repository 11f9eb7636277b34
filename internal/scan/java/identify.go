package java

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// maven is a library of the Maven ecosystem, named "GROUP:ARTIFACT", or
// the bare artifactId without a groupId; its PackageDB is left to the
// caller.
func maven(group, artifact, version string, how strata.Identification) strata.Package {
	name := artifact
	if group != "" {
		name = group + ":" + artifact
	}
	return strata.Package{Name: name, Version: version, Eco: strata.Maven,
		SourceName: name, SourceVersion: version, Identified: how}
}

// fromPom turns a pom.properties at entry META-INF/maven/GROUP/ARTIFACT/
// into a library; the path stands in for a missing groupId or artifactId.
func fromPom(entry string, props map[string]string) (strata.Package, error) {
	parts := strings.Split(entry, "/") // META-INF, maven, GROUP, ARTIFACT, pom.properties
	group := cmp.Or(props["groupId"], parts[2])
	artifact := cmp.Or(props["artifactId"], parts[3])
	version := props["version"]
	if group == "" || artifact == "" || version == "" {
		return strata.Package{}, errors.New("want a groupId, an artifactId and a version")
	}
	return maven(group, artifact, version, ""), nil
}

// identify names the library of an archive that has no pom.properties,
// from its manifest's main attributes (nil when it has none) and its file
// name, as trivy's and syft's jar parsers do. The groupId and artifactId
// are the manifest's (see manifestName), the version its
// Implementation-Version or Bundle-Version: IdentifiedByManifest. When
// the manifest gives no artifactId or no version, the file name's stand
// in ("commons-io" 2.11.0 of commons-io-2.11.0.jar):
// IdentifiedByFileName. Without a groupId the name is the bare
// artifactId, which no Maven advisory names. Nothing is found without a
// version, nor with a file name that is no valid artifactId ("a:b-1.jar").
func identify(manifest map[string]string, file string) []strata.Package {
	fileArtifact, fileVersion := splitFileName(file)
	group, artifact := manifestName(manifest, fileArtifact)
	version := cmp.Or(strings.TrimSpace(manifest["implementation-version"]), strings.TrimSpace(manifest["bundle-version"]))
	how := strata.IdentifiedByManifest
	if artifact == "" || version == "" {
		how = strata.IdentifiedByFileName
	}
	artifact, version = cmp.Or(artifact, fileArtifact), cmp.Or(version, fileVersion)
	if !validID(artifact) || version == "" {
		return nil
	}
	return []strata.Package{maven(group, artifact, version, how)}
}

// manifestName is the groupId and the artifactId that a manifest's main
// attributes give, each "" when they give none. Only valid Maven ids
// count (see validID: "commons-text", not "Apache Commons Text"). The
// groupId is Implementation-Vendor-Id (Maven's jar plugin writes the
// groupId there), else what the Bundle-SymbolicName has before its last
// dot ("com.fasterxml.jackson.core" of
// "com.fasterxml.jackson.core.jackson-databind"). The artifactId is the
// Bundle-SymbolicName's (see bundleArtifact), else the
// Implementation-Title, where the jar plugin writes the project's name,
// often its artifactId.
func manifestName(manifest map[string]string, fileArtifact string) (group, artifact string) {
	if v := strings.TrimSpace(manifest["implementation-vendor-id"]); validID(v) {
		group = v
	}
	bsn, _, _ := strings.Cut(manifest["bundle-symbolicname"], ";") // drop ";singleton:=true"
	if bsn = strings.TrimSpace(bsn); !validID(bsn) {
		bsn = ""
	}
	if i := strings.LastIndexByte(bsn, '.'); group == "" && i > 0 {
		group = bsn[:i]
	}
	title := strings.TrimSpace(manifest["implementation-title"])
	if !validID(title) || title == group {
		title = ""
	}
	return group, cmp.Or(bundleArtifact(bsn, group, title, fileArtifact), title)
}

// bundleArtifact is the artifactId that a Bundle-SymbolicName gives in
// group, or "". The Maven bundle plugin makes it "GROUP.ARTIFACT", or
// "GROUP" alone, which gives none (com.google.oauth-client of
// google-oauth-client), and it drops from an artifactId that starts with
// the group's last part that part and its '-' (org.apache.commons.lang3
// is commons-lang3's): when one of names (the Implementation-Title, the
// file name's artifactId) is the artifactId so shortened, it is that. A
// symbolic name without a dot is the artifactId itself.
func bundleArtifact(bsn, group string, names ...string) string {
	if !strings.Contains(bsn, ".") {
		return bsn
	}
	short, ok := strings.CutPrefix(bsn, group+".")
	if !ok || group == "" {
		return ""
	}
	long := group[strings.LastIndexByte(group, '.')+1:] + "-" + short
	if slices.Contains(names, long) {
		return long
	}
	return short
}

// validID reports whether s is a valid Maven groupId or artifactId:
// letters, digits, '.', '-' and '_'.
func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// splitFileName splits an archive's file name into an artifactId and a
// version at the last '-' followed by a digit: "log4j-1.2-api-2.17.1.jar"
// is log4j-1.2-api 2.17.1, "guava-31.1-jre.jar" is guava 31.1-jre. The
// version is "" when the name has none.
func splitFileName(file string) (artifact, version string) {
	stem := file
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		stem = file[:i]
	}
	for i := len(stem) - 2; i > 0; i-- {
		if stem[i] == '-' && stem[i+1] >= '0' && stem[i+1] <= '9' {
			return stem[:i], stem[i+1:]
		}
	}
	return stem, ""
}
