package osv_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/version"
)

const feeds = "../../../../shared/data/feeds/osv/"

// parseFeed parses every document of the feed at path, skipping the test
// when the shared data is absent, and returns the records by key and the
// number of documents that gave at least one. Skipped documents (the
// withdrawn records) give none, as in the runner.
func parseFeed(t *testing.T, path string) (map[string]strata.Vulnerability, int) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not present: %s (shared data absent)", path, path)
	}
	got := make(map[string]strata.Vulnerability)
	docs := 0
	_, err := update.Fetch(context.Background(), nil, path, "", func(d update.Document) error {
		vs, err := osv.Updater{}.Parse(context.Background(), d.Name, d.Body)
		if len(vs) > 0 {
			docs++
		}
		for _, v := range vs {
			if _, dup := got[v.Key()]; dup {
				t.Errorf("%s: duplicate key %s", d.Name, v.Key())
			}
			got[v.Key()] = v
		}
		if sk := (*update.Skipped)(nil); errors.As(err, &sk) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, docs
}

// TestRealFeeds parses the whole Go vulnerability database (4,789
// records, 18 of them withdrawn), the whole PyPA database and the Maven
// records of the shared data.
func TestRealFeeds(t *testing.T) {
	tests := []struct {
		path                     string
		docs, records            int
		fixed, critical, unknown int
	}{
		{"go/golang-vulndb-osv.tar.gz", 4771, 6733, 4342, 0, 6733},
		{"pypi/pypa-advisory-database.tar.gz", 2651, 2651, 2482, 34, 2452},
		{"maven", 3, 545, 475, 87, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, docs := parseFeed(t, feeds+tt.path)
			var fixed, critical, unknown int
			for _, v := range got {
				fixed += b2i(v.State == strata.Fixed)
				critical += b2i(v.Severity == strata.Critical)
				unknown += b2i(v.Severity == strata.Unknown)
			}
			if docs != tt.docs || len(got) != tt.records || fixed != tt.fixed || critical != tt.critical || unknown != tt.unknown {
				t.Errorf("%s: %d documents, %d records, %d fixed, %d critical, %d unknown; want %d, %d, %d, %d, %d",
					tt.path, docs, len(got), fixed, critical, unknown, tt.docs, tt.records, tt.fixed, tt.critical, tt.unknown)
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The Go vulnerability database's vulnerable symbols are kept by import
// path, as ecosystem_specific.imports lists them (checked by hand in
// GO-2023-1988.json and GO-2025-3503.json).
func TestRealGoSymbols(t *testing.T) {
	got, _ := parseFeed(t, feeds+"go/golang-vulndb-osv.tar.gz")
	tests := []struct {
		id   string
		want map[string][]string
	}{
		{"GO-2023-1988", map[string][]string{"golang.org/x/net/html": {"Render", "render1"}}},
		{"GO-2025-3503", map[string][]string{
			"golang.org/x/net/http/httpproxy": {"config.useProxy", "domainMatch.match"},
			"golang.org/x/net/proxy":          {"Dial", "FromEnvironment", "FromEnvironmentUsing", "PerHost.AddFromString", "PerHost.Dial", "PerHost.DialContext", "PerHost.dialerForRequest"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			key := (&strata.Vulnerability{ID: tt.id, Eco: strata.Go, Package: "golang.org/x/net"}).Key()
			if diff := cmp.Diff(tt.want, got[key].Symbols); diff != "" {
				t.Errorf("%s symbols (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

// PyPA records evaluated for versions checked by hand in their YAML
// (vulns/<package>/<id>.yaml). The first four list versions PEP 440
// rejects ("7.0.0" beside "0.7.1.fix1", "2.0.1rc2-git", "0.1-bulbasaur",
// "a3"), which once made the whole record an error; paramiko's and
// urllib3's have two branches, each with its fix; py's interval ends at
// last_affected (no fix). And every version a record lists that PEP 440
// accepts is affected, in the 28 records that list versions it rejects
// too.
func TestRealPyPAVerdicts(t *testing.T) {
	got, _ := parseFeed(t, feeds+"pypi/pypa-advisory-database.tar.gz")
	const (
		paramiko = "introduced 0, fixed 2.9.3, introduced 2.10.0, fixed 2.10.1"
		urllib3  = "introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17"
	)
	tests := []struct {
		id, pkg, v               string
		rng, comparison, fixedIn string
	}{
		{"PYSEC-2023-17", "ipython", "7.0.0", "introduced 0, fixed 8.10.0", "7.0.0 < 8.10.0 (fixed)", "8.10.0"},
		{"PYSEC-2021-356", "nltk", "3.6.3", "introduced 0, fixed 3.6.4", "3.6.3 < 3.6.4 (fixed)", "3.6.4"},
		{"PYSEC-2019-126", "supervisor", "4.0.2", "introduced 0, fixed 4.0.3", "4.0.2 < 4.0.3 (fixed)", "4.0.3"},
		{"PYSEC-2022-166", "paramiko", "2.9.2", paramiko, "2.9.2 < 2.9.3 (fixed)", "2.9.3"},
		{"PYSEC-2022-166", "paramiko", "2.10.0", paramiko, "2.10.0 < 2.10.1 (fixed)", "2.10.1"},
		{"PYSEC-2023-192", "urllib3", "1.26.12", urllib3, "1.26.12 < 1.26.17 (fixed)", "1.26.17"},
		{"PYSEC-2023-212", "urllib3", "1.26.12", "introduced 2.0.0, fixed 2.0.7, introduced 0, fixed 1.26.18", "1.26.12 < 1.26.18 (fixed)", "1.26.18"},
		{"PYSEC-2022-42969", "py", "1.11.0", "introduced 0, last_affected 1.11.0", "1.11.0 <= 1.11.0 (last_affected)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.pkg+" "+tt.v, func(t *testing.T) {
			rec, ok := got[(&strata.Vulnerability{ID: tt.id, Eco: strata.PyPI, Package: tt.pkg}).Key()]
			if !ok {
				t.Fatalf("no record %s for %s", tt.id, tt.pkg)
			}
			vd, err := version.Affected(version.PEP440{}, rec.Ranges, rec.Versions, tt.v)
			if err != nil {
				t.Fatal(err)
			}
			want := version.Verdict{Affected: true, Range: tt.rng, Comparison: tt.comparison, Fixed: tt.fixedIn}
			if diff := cmp.Diff(want, vd); diff != "" {
				t.Errorf("Affected(%s) (-want +got):\n%s", tt.v, diff)
			}
		})
	}
	t.Run("listed versions", func(t *testing.T) {
		c := version.PEP440{}
		withRejected := 0
		for _, rec := range got {
			rejected := false
			for _, lv := range rec.Versions {
				if _, err := c.Compare(lv, lv); err != nil {
					rejected = true
					continue
				}
				if vd, err := version.Affected(c, rec.Ranges, rec.Versions, lv); err != nil || !vd.Affected {
					t.Errorf("%s %s: listed %s: affected %v, error %v; want affected", rec.ID, rec.Package, lv, vd.Affected, err)
				}
			}
			withRejected += b2i(rejected)
		}
		if withRejected != 28 {
			t.Errorf("%d records list versions PEP 440 rejects, want 28", withRejected)
		}
	})
}
