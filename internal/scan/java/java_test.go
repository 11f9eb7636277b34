package java_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"usr/share/java/jackson-databind.jar", true},
		{"usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/2.x/jackson-core-2.x.jar", true},
		{"srv/tomcat/webapps/app.war", true},
		{"opt/jboss/app.ear", true},
		{"opt/app/LIB.JAR", true},
		{"usr/share/java/._jackson-databind.jar", false},
		{"usr/share/java/.jar", false},
		{"usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/2.14.1/jackson-core-2.14.1.pom", false},
		{"opt/app/app.jar.sha1", false},
		{"opt/app/app.zip", false},
		{"jar", false},
	}
	for _, tt := range tests {
		if got := (java.Scanner{}).Wants(tt.path); got != tt.want {
			t.Errorf("Wants(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// testLogger logs to buf, without times, so that tests can read it.
func testLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func TestScan(t *testing.T) {
	const (
		share = "usr/share/java/"
		maven = "usr/share/maven-repo/com/fasterxml/jackson/core/jackson-core/"
	)
	core := archive(t, entry{"META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties", readTestdata(t, "jackson-core.pom.properties")})
	files := scantest.Linked{
		Files: scantest.Files{
			share + "jackson-core.jar": core,
			share + "empty.jar":        nil,
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
	got, err := java.Scanner{Log: testLogger(&log)}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.LayerReport{
		Packages: []strata.Package{
			mvn("good", "2.0", "srv/app.war"),
			mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", share+"jackson-core.jar"),
		},
		Databases: []string{
			"srv/app.war",
			share + "empty.jar", share + "jackson-core-2.14.1.jar", share + "jackson-core.jar",
			maven + "2.14.1/jackson-core-2.14.1.jar", maven + "2.x/jackson-core-2.x.jar",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
	wantLog := `level=WARN msg="java: skipped a nested archive" err="java: srv/app.war!/WEB-INF/lib/bad-1.0.jar: zip: not a valid zip file"` + "\n" +
		`level=WARN msg="java: skipped an archive" err="java: ` + share + `empty.jar: zip: not a valid zip file"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	got, err := java.Scanner{}.Scan(context.Background(), scantest.Files{"etc/passwd": nil})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&strata.LayerReport{}, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func TestScanErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files := scantest.Files{"app.jar": nil}
	if _, err := (java.Scanner{}).Scan(ctx, files); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: error = %v; want context.Canceled", err)
	}
	unreadable := failing{scantest.Files{"app.jar": nil}}
	_, err := java.Scanner{}.Scan(context.Background(), unreadable)
	if want := "java: read app.jar: read app.jar: file does not exist"; err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}
}

// failing lists its files but cannot read them.
type failing struct{ scantest.Files }

func (f failing) ReadFile(p string) ([]byte, error) { return scantest.Files{}.ReadFile(p) }
