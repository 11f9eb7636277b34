package update

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
)

// fetchURLAll runs Fetch on srv's URL plus path with the server's client.
func fetchURLAll(t *testing.T, srv *httptest.Server, path string, prev Fingerprint) ([]doc, Fingerprint, error) {
	t.Helper()
	var docs []doc
	fp, err := Fetch(context.Background(), srv.Client(), srv.URL+path, prev, func(d Document) error {
		b, err := io.ReadAll(d.Body)
		docs = append(docs, doc{d.Name, string(b)})
		return err
	})
	return docs, fp, err
}

func TestFetchURLETag(t *testing.T) {
	var requests []string // If-None-Match of each request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests = append(requests, r.Header.Get("If-None-Match"))
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "strata/") {
			t.Errorf("User-Agent = %q, want strata/…", r.Header.Get("User-Agent"))
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "feed body")
	}))
	defer srv.Close()

	docs, fp, err := fetchURLAll(t, srv, "/feed.json", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]doc{{srv.URL + "/feed.json", "feed body"}}, docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if want := Fingerprint(`etag=%22v1%22`); fp != want {
		t.Errorf("fingerprint = %q, want %q", fp, want)
	}
	docs, fp2, err := fetchURLAll(t, srv, "/feed.json", fp)
	if !errors.Is(err, ErrUnchanged) || fp2 != fp || len(docs) != 0 {
		t.Errorf("second fetch = %d documents, %q, %v; want none, %q, ErrUnchanged", len(docs), fp2, err, fp)
	}
	if want := []string{"", `"v1"`}; !cmp.Equal(want, requests) {
		t.Errorf("If-None-Match sent = %q, want %q", requests, want)
	}
}

func TestFetchURLLastModified(t *testing.T) {
	const lastMod = "Tue, 01 Jul 2025 10:00:00 GMT"
	modified := time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)
	tgz := testutil.Gzipped(t, feedTar(t))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeContent answers If-Modified-Since itself.
		http.ServeContent(w, r, "", modified, strings.NewReader(string(tgz)))
	}))
	defer srv.Close()

	docs, fp, err := fetchURLAll(t, srv, "/feed", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tarDocs(srv.URL+"/feed"), docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if want := Fingerprint("last-modified=" + strings.NewReplacer(" ", "+", ",", "%2C", ":", "%3A").Replace(lastMod)); fp != want {
		t.Errorf("fingerprint = %q, want %q", fp, want)
	}
	if _, _, err := fetchURLAll(t, srv, "/feed", fp); !errors.Is(err, ErrUnchanged) {
		t.Errorf("second fetch: err = %v, want ErrUnchanged", err)
	}
}

func TestFetchURLNoValidators(t *testing.T) {
	body := "same body"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, body)
	}))
	defer srv.Close()

	_, fp, err := fetchURLAll(t, srv, "/", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := sha([]byte(body)); fp != want {
		t.Errorf("fingerprint = %q, want the content hash %q", fp, want)
	}
	if docs, _, err := fetchURLAll(t, srv, "/", fp); !errors.Is(err, ErrUnchanged) || len(docs) != 0 {
		t.Errorf("same body: %d documents, %v; want none, ErrUnchanged", len(docs), err)
	}
	body = "new body"
	if docs, _, err := fetchURLAll(t, srv, "/", fp); err != nil || len(docs) != 1 || docs[0].Body != body {
		t.Errorf("new body: %v, %v; want it read", docs, err)
	}
}

func TestFetchURLRetry(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int  // answers in turn; the last repeats
		header   string // Retry-After sent with the failures
		wantErr  string // with URL for the server's URL
		wantReqs int32
	}{
		{"503 then 200", []int{503, 200}, "0", "", 2},
		{"429 then 429 then 200", []int{429, 429, 200}, "0", "", 3},
		{"503 three times", []int{503}, "0", "fetch URL/feed: 503 Service Unavailable (after 3 tries)", 3},
		{"Retry-After too long", []int{429}, "3600", "fetch URL/feed: 429 Too Many Requests (retry after 1h0m0s)", 1},
		{"404", []int{404}, "", "fetch URL/feed: 404 Not Found", 1},
		{"500 is not retried", []int{500}, "0", "fetch URL/feed: 500 Internal Server Error", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				status := tt.statuses[min(i, len(tt.statuses)-1)]
				if status != http.StatusOK {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					http.Error(w, "busy", status)
					return
				}
				io.WriteString(w, "ok")
			}))
			defer srv.Close()
			docs, _, err := fetchURLAll(t, srv, "/feed", "")
			if n.Load() != tt.wantReqs {
				t.Errorf("%d requests, want %d", n.Load(), tt.wantReqs)
			}
			if tt.wantErr == "" {
				if err != nil || len(docs) != 1 || docs[0].Body != "ok" {
					t.Errorf("got %v, %v; want the body", docs, err)
				}
				return
			}
			if want := strings.ReplaceAll(tt.wantErr, "URL", srv.URL); err == nil || err.Error() != want {
				t.Errorf("error = %v, want %q", err, want)
			}
		})
	}
}

func TestFetchURLBackoffCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable) // no Retry-After: back off 1s
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Fetch(ctx, srv.Client(), srv.URL, "", func(Document) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the context's deadline", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Tue, 01 Jul 2025 10:00:30 GMT", 30 * time.Second, true},
		{"Tue, 01 Jul 2025 09:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := retryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
