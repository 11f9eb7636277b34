package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/report"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/store/storetest"
	"github.com/strata-scan/strata/internal/testutil"
)

// Two replicas on one database, 50 submissions at once of images that
// share a base layer, spread over both: every report is right, and the
// shared layer is fetched and read once between them.
func TestReplicas(t *testing.T) {
	tests := []struct {
		name string
		open func(t *testing.T) (store.Store, store.Store)
	}{
		{"sqlite", func(t *testing.T) (store.Store, store.Store) {
			path := filepath.Join(t.TempDir(), "strata.db")
			return openStore(t, func() (store.Store, error) { return sqlite.Open(t.Context(), path) })
		}},
		{"postgres", func(t *testing.T) (store.Store, store.Store) {
			conn := storetest.PostgresSchema(t)
			return openStore(t, func() (store.Store, error) { return postgres.Open(t.Context(), conn) })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.open(t)
			got := submitConcurrently(t, a, b)
			want := replicaCounts{Failures: nil, BaseGets: 1, LayerGets: images + 1, LayersRead: images + 1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The images submitted, and the submissions.
const images, submissions = 10, 50

// replicaCounts is what the submissions came to.
type replicaCounts struct {
	Failures   []string // submissions whose reports were wrong
	BaseGets   int      // GETs of the shared layer's blob
	LayerGets  int      // GETs of all blobs
	LayersRead int      // the sum of the index reports' layers_read
}

// openStore opens two stores with open, closed when the test ends.
func openStore(t *testing.T, open func() (store.Store, error)) (store.Store, store.Store) {
	t.Helper()
	var sts []store.Store
	for range 2 {
		st, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		sts = append(sts, st)
	}
	return sts[0], sts[1]
}

// submitConcurrently serves a and b, posts the manifests of the images to
// them alternately, all at once, and checks each submission's index report
// and, from the other replica, its vulnerability report.
func submitConcurrently(t *testing.T, a, b store.Store) replicaCounts {
	edit := func(c *Config) { c.Limits.MaxConcurrentIndex = submissions }
	replicas := []*api{serveStore(t, a, edit), serveStore(t, b, edit)}
	bl := serveBlobs(t)
	base := bl.add(testutil.Gzipped(t, busterLayer(t)))
	var ms []Manifest
	for i := range images {
		ms = append(ms, manifestOf(base, bl.add(mustTar(t, fmt.Sprintf("app/%d", i), "x"))))
	}
	var c replicaCounts
	var read atomic.Int32
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range submissions {
		wg.Go(func() {
			n, err := submit(replicas[i%2].url, replicas[(i+1)%2].url, ms[i%images])
			read.Add(int32(n))
			if err != nil {
				mu.Lock()
				c.Failures = append(c.Failures, fmt.Sprintf("submission %d: %v", i, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	c.BaseGets, c.LayerGets, c.LayersRead = bl.countOf(base.Hash), bl.count(), int(read.Load())
	return c
}

// submit posts m to one replica, checks its index report, then gets and
// checks its vulnerability report from the other; it returns the index
// report's layers_read.
func submit(indexer, matcher string, m Manifest) (int, error) {
	var ir report.IndexReport
	if err := call(http.MethodPost, indexer+"/indexer/api/v1/index_report", m, http.StatusCreated, &ir); err != nil {
		return 0, err
	}
	if diff := cmp.Diff(busterPackages, testutil.ReportPackages(&ir)); diff != "" {
		return ir.LayersRead, fmt.Errorf("index report packages (-want +got):\n%s", diff)
	}
	var vr report.VulnerabilityReport
	if err := call(http.MethodGet, matcher+"/matcher/api/v1/vulnerability_report/"+string(m.Hash), nil, http.StatusOK, &vr); err != nil {
		return ir.LayersRead, err
	}
	if diff := cmp.Diff(busterFindings, rows(&vr)); diff != "" {
		return ir.LayersRead, fmt.Errorf("vulnerability report findings (-want +got):\n%s", diff)
	}
	return ir.LayersRead, nil
}

// call sends a request with body (JSON, or none when nil) and decodes the
// answer, which must have the status want, into v.
func call(method, url string, body any, want int, v any) error {
	var rd bytes.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd.Reset(j)
	}
	req, err := http.NewRequest(method, url, &rd)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d", method, url, resp.StatusCode, want)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
