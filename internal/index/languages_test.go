package index_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
)

// The real apps image yields its Go binaries' modules (with the Go
// toolchain as stdlib), Debian's python3 packages and the jackson jars
// exactly as its languages.tsv lists them, each jar once although links
// reach it from /usr/share/java and /usr/share/maven-repo.
func TestRealImageLanguages(t *testing.T) {
	apps := sharedImage(t, "debian-bookworm-apps.oci.tar.gz")
	want := expectedLanguages(t, "debian-bookworm-apps.languages.tsv")
	ix, _ := newIndexer(t)
	r := indexImage(t, ix, apps, image.Options{})
	var got []string
	owners := map[string]string{}
	for _, p := range r.Packages {
		if p.Eco != strata.Deb {
			got = append(got, strings.Join([]string{string(p.Eco), p.Name, p.Version, p.PackageDB}, "\t"))
			owners[p.PackageDB] = p.OwnedBy
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apps image: language packages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(appsOwners, owners); diff != "" {
		t.Errorf("apps image: owners of the language packages' files (-want +got):\n%s", diff)
	}
}

// appsOwners are the Debian packages whose file lists hold the apps
// image's language package files, as its languages.tsv notes them:
// htmlcheck, copied to /usr/local/bin, belongs to none.
var appsOwners = map[string]string{
	"usr/local/bin/htmlcheck":                                                   "",
	"usr/sbin/runc":                                                             "deb/runc",
	"usr/share/java/jackson-annotations.jar":                                    "deb/libjackson2-annotations-java",
	"usr/share/java/jackson-core.jar":                                           "deb/libjackson2-core-java",
	"usr/share/java/jackson-databind.jar":                                       "deb/libjackson2-databind-java",
	"usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO":         "deb/python3-certifi",
	"usr/lib/python3/dist-packages/chardet-5.1.0.dist-info/METADATA":            "deb/python3-chardet",
	"usr/lib/python3/dist-packages/charset_normalizer-3.0.1.dist-info/METADATA": "deb/python3-charset-normalizer",
	"usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO":                  "deb/python3-idna",
	"usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO":           "deb/python3-requests",
	"usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO":                "deb/python3-six",
	"usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO":           "deb/python3-urllib3",
}

// languageEcosystems maps the ecosystem column of *.languages.tsv.
var languageEcosystems = map[string]strata.Ecosystem{"Go": strata.Go, "PyPI": strata.PyPI, "Maven": strata.Maven, "npm": strata.NPM}

// expectedLanguages reads a *.languages.tsv (ecosystem, name, version,
// path, note) as "ecosystem name version path" lines, sorted, with the
// versions as strata reports them: `go version -m`'s "go1.26.8" and
// "v0.7.0" as the Go vulnerability database's "1.26.8" and "0.7.0", and
// "(none)" (no module information) as no version.
func expectedLanguages(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedImages, name))
	if err != nil {
		t.Skipf("expected language package list not present: %v (shared data absent)", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		eco, ok := languageEcosystems[c[0]]
		if len(c) != 5 || !ok {
			t.Fatalf("%s: unexpected line %q", name, sc.Text())
		}
		version := c[2]
		if eco == strata.Go {
			version = strings.TrimPrefix(strings.TrimPrefix(version, "go"), "v")
			version = strings.TrimPrefix(version, "(none)")
		}
		out = append(out, strings.Join([]string{string(eco), c[1], version, strings.TrimPrefix(c[3], "/")}, "\t"))
	}
	slices.Sort(out)
	return out
}
