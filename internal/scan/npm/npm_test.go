package npm_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

func TestWants(t *testing.T) {
	scantest.CheckWants(t, npm.Scanner{}, map[string]bool{
		"app/node_modules/ms/package.json":                                true,
		"app/node_modules/@types/ms/package.json":                         true,
		"node_modules/ms/package.json":                                    true,
		"usr/local/lib/node_modules/npm/package.json":                     true,
		"usr/local/lib/node_modules/npm/node_modules/semver/package.json": true,
		"app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json":    true,
		"app/package.json":                                                false,
		"app/node_modules/ms/lib/package.json":                            false,
		"app/node_modules/@types/ms/sub/package.json":                     false,
		"app/node_modules/@types/package.json":                            false,
		"app/node_modules/@/ms/package.json":                              false,
		"app/node_modules/.bin/package.json":                              false,
		"app/node_modules/.package-lock.json":                             false,
		"app/node_modules/ms/package.json.bak":                            false,
		"app/node_modules/package.json":                                   false,
	})
}

// pkg is an npm package found in the package.json at db.
func pkg(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.NPM,
		SourceName: name, SourceVersion: version, PackageDB: db}
}

func TestScan(t *testing.T) {
	const nm = "app/node_modules/"
	files := scantest.Files{
		"app/package.json":                testutil.ReadTestdata(t, "workspace-root.package.json"),
		nm + "ms/package.json":            testutil.ReadTestdata(t, "ms.package.json"),
		nm + "@types/ms/package.json":     testutil.ReadTestdata(t, "types-ms.package.json"),
		nm + "my-workspace/package.json":  testutil.ReadTestdata(t, "workspace-root.package.json"),
		nm + "broken/package.json":        []byte(`{"name": "broken",`),
		nm + "ms/node_modules/x/index.js": []byte("module.exports = 1"),
	}
	var log bytes.Buffer
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
	scantest.CheckScan(t, npm.Scanner{Log: scantest.Logger(&log, slog.LevelInfo)}, files, want)
	wantLog := `level=WARN msg="npm: skipped a file that does not parse" path=` + nm + `broken/package.json err="npm: parse ` + nm + `broken/package.json: unexpected end of JSON input"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	scantest.CheckScan(t, npm.Scanner{}, scantest.Files{}, &strata.LayerReport{})
}

func TestScanCancelled(t *testing.T) {
	scantest.CheckCancelled(t, npm.Scanner{}, "node_modules/ms/package.json")
}
