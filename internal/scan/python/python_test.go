package python_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

const dist = "usr/lib/python3/dist-packages/"

func TestWants(t *testing.T) {
	scantest.CheckWants(t, python.Scanner{}, map[string]bool{
		dist + "chardet-5.1.0.dist-info/METADATA":                                                    true,
		dist + "certifi-2022.9.24.egg-info/PKG-INFO":                                                 true,
		dist + "python_apt-2.6.0.egg-info":                                                           true,
		"usr/local/lib/python3.11/site-packages/Flask-2.0.0.dist-info/METADATA":                      true,
		"opt/venv/lib/python3.12/site-packages/setuptools/_vendor/packaging-24.2.dist-info/METADATA": true,
		dist + "chardet-5.1.0.dist-info/RECORD":                                                      false,
		dist + "certifi-2022.9.24.egg-info/top_level.txt":                                            false,
		dist + "chardet/__init__.py":                                                                 false,
		"usr/lib/python3.11/email/METADATA":                                                          false,
		"app/foo-1.0.dist-info/METADATA":                                                             false,
		"site-packages-old/foo-1.0.dist-info/METADATA":                                               false,
	})
}

// pypi is a package found in the metadata file at db.
func pypi(name, version, db string) strata.Package {
	return strata.Package{Name: name, Version: version, Eco: strata.PyPI,
		SourceName: name, SourceVersion: version, PackageDB: db}
}

func TestScan(t *testing.T) {
	site := "usr/local/lib/python3.11/site-packages/"
	files := scantest.Files{
		dist + "certifi-2022.9.24.egg-info/PKG-INFO":      testutil.ReadTestdata(t, "certifi.PKG-INFO"),
		dist + "certifi-2022.9.24.egg-info/top_level.txt": []byte("certifi\n"),
		dist + "chardet-5.1.0.dist-info/METADATA":         testutil.ReadTestdata(t, "chardet.METADATA"),
		dist + "python_apt-2.6.0.egg-info":                []byte("Metadata-Version: 1.1\nName: python-apt\nVersion: 2.6.0\n"),
		site + "Flask-2.0.0.dist-info/METADATA":           testutil.ReadTestdata(t, "flask.METADATA"),
		site + "broken-1.0.dist-info/METADATA":            []byte("Metadata-Version: 2.1\nName: broken\n"),
	}
	var log bytes.Buffer
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
	scantest.CheckScan(t, python.Scanner{Log: scantest.Logger(&log, slog.LevelInfo)}, files, want)
	wantLog := `level=WARN msg="python: skipped a file that does not parse" path=` + site + `broken-1.0.dist-info/METADATA err="python: parse ` +
		site + `broken-1.0.dist-info/METADATA: no Version header"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestScanEmptyLayer(t *testing.T) {
	scantest.CheckScan(t, python.Scanner{}, scantest.Files{}, &strata.LayerReport{})
}

func TestScanCancelled(t *testing.T) {
	scantest.CheckCancelled(t, python.Scanner{}, dist+"six-1.16.0.egg-info/PKG-INFO")
}
