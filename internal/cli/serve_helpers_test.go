package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-scan/strata/internal/store/storetest"
)

// startServe runs `strata serve --listen 127.0.0.1:0 ARGS…` until the test
// ends and returns its base URL.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &listenWatcher{addr: make(chan string, 1)}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), io.Discard, stderr)
	}()
	select {
	case addr := <-stderr.addr:
		t.Cleanup(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("strata serve: exit %d\n%s", code, stderr)
			}
		})
		return addr
	case code := <-done:
		cancel()
		t.Fatalf("strata serve: exit %d before listening\n%s", code, stderr)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("strata serve: not listening after 30 s\n%s", stderr)
	}
	return ""
}

// listenWatcher keeps what serve writes to stderr and sends the URL of
// its "listening on" line.
type listenWatcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
}

func (w *listenWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, url, ok := strings.Cut(string(p), "strata serve: listening on "); ok {
		w.addr <- strings.TrimSpace(url)
	}
	return w.buf.Write(p)
}

func (w *listenWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitForFeed waits until serve's background update has loaded the feed.
func waitForFeed(t *testing.T, base, feed string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var st struct {
			Updaters []struct {
				Updater   string
				LastError string `json:"last_error"`
				Records   int
			}
		}
		call(t, "GET", base+"/api/v1/updates", nil, nil).decode(t, &st)
		for _, u := range st.Updaters {
			switch {
			case u.Updater != feed:
			case u.LastError != "":
				t.Fatalf("feed %s failed to load: %s", feed, u.LastError)
			case u.Records > 0:
				return
			}
		}
	}
	t.Fatalf("feed %s not loaded after 60 s", feed)
}

// httpResponse is what call got.
type httpResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r httpResponse) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %.200s: %v", r.body, err)
	}
}

// call sends a request, with body as JSON when not nil.
func call(t *testing.T, method, u string, body any, h http.Header) httpResponse {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(req.Header, h)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpResponse{resp.StatusCode, resp.Header, b}
}

// serveDBs are the databases strata serve is tested on; open makes a
// fresh one for a test and returns its --db value.
var serveDBs = []struct {
	name string
	open func(*testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "serve.db") }},
	{"postgres", postgresDB},
}

// postgresDB returns the URL of a fresh schema (storetest.PostgresSchema)
// for strata serve --db, which takes postgres:// URLs only; it skips the
// test when STRATA_TEST_POSTGRES is not set.
func postgresDB(t *testing.T) string {
	t.Helper()
	db := storetest.PostgresSchema(t)
	if u, err := url.Parse(db); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s: want a postgres:// URL for strata serve --db, have %q", storetest.PostgresEnv, os.Getenv(storetest.PostgresEnv))
	}
	return db
}

// clairctl returns a clairctl binary: $STRATA_CLAIRCTL, else one built by
// `go install` into a temporary directory. The test is skipped when
// neither works.
func clairctl(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("STRATA_CLAIRCTL"); p != "" {
		return p
	}
	const pkg = "github.com/quay/clair/v4/cmd/clairctl@latest"
	gobin := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "install", pkg)
	cmd.Dir, cmd.Env = gobin, append(os.Environ(), "GOBIN="+gobin, "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		t.Skipf("clairctl cannot be built here (go install %s: %v: %s); set STRATA_CLAIRCTL to a clairctl binary to run this test", pkg, err, first)
	}
	return filepath.Join(gobin, "clairctl")
}
