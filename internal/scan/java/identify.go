package java

import (
	"cmp"
	"errors"
	"strings"

	"github.com/strata-scan/strata"
)

// maven is a library of the Maven ecosystem found in the file at db.
func maven(group, artifact, version, db string) strata.Package {
	name := artifact
	if group != "" {
		name = group + ":" + artifact
	}
	return strata.Package{Name: name, Version: version, Eco: strata.Maven,
		SourceName: name, SourceVersion: version, PackageDB: db}
}

// fromPom turns a pom.properties at entry META-INF/maven/GROUP/ARTIFACT/
// into a library; the path stands in for a missing groupId or artifactId.
func fromPom(entry string, props map[string]string, db string) (strata.Package, error) {
	parts := strings.Split(entry, "/") // META-INF, maven, GROUP, ARTIFACT, pom.properties
	group := cmp.Or(props["groupId"], parts[2])
	artifact := cmp.Or(props["artifactId"], parts[3])
	version := props["version"]
	if group == "" || artifact == "" || version == "" {
		return strata.Package{}, errors.New("want a groupId, an artifactId and a version")
	}
	return maven(group, artifact, version, db), nil
}

// identify names the library of an archive that has no pom.properties,
// from its manifest's main attributes (nil when it has none) and its file
// name: the artifactId is the file name's ("jackson-databind" of
// jackson-databind-2.14.0.jar), the version the manifest's
// Implementation-Version or Bundle-Version, else the file name's. The
// groupId is Implementation-Vendor-Id when that is a dotted name, else
// what Bundle-SymbolicName has before ".ARTIFACT"; without one, the name
// is the bare artifactId. Nothing is found without a version.
func identify(manifest map[string]string, file string, db string) []strata.Package {
	artifact, fileVersion := splitFileName(file)
	version := cmp.Or(manifest["implementation-version"], manifest["bundle-version"], fileVersion)
	if artifact == "" || version == "" {
		return nil
	}
	return []strata.Package{maven(groupID(manifest, artifact), artifact, version, db)}
}

// groupID is the groupId a manifest gives an artifact, or "".
func groupID(manifest map[string]string, artifact string) string {
	if v := manifest["implementation-vendor-id"]; strings.Contains(v, ".") && !strings.ContainsAny(v, " \t") {
		return v
	}
	bsn, _, _ := strings.Cut(manifest["bundle-symbolicname"], ";") // drop ";singleton:=true"
	g, ok := strings.CutSuffix(strings.TrimSpace(bsn), "."+artifact)
	if !ok || strings.ContainsAny(g, " \t") {
		return ""
	}
	return g
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
