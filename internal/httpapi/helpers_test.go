package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/debian"
)

// api is a server under test over a store holding the DSA.excerpt.list
// records.
type api struct {
	t   *testing.T
	srv *Server
	url string
	st  store.Store
}

// newAPI starts a server over a fresh SQLite store with the defaults
// changed by edit (may be nil).
func newAPI(t *testing.T, edit func(*Config)) *api {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return serveStore(t, st, edit)
}

// serveStore loads the DSA.excerpt.list records into st and starts a
// server over it with the defaults changed by edit (may be nil).
func serveStore(t *testing.T, st store.Store, edit func(*Config)) *api {
	t.Helper()
	r := &update.Runner{Store: st}
	if _, err := r.Run(t.Context(), debian.Updater{}, []string{"testdata/DSA.excerpt.list"}); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &api{t: t, srv: srv, url: hs.URL, st: st}
}

// response is what a request got.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; body, when not a []byte, is sent as JSON. Headers
// are "Name: value" strings.
func (a *api) do(method, path string, body any, headers ...string) response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(a.t.Context(), method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Add(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// decode decodes a JSON response body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// apiErr decodes an error body.
func (r response) apiErr(t *testing.T) apiError {
	t.Helper()
	var e apiError
	r.decode(t, &e)
	return e
}

// blobs serves layer blobs at /blobs/DIGEST, to those that send the
// header "Authorization: Bearer layer-token", and counts the GETs.
type blobs struct {
	url   string
	mu    sync.Mutex
	data  map[strata.Digest][]byte
	gets  map[strata.Digest]int
	block chan struct{} // when not nil, each GET waits for it to close
	got   chan struct{} // when not nil, told of each GET
}

func serveBlobs(t *testing.T) *blobs {
	b := &blobs{data: map[strata.Digest][]byte{}, gets: map[strata.Digest]int{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer layer-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		b.mu.Lock()
		d := strata.Digest(strings.TrimPrefix(r.URL.Path, "/blobs/"))
		data, ok := b.data[d]
		b.gets[d]++
		block, got := b.block, b.got
		b.mu.Unlock()
		if got != nil {
			got <- struct{}{}
		}
		if block != nil {
			<-block
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(hs.Close)
	b.url = hs.URL
	return b
}

// add serves blob and returns the manifest layer that points at it.
func (b *blobs) add(blob []byte) ManifestLayer {
	d := strata.Digest(fmt.Sprintf("sha256:%x", sha256.Sum256(blob)))
	b.mu.Lock()
	b.data[d] = blob
	b.mu.Unlock()
	return ManifestLayer{Hash: d, URI: b.url + "/blobs/" + string(d),
		Headers: map[string][]string{"Authorization": {"Bearer layer-token"}}}
}

// count returns the number of GETs of all blobs.
func (b *blobs) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.gets {
		n += c
	}
	return n
}

// countOf returns the number of GETs of one blob.
func (b *blobs) countOf(d strata.Digest) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gets[d]
}

// busterLayer is a layer holding testdata/buster-excerpt: Debian 10 with
// curl, libcurl4, libssl1.1 and openssl.
func busterLayer(t *testing.T) []byte {
	t.Helper()
	l, err := testutil.DpkgLayer("testdata/buster-excerpt")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// manifestOf returns a Clair manifest of the layers, with a made-up
// manifest digest derived from them.
func manifestOf(layers ...ManifestLayer) Manifest {
	h := sha256.New()
	for _, l := range layers {
		h.Write([]byte(l.Hash))
	}
	return Manifest{Hash: strata.Digest(fmt.Sprintf("sha256:%x", h.Sum(nil))), Layers: layers}
}

// row is one finding of a vulnerability report: "package version vulnerability fixed".
func rows(vr *report.VulnerabilityReport) []string {
	var out []string
	for pid, vids := range vr.PackageVulnerabilities {
		for _, vid := range vids {
			p, v := vr.Packages[pid], vr.Vulnerabilities[vid]
			out = append(out, strings.Join([]string{p.Name, p.Version, v.Name, v.FixedInVersion}, " "))
		}
	}
	slices.Sort(out)
	return out
}
