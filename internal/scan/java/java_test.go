package java_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

func TestWants(t *testing.T) {
	scantest.CheckWants(t, java.Scanner{}, map[string]bool{
		"usr/share/java/jackson-databind.jar":                                                   true,
		"usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/2.x/jackson-core-2.x.jar": true,
		"srv/tomcat/webapps/app.war":                                                            true,
		"opt/jboss/app.ear":                                                                     true,
		"opt/app/LIB.JAR":                                                                       true,
		"usr/share/java/._jackson-databind.jar":                                                 false,
		"usr/share/java/.jar":                                                                   false,
		"usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/2.14.1/jackson-core-2.14.1.pom": false,
		"opt/app/app.jar.sha1": false,
		"opt/app/app.zip":      false,
		"jar":                  false,
	})
}

func TestScan(t *testing.T) {
	const (
		share = "usr/share/java/"
		maven = "usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/"
	)
	core := archive(t, entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties", testutil.ReadTestdata(t, "jackson-core.pom.properties")})
	files := scantest.Linked{
		Files: scantest.Files{
			share + "jackson-core.jar": core,
			share + "empty.jar":        nil,
			share + "big-1.0.jar":      zipOf(t, "META-INF/MANIFEST.MF", 1<<20+1),
			"srv/app.war":              archive(t, entry{"WEB-INF/lib/bad-1.0.jar", []byte("garbage")}, entry{"WEB-INF/lib/good-2.0.jar", archive(t)}),
			"etc/java.conf":            []byte("x"),
		},
		Links: map[string]string{
			share + "jackson-core-2.14.1.jar":        share + "jackson-core.jar",
			maven + "2.14.1/jackson-core-2.14.1.jar": share + "jackson-core.jar",
			maven + "2.x/jackson-core-2.x.jar":       share + "jackson-core.jar",
		},
	}
	var log bytes.Buffer
	want := &strata.LayerReport{
		Packages: []strata.Package{
			nested(guessed(mvn("good", "2.0", "srv/app.war"), strata.IdentifiedByFileName), "WEB-INF/lib/good-2.0.jar"),
			guessed(mvn("big", "1.0", share+"big-1.0.jar"), strata.IdentifiedByFileName),
			mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", share+"jackson-core.jar"),
		},
		Databases: []string{
			"srv/app.war",
			share + "big-1.0.jar", share + "empty.jar", share + "jackson-core-2.14.1.jar", share + "jackson-core.jar",
			maven + "2.14.1/jackson-core-2.14.1.jar", maven + "2.x/jackson-core-2.x.jar",
		},
	}
	scantest.CheckScan(t, java.Scanner{Log: scantest.Logger(&log, slog.LevelInfo)}, files, want)
	wantLog := `level=WARN msg="java: skipped a nested archive" err="java: srv/app.war!/WEB-INF/lib/bad-1.0.jar: zip: not a valid zip file"` + "\n" +
		`level=WARN msg="java: no groupId, so no Maven advisory can match" library="good 2.0" identified=file-name path=srv/app.war!/WEB-INF/lib/good-2.0.jar` + "\n" +
		`level=WARN msg="java: skipped a MANIFEST.MF" err="java: ` + share + `big-1.0.jar!/META-INF/MANIFEST.MF: more than 1048576 bytes"` + "\n" +
		`level=WARN msg="java: no groupId, so no Maven advisory can match" library="big 1.0" identified=file-name path=` + share + `big-1.0.jar` + "\n" +
		`level=WARN msg="java: skipped an archive" err="java: ` + share + `empty.jar: zip: not a valid zip file"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	scantest.CheckScan(t, java.Scanner{}, scantest.Files{"etc/passwd": nil}, &strata.LayerReport{})
}

func TestScanErrors(t *testing.T) {
	scantest.CheckCancelled(t, java.Scanner{}, "app.jar")
	unreadable := scantest.Unreadable{Files: scantest.Files{"app.jar": nil}, Err: fs.ErrNotExist}
	_, err := java.Scanner{}.Scan(context.Background(), unreadable)
	if want := "java: read app.jar: file does not exist"; err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}
}
