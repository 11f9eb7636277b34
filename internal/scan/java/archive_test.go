package java_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/testutil"
)

// entry is one file of a test archive.
type entry struct {
	name string
	body []byte
}

// archive builds a zip archive of entries, in order, deflated.
func archive(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mvn is a library of the Maven ecosystem named by a pom.properties of
// the file at db.
func mvn(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.Maven,
		SourceName: name, SourceVersion: version, PackageDB: db}
}

// guessed is p named as how says.
func guessed(p strata.Package, how strata.Identification) strata.Package {
	p.Identified = how
	return p
}

// nested is p found at path inside its PackageDB file.
func nested(p strata.Package, path string) strata.Package {
	p.Nested = path
	return p
}

// pom is a pom.properties entry.
func pom(group, artifact, body string) entry {
	return entry{"META-INF/maven/" + group + "/" + artifact + "/pom.properties", []byte(body)}
}

func manifest(body string) entry { return entry{"META-INF/MANIFEST.MF", []byte(body)} }

func TestParseArchive(t *testing.T) {
	const (
		jar     = "usr/share/java/jackson-databind.jar"
		renamed = "opt/lib/renamed.jar"
		app     = "srv/app.war"
	)
	annotations := entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-annotations/pom.properties", testutil.ReadTestdata(t, "jackson-annotations.pom.properties")}
	core := entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties", testutil.ReadTestdata(t, "jackson-core.pom.properties")}
	const (
		byManifest = strata.IdentifiedByManifest
		byFileName = strata.IdentifiedByFileName
	)
	tests := []struct {
		name, path string
		in         []byte
		want       []strata.Package
		skipped    int // pom.properties that say too little
	}{
		{"pom.properties before the manifest", jar, archive(t, entry{"META-INF/MANIFEST.MF", testutil.ReadTestdata(t, "jackson-annotations.MANIFEST.MF")}, annotations),
			[]strata.Package{mvn("com.fasterxml.jackson.core:jackson-annotations", "2.14.0", jar)}, 0},
		{"every pom.properties of a shaded jar, once", jar, archive(t, annotations, core, annotations),
			[]strata.Package{mvn("com.fasterxml.jackson.core:jackson-annotations", "2.14.0", jar), mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", jar)}, 0},
		{"pom.properties path for a missing groupId and artifactId", jar, archive(t, pom("org.example", "lib", "version=1.0\n")),
			[]strata.Package{mvn("org.example:lib", "1.0", jar)}, 0},
		{"manifest: Implementation-* and Bundle-* agree", jar, archive(t, entry{"META-INF/MANIFEST.MF", testutil.ReadTestdata(t, "jackson-databind.MANIFEST.MF")}),
			[]strata.Package{guessed(mvn("com.fasterxml.jackson.core:jackson-databind", "2.14.0", jar), byManifest)}, 0},
		{"manifest: Bundle-SymbolicName and Bundle-Version, not the file name", renamed, archive(t, entry{"META-INF/MANIFEST.MF", testutil.ReadTestdata(t, "jackson-annotations.MANIFEST.MF")}),
			[]strata.Package{guessed(mvn("com.fasterxml.jackson.core:jackson-annotations", "2.14.0", renamed), byManifest)}, 0},
		{"manifest: Implementation-Title, -Vendor-Id and -Version, not the file name", renamed,
			archive(t, manifest("Implementation-Title: commons-text\nImplementation-Vendor-Id: org.apache.commons\nImplementation-Version: 1.9\n")),
			[]strata.Package{guessed(mvn("org.apache.commons:commons-text", "1.9", renamed), byManifest)}, 0},
		{"manifest: Implementation-Version before Bundle-Version; the bundle plugin's shortened name", "opt/lib/commons-lang3.jar",
			archive(t, manifest("Implementation-Vendor-Id: org.apache.commons\nImplementation-Version: 3.12.0\nBundle-Version: 9\nBundle-SymbolicName: org.apache.commons.lang3\nImplementation-Title: Apache Commons Lang\n")),
			[]strata.Package{guessed(mvn("org.apache.commons:commons-lang3", "3.12.0", "opt/lib/commons-lang3.jar"), byManifest)}, 0},
		{"manifest: the bundle plugin's shortened name, the title's", renamed,
			archive(t, manifest("Bundle-SymbolicName: org.apache.commons.text;singleton:=true\nImplementation-Title: commons-text\nBundle-Version: 1.10.0\n")),
			[]strata.Package{guessed(mvn("org.apache.commons:commons-text", "1.10.0", renamed), byManifest)}, 0},
		{"manifest without a groupId: bare artifactId", "opt/lib/x-2.0.jar",
			archive(t, manifest("Implementation-Title: tool\nImplementation-Vendor-Id: Example Corp\nImplementation-Version:  2.0.1 \n")),
			[]strata.Package{guessed(mvn("tool", "2.0.1", "opt/lib/x-2.0.jar"), byManifest)}, 0},
		{"manifest groupId, file name artifactId: Bundle-SymbolicName is the groupId", "opt/lib/google-oauth-client-1.25.0.jar",
			archive(t, manifest("Bundle-SymbolicName: com.google.oauth-client\nImplementation-Vendor-Id: com.google.oauth-client\nImplementation-Title: Google OAuth2 Client Library for Java\nImplementation-Version: 1.25.0\n")),
			[]strata.Package{guessed(mvn("com.google.oauth-client:google-oauth-client", "1.25.0", "opt/lib/google-oauth-client-1.25.0.jar"), byFileName)}, 0},
		{"manifest artifactId, file name version", "opt/lib/jackson-core-2.14.1.jar", archive(t, manifest("Bundle-SymbolicName: com.fasterxml.jackson.core.jackson-core\n")),
			[]strata.Package{guessed(mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", "opt/lib/jackson-core-2.14.1.jar"), byFileName)}, 0},
		{"file name last", "opt/lib/commons-io-2.11.0.jar", archive(t, manifest("Manifest-Version: 1.0\n"), pom("commons-io", "commons-io", "groupId=commons-io\n")),
			[]strata.Package{guessed(mvn("commons-io", "2.11.0", "opt/lib/commons-io-2.11.0.jar"), byFileName)}, 1},
		{"file name no artifactId", "opt/lib/a:b-1.0.jar", archive(t), nil, 0},
		{"no version anywhere", "opt/app.jar", archive(t, manifest("Main-Class: App\n"), entry{"App.class", []byte("\xca\xfe\xba\xbe")}), nil, 0},
		{"nested archives, two levels deep", app, archive(t,
			pom("com.example", "app", "groupId=com.example\nartifactId=app\nversion=1.0\n"),
			entry{"WEB-INF/lib/", nil},
			entry{"WEB-INF/lib/jackson-core-2.14.1.jar", archive(t, core)},
			entry{"WEB-INF/lib/slf4j-api-1.7.36.jar", archive(t)},
			entry{"WEB-INF/lib/plugins.ear", archive(t, entry{"lib/inner-0.1.jar", archive(t, manifest("Implementation-Title: inner\nImplementation-Vendor-Id: com.example\nImplementation-Version: 0.1.2\n"))})},
		), []strata.Package{
			mvn("com.example:app", "1.0", app),
			nested(mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", app), "WEB-INF/lib/jackson-core-2.14.1.jar"),
			nested(guessed(mvn("slf4j-api", "1.7.36", app), byFileName), "WEB-INF/lib/slf4j-api-1.7.36.jar"),
			nested(guessed(mvn("com.example:inner", "0.1.2", app), byManifest), "WEB-INF/lib/plugins.ear!/lib/inner-0.1.jar"),
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, skipped, err := java.ParseArchive(tt.path, bytes.NewReader(tt.in), int64(len(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseArchive (-want +got):\n%s", diff)
			}
			if len(skipped) != tt.skipped {
				t.Errorf("ParseArchive skipped %v, want %d skipped", skipped, tt.skipped)
			}
		})
	}
}

// zipOf is a zip archive of one stored entry of n zero bytes.
func zipOf(t *testing.T, name string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write(make([]byte, n))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseArchiveSkipped(t *testing.T) {
	const war = "srv/app.war"
	tests := []struct {
		name string
		in   []byte
		want []string // part: error
	}{
		{"pom.properties without a version", archive(t, pom("g", "a", "groupId=g\n")),
			[]string{"pom.properties: java: srv/app.war!/META-INF/maven/g/a/pom.properties: want a groupId, an artifactId and a version"}},
		{"manifest too large", zipOf(t, "META-INF/MANIFEST.MF", 1<<20+1),
			[]string{"MANIFEST.MF: java: srv/app.war!/META-INF/MANIFEST.MF: more than 1048576 bytes"}},
		{"corrupt and empty nested archives", archive(t, entry{"WEB-INF/lib/bad-1.0.jar", []byte("PK\x03\x04 not a zip")}, entry{"WEB-INF/lib/empty-1.0.jar", nil}),
			[]string{"nested archive: java: srv/app.war!/WEB-INF/lib/bad-1.0.jar: zip: not a valid zip file", "nested archive: java: srv/app.war!/WEB-INF/lib/empty-1.0.jar: zip: not a valid zip file"}},
		{"three levels deep", archive(t, entry{"a-1.jar", archive(t, entry{"b-1.jar", archive(t, entry{"c-1.jar", archive(t)})})}),
			[]string{"nested archive: java: srv/app.war!/a-1.jar!/b-1.jar!/c-1.jar: nested more than 2 archives deep"}},
		{"nested archive too large", zipOf(t, "WEB-INF/lib/huge-1.0.jar", 64<<20+1),
			[]string{"nested archive: java: srv/app.war!/WEB-INF/lib/huge-1.0.jar: 67108865 bytes exceed the 67108864 left to read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, skipped, err := java.ParseArchive(war, bytes.NewReader(tt.in), int64(len(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range skipped {
				got = append(got, s.Part+": "+s.Err.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseArchive skipped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseArchiveErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "java: x.jar: zip: not a valid zip file"},
		{"not a zip", []byte("<html>404</html>"), "java: x.jar: zip: not a valid zip file"},
		{"truncated", archive(t, manifest("Implementation-Version: 1\n"))[:30], "java: x.jar: zip: not a valid zip file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, skipped, err := java.ParseArchive("x.jar", bytes.NewReader(tt.in), int64(len(tt.in)))
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseArchive = %v, %v, %v; want error %q", got, skipped, err, tt.want)
			}
		})
	}
}
