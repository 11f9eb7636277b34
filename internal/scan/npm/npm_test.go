package npm_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"app/node_modules/ms/package.json", true},
		{"app/node_modules/@types/ms/package.json", true},
		{"node_modules/ms/package.json", true},
		{"usr/local/lib/node_modules/npm/package.json", true},
		{"usr/local/lib/node_modules/npm/node_modules/semver/package.json", true},
		{"app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json", true},
		{"app/package.json", false},
		{"app/node_modules/ms/lib/package.json", false},
		{"app/node_modules/@types/ms/sub/package.json", false},
		{"app/node_modules/@types/package.json", false},
		{"app/node_modules/@/ms/package.json", false},
		{"app/node_modules/.bin/package.json", false},
		{"app/node_modules/.package-lock.json", false},
		{"app/node_modules/ms/package.json.bak", false},
		{"app/node_modules/package.json", false},
	}
	for _, tt := range tests {
		if got := (npm.Scanner{}).Wants(tt.path); got != tt.want {
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

// pkg is an npm package found in the package.json at db.
func pkg(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.NPM,
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
	const nm = "app/node_modules/"
	files := scantest.Files{
		"app/package.json":                readTestdata(t, "workspace-root.package.json"),
		nm + "ms/package.json":            readTestdata(t, "ms.package.json"),
		nm + "@types/ms/package.json":     readTestdata(t, "types-ms.package.json"),
		nm + "my-workspace/package.json":  readTestdata(t, "workspace-root.package.json"),
		nm + "broken/package.json":        []byte(`{"name": "broken",`),
		nm + "ms/node_modules/x/index.js": []byte("module.exports = 1"),
	}
	var log bytes.Buffer
	got, err := npm.Scanner{Log: testLogger(&log)}.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.LayerReport{
		Packages: []strata.Package{
			pkg("@types/ms", "0.7.34", nm+"@types/ms/package.json"),
			pkg("ms", "2.1.3", nm+"ms/package.json"),
		},
		Databases: []string{
			nm + "@types/ms/package.json",
			nm + "broken/package.json",
			nm + "ms/package.json",
			nm + "my-workspace/package.json",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
	wantLog := `level=WARN msg="npm: skipped a file that does not parse" path=` + nm + `broken/package.json err="npm: parse ` + nm + `broken/package.json: unexpected end of JSON input"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	got, err := npm.Scanner{}.Scan(context.Background(), scantest.Files{})
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
	files := scantest.Files{"node_modules/ms/package.json": nil}
	if _, err := (npm.Scanner{}).Scan(ctx, files); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: error = %v; want context.Canceled", err)
	}
}
