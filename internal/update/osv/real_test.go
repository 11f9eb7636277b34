package osv_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/osv"
)

const feeds = "../../../../shared/data/feeds/osv/"

// parseFeed parses every document of the feed at path, skipping the test
// when the shared data is absent, and returns the records by key and the
// number of documents that gave at least one.
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
