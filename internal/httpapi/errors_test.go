package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Bad input gets the status and code of the error table and a message
// naming what was wrong.
func TestErrors(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.Limits.MaxBodyBytes = 4096 })
	b := serveBlobs(t)
	good := b.add(busterLayer(t))
	layer := func(edit func(*ManifestLayer)) Manifest {
		l := good
		l.Headers = map[string][]string{"Authorization": {"Bearer layer-token"}}
		edit(&l)
		return manifestOf(l)
	}
	const post, reports = "POST", "/indexer/api/v1/index_report"
	tests := []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		code, message      string // message: a part of it
	}{
		{"not JSON", post, reports, []byte("{"), nil, 400, "bad-request", "request body: unexpected EOF"},
		{"two values", post, reports, []byte("{} {}"), nil, 400, "bad-request", "more than one JSON value"},
		{"wrong content type", post, reports, manifestOf(good), []string{"Content-Type: text/plain"}, 415, "unsupported-media-type", `Content-Type "text/plain"`},
		{"no hash", post, reports, Manifest{Layers: []ManifestLayer{good}}, nil, 400, "bad-request", `manifest hash: digest "": missing algorithm`},
		{"no layers", post, reports, Manifest{Hash: manifestOf(good).Hash}, nil, 400, "bad-request", "no layers"},
		{"bad layer hash", post, reports, layer(func(l *ManifestLayer) { l.Hash = "md5:00" }), nil, 400, "bad-request", `layer 1: hash: digest "md5:00": unknown algorithm "md5"`},
		{"file URI", post, reports, layer(func(l *ManifestLayer) { l.URI = "file:///etc/passwd" }), nil, 400, "bad-request", `uri "file:///etc/passwd": want an http or https URL`},
		{"bad header name", post, reports, layer(func(l *ManifestLayer) { l.Headers = map[string][]string{"X Y": {"1"}} }), nil, 400, "bad-request", `header name "X Y"`},
		{"header injection", post, reports, layer(func(l *ManifestLayer) { l.Headers = map[string][]string{"X": {"1\r\nY: 2"}} }), nil, 400, "bad-request", "control character"},
		{"too large", post, reports, bytes.Repeat([]byte(" "), 5000), nil, 413, "too-large", "more than 4096 bytes"},
		{"layer not found", post, reports, layer(func(l *ManifestLayer) { l.URI = b.url + "/blobs/missing?sig=secret" }), nil, 502, "layer-fetch-failed", "GET " + b.url + "/blobs/missing: 404 Not Found"},
		{"layer refused", post, reports, layer(func(l *ManifestLayer) { l.Headers = nil }), nil, 502, "layer-fetch-failed", "401 Unauthorized"},
		{"wrong digest", post, reports, layer(func(l *ManifestLayer) { l.Hash = manifestOf(good).Hash }), nil, 422, "invalid-layer", "digest mismatch"},
		{"bad path digest", "GET", reports + "/sha256:abc", nil, nil, 400, "bad-request", `digest "sha256:abc": want 64 hex digits, have 3`},
		{"unknown manifest", "GET", reports + "/sha256:" + strings.Repeat("0", 64), nil, nil, 404, "not-found", "not found"},
		{"unknown report", "GET", "/matcher/api/v1/vulnerability_report/sha256:" + strings.Repeat("0", 64), nil, nil, 404, "not-found", "not found"},
		{"unknown route", "GET", "/indexer/api/v2/index_state", nil, nil, 404, "not-found", "no such route: GET /indexer/api/v2/index_state"},
		{"wrong method", "PUT", reports, nil, nil, 405, "method-not-allowed", "PUT /indexer/api/v1/index_report (allowed: DELETE, POST)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := a.do(tt.method, tt.path, tt.body, tt.headers...)
			e := resp.apiErr(t)
			if resp.status != tt.status || e.Code != tt.code || !strings.Contains(e.Message, tt.message) {
				t.Errorf("got %d %s %q, want %d %s and a message with %q", resp.status, e.Code, e.Message, tt.status, tt.code, tt.message)
			}
			if strings.Contains(e.Message, "secret") {
				t.Errorf("message %q shows the URI's query", e.Message)
			}
		})
	}
}

// Every sentinel of the error table maps to its own status, and wrapping
// keeps it.
func TestClassify(t *testing.T) {
	var got []int
	for _, e := range errorTable {
		st, _ := classify(fmt.Errorf("context: %w", e.err))
		got = append(got, st)
	}
	want := []int{404, 404, 405, 400, 415, 413, 401, 429, 502, 422, 502, 503}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if st, code := classify(http.ErrBodyNotAllowed); st != 500 || code != "internal" {
		t.Errorf("classify(other error) = %d %s, want 500 internal", st, code)
	}
}
