package httpapi

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Past limits.max_concurrent_index running index requests, another gets
// 429 with Retry-After; other routes are not limited; once one finishes
// the next is taken.
func TestConcurrencyLimit(t *testing.T) {
	a := newAPI(t, func(c *Config) {
		c.Limits.MaxConcurrentIndex = 1
		c.Limits.RetryAfter = Duration(7 * time.Second)
	})
	b := serveBlobs(t)
	m := manifestOf(b.add(busterLayer(t)))
	b.block, b.got = make(chan struct{}), make(chan struct{}, 1)
	first := make(chan response)
	go func() { first <- a.do("POST", "/indexer/api/v1/index_report", m) }()
	<-b.got // the first request is fetching its layer

	resp := a.do("POST", "/indexer/api/v1/index_report", m)
	if e := resp.apiErr(t); resp.status != http.StatusTooManyRequests || e.Code != "too-many-requests" || resp.header.Get("Retry-After") != "7" {
		t.Errorf("second index request: %d %s Retry-After %q, want 429 too-many-requests 7", resp.status, e.Code, resp.header.Get("Retry-After"))
	}
	resp = a.do("POST", "/api/v1/images", imageRequest{Reference: "127.0.0.1:1/x:1"})
	if resp.status != http.StatusTooManyRequests {
		t.Errorf("image submission while the index slot is taken: status %d, want 429", resp.status)
	}
	if resp := a.do("GET", "/indexer/api/v1/index_state", nil); resp.status != http.StatusOK {
		t.Errorf("index_state while the index slot is taken: status %d, want 200", resp.status)
	}
	close(b.block)
	if resp := <-first; resp.status != http.StatusCreated {
		t.Fatalf("first index request: status %d: %s", resp.status, resp.body)
	}
	b.mu.Lock()
	b.block, b.got = nil, nil
	b.mu.Unlock()
	if resp := a.do("POST", "/indexer/api/v1/index_report", m); resp.status != http.StatusCreated {
		t.Errorf("index request after the first finished: status %d, want 201", resp.status)
	}
	metrics := string(a.do("GET", "/metrics", nil).body)
	for _, want := range []string{
		`strata_http_requests_total{code="429",route="POST /indexer/api/v1/index_report"} 1`,
		`strata_http_requests_total{code="201",route="POST /indexer/api/v1/index_report"} 2`,
		`strata_index_reports_total{result="cached"} 1`,
		`strata_index_reports_total{result="indexed"} 1`,
		`strata_layers_indexed_total{result="read"} 1`,
		`strata_feed_records{updater="debian"} 3`,
		`strata_feed_failing{updater="debian"} 0`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	if !regexp.MustCompile(`strata_feed_age_seconds\{updater="debian"\} \d`).MatchString(metrics) {
		t.Errorf("metrics lack strata_feed_age_seconds for debian")
	}
	if !strings.Contains(metrics, `strata_http_request_duration_seconds_count{route="POST /indexer/api/v1/index_report"} 3`) {
		t.Errorf("metrics lack the latency count of the 3 index requests")
	}
}
