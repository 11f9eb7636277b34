package version_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/version"
	"github.com/strata-scan/strata/internal/version/versiontest"
)

var ecosystems = []strata.Ecosystem{strata.Deb, strata.RPM, strata.APK, strata.Go, strata.NPM, strata.PyPI, strata.Maven}

// apkDeviations are the cases of apk-tools' vectors that name an invalid
// version: apk-tools compares its valid prefix, strata rejects it.
var apkDeviations = map[string]bool{"23_foo > 4_beta": true, "1.0 < 1.0bc": true}

func TestFixtures(t *testing.T) {
	for _, eco := range ecosystems {
		files := []string{versiontest.FixtureFile(eco)}
		if eco == strata.APK {
			files = append(files, "apk-version.data")
		}
		for _, name := range files {
			t.Run(name, func(t *testing.T) {
				c, err := version.For(eco)
				if err != nil {
					t.Fatal(err)
				}
				for _, cs := range readFixture(t, name) {
					checkCase(t, c, cs)
				}
			})
		}
	}
}

func readFixture(t testing.TB, name string) []versiontest.Case {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := versiontest.ReadFixture(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cases
}

func checkCase(t *testing.T, c version.Comparator, cs versiontest.Case) {
	t.Helper()
	if cs.B == "" {
		_, err := c.Compare(cs.A, cs.A)
		if valid := err == nil; valid != (cs.Want != versiontest.Invalid) {
			t.Errorf("line %d: %s: got error %v", cs.Line, cs, err)
		}
		return
	}
	line := cs.A + " " + versiontest.Ops[cs.Want] + " " + cs.B
	if apkDeviations[line] {
		if _, err := c.Compare(cs.A, cs.B); err == nil {
			t.Errorf("line %d: %s: got no error for an invalid apk version", cs.Line, line)
		}
		return
	}
	got, err := c.Compare(cs.A, cs.B)
	back, errBack := c.Compare(cs.B, cs.A)
	if err != nil || errBack != nil || got != cs.Want || back != -cs.Want {
		t.Errorf("line %d: %s: got %d (%v), reversed %d (%v)", cs.Line, line, got, err, back, errBack)
	}
}
