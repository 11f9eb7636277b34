package scan_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// parseLines makes one package per line "name version"; "bad" fails.
func parseLines(p string, b []byte) ([]strata.Package, error) {
	var out []strata.Package
	for line := range strings.Lines(string(b)) {
		name, version, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			return nil, errors.New("test: parse " + p + ": bad line")
		}
		out = append(out, strata.Package{Name: name, Version: version, PackageDB: p})
	}
	return out, nil
}

func TestDatabases(t *testing.T) {
	files := scantest.Files{
		"db/a":    []byte("x 1\ny 2\n"),
		"db/b":    []byte("broken\n"),
		"db/c":    []byte(""),
		"other/d": []byte("z 9\n"),
	}
	wants := func(p string) bool { return strings.HasPrefix(p, "db/") }

	_, err := scan.Databases(context.Background(), "test", files, wants, parseLines, nil)
	if err == nil || err.Error() != "test: parse db/b: bad line" {
		t.Errorf("strict: error = %v, want the parse error of db/b", err)
	}

	var log bytes.Buffer
	lenient := slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	got, err := scan.Databases(context.Background(), "test", files, wants, parseLines, lenient)
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.LayerReport{
		Databases: []string{"db/a", "db/b", "db/c"},
		Packages:  []strata.Package{{Name: "x", Version: "1", PackageDB: "db/a"}, {Name: "y", Version: "2", PackageDB: "db/a"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lenient (-want +got):\n%s", diff)
	}
	if wantLog := `level=WARN msg="test: skipped a file that does not parse" path=db/b err="test: parse db/b: bad line"` + "\n"; log.String() != wantLog {
		t.Errorf("log = %q, want %q", log.String(), wantLog)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := scan.Databases(ctx, "test", files, wants, parseLines, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error = %v", err)
	}
}

func TestRealFiles(t *testing.T) {
	files := scantest.Linked{
		Files: scantest.Files{"usr/sbin/runc": nil, "usr/share/java/x.jar": nil},
		Links: map[string]string{
			"usr/bin/runc":               "usr/sbin/runc",        // the target is listed: dropped
			"usr/share/java/x-1.0.jar":   "usr/share/java/x.jar", // likewise
			"usr/share/maven-repo/x.jar": "usr/share/java/x.jar",
		},
	}
	got := scan.RealFiles(files, files.Paths())
	want := []string{"usr/sbin/runc", "usr/share/java/x.jar"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RealFiles (-want +got):\n%s", diff)
	}
	// Only links, no target listed: the first link stands for the file.
	onlyLinks := []string{"usr/share/java/x-1.0.jar", "usr/share/maven-repo/x.jar"}
	if diff := cmp.Diff([]string{"usr/share/java/x-1.0.jar"}, scan.RealFiles(files, onlyLinks)); diff != "" {
		t.Errorf("RealFiles of links only (-want +got):\n%s", diff)
	}
	// A file set that cannot resolve links keeps every path.
	plain := scantest.Files{"a": nil, "b": nil}
	if diff := cmp.Diff([]string{"a", "b"}, scan.RealFiles(plain, plain.Paths())); diff != "" {
		t.Errorf("RealFiles without links (-want +got):\n%s", diff)
	}
}
