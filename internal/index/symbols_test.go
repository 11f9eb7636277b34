package index_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/update/osv"
	"github.com/strata-scan/strata/internal/update/updatetest"
)

const goVulnDB = "../../../shared/data/feeds/osv/go/golang-vulndb-osv.tar.gz"

// goRecords is the Go vulnerability database of the shared data, as a
// match.Source.
type goRecords []strata.Vulnerability

func (g goRecords) Vulnerabilities(_ context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	for _, v := range g {
		for _, n := range names {
			if v.Eco == eco && v.Release == release && v.Package == n {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func (g goRecords) Covered(_ context.Context, eco strata.Ecosystem, _ string) (bool, error) {
	return eco == strata.Go, nil
}

// readGoVulnDB returns the records of the Go vulnerability database, read
// once for all the tests.
func readGoVulnDB(t *testing.T) goRecords {
	t.Helper()
	if _, err := os.Stat(goVulnDB); err != nil {
		t.Skipf("Go vulnerability database not present: %s (shared data absent)", goVulnDB)
	}
	recs, err := goVulnDBRecords()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

var goVulnDBRecords = sync.OnceValues(func() (goRecords, error) {
	return updatetest.ParseLocation(context.Background(), osv.Updater{}, goVulnDB)
})

// The real htmlcheck binary of the apps image calls x/net/html's Parse
// (and so the tokenizer's Next) but never Render, and imports neither
// http2 nor idna: the function table the linker kept says so for each
// x/net v0.7.0 finding, checked by hand against the records' symbols.
func TestRealImageGoSymbols(t *testing.T) {
	apps := sharedImage(t, "debian-bookworm-apps.oci.tar.gz")
	recs := readGoVulnDB(t)
	ix, _ := newIndexer(t)
	r := indexImage(t, ix, apps, image.Options{})
	res, err := match.Match(context.Background(), recs, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		if f.Package.Name == "golang.org/x/net" {
			got[f.Vulnerability.ID] = f.Reason.Symbols
		}
	}
	want := map[string]string{
		// golang.org/x/net/html: Render, render1.
		"GO-2023-1988": match.SymbolAbsent,
		// golang.org/x/net/html: Render, childTextNodesAreLiteral.
		"GO-2026-6866": match.SymbolAbsent,
		// golang.org/x/net/html: Parse, ParseFragment, …, Tokenizer.Next, Tokenizer.readStartTag.
		"GO-2025-3595": match.SymbolPresent,
		// golang.org/x/net/html: Parse, ParseFragment, …, parser.parse.
		"GO-2026-4440": match.SymbolPresent,
		// golang.org/x/net/http2: Server.ServeConn, serverConn.processHeaders, ….
		"GO-2023-2102": match.SymbolAbsent,
		// golang.org/x/net/idna: Profile.ToASCII, ToASCII, ….
		"GO-2026-5026": match.SymbolAbsent,
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			delete(got, id)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("x/net v0.7.0 findings' symbol verdicts (-want +got):\n%s", diff)
	}
}
