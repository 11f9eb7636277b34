package httpapi

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/updaters"
)

// shared is the read-only shared data folder beside the checkout.
const shared = "../../../shared/data"

// BenchmarkVulnerabilityReport measures the handler of one vulnerability
// report (store reads, matching, JSON) of the bookworm-openssl image
// against every feed of the shared data, without the network: see
// bench/api for the figures over loopback.
func BenchmarkVulnerabilityReport(b *testing.B) {
	archive := filepath.Join(shared, "images/debian-bookworm-openssl.oci.tar.gz")
	if _, err := os.Stat(archive); err != nil {
		b.Skipf("%s not present (shared data absent)", archive)
	}
	st, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "strata.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sources := map[string][]string{
		"debian": {"feeds/debian/security-tracker/DSA.list", "feeds/debian/security-tracker/DLA.list", "feeds/debian/security-tracker/DTSA.list"},
		"ubuntu": {"feeds/ubuntu/uct/ubuntu-cve-tracker-active-2020-06.tar.gz"},
	}
	r := &update.Runner{Store: st}
	for name, files := range sources {
		u, err := updaters.ByName(name)
		if err != nil {
			b.Fatal(err)
		}
		var locs []string
		for _, f := range files {
			locs = append(locs, filepath.Join(shared, f))
		}
		if _, err := r.Run(b.Context(), u, locs); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := New(Defaults(), st, nil)
	if err != nil {
		b.Fatal(err)
	}
	im, err := image.Open(b.Context(), archive, image.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer im.Close()
	ir, err := srv.indexer.Index(b.Context(), im)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/matcher/api/v1/vulnerability_report/"+string(ir.ManifestDigest), nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
