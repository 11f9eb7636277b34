package python_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

const dist = "usr/lib/python3/dist-packages/"

func TestWants(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{dist + "chardet-5.1.0.dist-info/METADATA", true},
		{dist + "certifi-2022.9.24.egg-info/PKG-INFO", true},
		{dist + "python_apt-2.6.0.egg-info", true},
		{"usr/local/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA", true},
		{"opt/venv/lib/python3.12/site-packages/setuptools/_vendor/packaging-24.2.dist-info/METADATA", true},
		{dist + "chardet-5.1.0.dist-info/RECORD", false},
		{dist + "certifi-2022.9.24.egg-info/top_level.txt", false},
		{dist + "chardet/__init__.py", false},
		{"usr/lib/python3.11/email/METADATA", false},
		{"app/foo-1.0.dist-info/METADATA", false},
		{"site-packages-old/foo-1.0.dist-info/METADATA", false},
	}
	for _, tt := range tests {
		if got := (python.Scanner{}).Wants(tt.path); got != tt.want {
			t.Errorf("Wants(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pypi is a package found in the metadata file at db.
func pypi(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.PyPI,
		SourceName: name, SourceVersion: version, PackageDB: db}
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
	site := "usr/local/lib/python3.11/site-packages/"
	files := scantest.Files{
		dist + "certifi-2022.9.24.egg-info/PKG-INFO":      readTestdata(t, "certifi.PKG-INFO"),
		dist + "certifi-2022.9.24.egg-info/top_level.txt": []byte("certifi\n"),
		dist + "chardet-5.1.0.dist-info/METADATA":         readTestdata(t, "chardet.METADATA"),
		dist + "python_apt-2.6.0.egg-info":                []byte("Metadata-Version: 1.1\nName: python-apt\nVersion: 2.6.0\n"),
		site + "Flask-2.0.0.dist-info/METADATA":           readTestdata(t, "flask.METADATA"),
		site + "broken-1.0.dist-info/METADATA":            []byte("Metadata-Version: 2.1\nName: broken\n"),
	}
	var log bytes.Buffer
	got, err := python.Scanner{Log: testLogger(&log)}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.LayerReport{
		Packages: []strata.Package{
			pypi("certifi", "2022.9.24", dist+"certifi-2022.9.24.egg-info/PKG-INFO"),
			pypi("chardet", "5.1.0", dist+"chardet-5.1.0.dist-info/METADATA"),
			pypi("python-apt", "2.6.0", dist+"python_apt-2.6.0.egg-info"),
			pypi("flask", "2.0.0", site+"Flask-2.0.0.dist-info/METADATA"),
		},
		Databases: []string{
			dist + "certifi-2022.9.24.egg-info/PKG-INFO",
			dist + "chardet-5.1.0.dist-info/METADATA",
			dist + "python_apt-2.6.0.egg-info",
			site + "Flask-2.0.0.dist-info/METADATA",
			site + "broken-1.0.dist-info/METADATA",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
	wantLog := `level=WARN msg="python: skipped a file that does not parse" path=` + site + `broken-1.0.dist-info/METADATA err="python: parse ` +
		site + `broken-1.0.dist-info/METADATA: no Version header"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	got, err := python.Scanner{}.Scan(context.Background(), scantest.Files{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&strata.LayerReport{}, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files := scantest.Files{dist + "six-1.16.0.egg-info/PKG-INFO": nil}
	if _, err := (python.Scanner{}).Scan(ctx, files); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: error = %v; want context.Canceled", err)
	}
}
