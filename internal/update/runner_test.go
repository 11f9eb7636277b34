package update

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// lines is a toy feed: one record per line "ID PACKAGE FIXED"; a line
// "garbage" is malformed.
type lines struct{ sources []string }

func (lines) Name() string        { return "lines" }
func (l lines) Sources() []string { return l.sources }
func (lines) Parse(_ context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("lines: %s: line %d: want 3 fields", name, n)
		}
		out = append(out, strata.Vulnerability{ID: f[0], Package: f[1], FixedVersion: f[2], Eco: strata.Deb, Release: "debian:12", State: strata.Fixed})
	}
	return out, sc.Err()
}

// feedServer serves body with an ETag, answering 304 to a matching
// If-None-Match, and counts full responses.
func feedServer(t *testing.T, body *atomic.Value, served *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := body.Load().(string)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(b)))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		served.Add(1)
		w.Header().Set("ETag", etag)
		io.WriteString(w, b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ids(t *testing.T, st *sqlite.Store, names ...string) []string {
	t.Helper()
	vs, err := st.Vulnerabilities(context.Background(), strata.Deb, "debian:12", names)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func TestRunner(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var body atomic.Value
	var served atomic.Int32
	body.Store("CVE-1 bash 5.2-2\nCVE-2 curl 7.88-1\n")
	srv := feedServer(t, &body, &served)
	u := lines{sources: []string{srv.URL + "/feed"}}
	r := &Runner{Store: st, Client: srv.Client()}

	// First run: the upstream source, all added.
	out, err := r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Unchanged || out.Records != 2 || len(out.Diff.Added) != 2 {
		t.Errorf("first run: %+v", out)
	}
	// Unchanged upstream: one conditional request, nothing parsed or
	// written but the time of the success: the data is fresh.
	first, err := st.UpdaterStatus(ctx, u.Name())
	if err != nil {
		t.Fatal(err)
	}
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Unchanged || out.Records != 2 || served.Load() != 1 {
		t.Errorf("second run: %+v, %d full responses; want unchanged, 2 records, 1 response", out, served.Load())
	}
	if second, err := st.UpdaterStatus(ctx, u.Name()); err != nil || !second.LastSuccess.After(first.LastSuccess) || second.Fingerprint != first.Fingerprint {
		t.Errorf("after the unchanged run: %+v, %v; want a later success than %v, the same fingerprint", second, err, first.LastSuccess)
	}
	// A malformed feed fails, names the line, and keeps the data.
	body.Store("CVE-1 bash 5.2-2\ngarbage\n")
	_, err = r.Run(ctx, u, nil)
	if err == nil || !strings.Contains(err.Error(), "line 2: want 3 fields") {
		t.Errorf("malformed feed: error = %v", err)
	}
	if diff := cmp.Diff([]string{"CVE-1", "CVE-2"}, ids(t, st, "bash", "curl")); diff != "" {
		t.Errorf("data after a failed update (-want +got):\n%s", diff)
	}
	status, err := st.UpdaterStatus(ctx, "lines")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status.LastError, "want 3 fields") {
		t.Errorf("last error = %q", status.LastError)
	}
	// An empty feed is refused too: it would wipe the data.
	body.Store("")
	_, err = r.Run(ctx, u, nil)
	if want := "update lines: " + srv.URL + "/feed: no records of the lines feed found in it"; err == nil || err.Error() != want {
		t.Errorf("empty feed: error = %v, want %q", err, want)
	}
	if diff := cmp.Diff([]string{"CVE-1", "CVE-2"}, ids(t, st, "bash", "curl")); diff != "" {
		t.Errorf("data after an empty update (-want +got):\n%s", diff)
	}
	// A changed feed replaces the set and reports the difference.
	body.Store("CVE-1 bash 5.2-2\nCVE-3 zlib 1.2-3\n")
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Diff.Added) != 1 || out.Diff.Added[0].ID != "CVE-3" || len(out.Diff.Removed) != 1 || out.Diff.Removed[0].ID != "CVE-2" {
		t.Errorf("changed feed diff: +%v -%v", out.Diff.Added, out.Diff.Removed)
	}
	// Several local locations make one set.
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	testutil.WriteFile(t, a, []byte("DSA-1 openssl 3.0.11-1\n"))
	testutil.WriteFile(t, b, []byte("DLA-1 curl 7.88-2\n"))
	if out, err = r.Run(ctx, u, []string{a, b}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"DLA-1", "DSA-1"}, ids(t, st, "bash", "curl", "openssl", "zlib")); diff != "" {
		t.Errorf("two locations (-want +got):\n%s", diff)
	}
	if out, err = r.Run(ctx, u, []string{a, b}); err != nil || !out.Unchanged {
		t.Errorf("same files again: %+v, %v; want unchanged", out, err)
	}
	// A record listed twice (in two locations, or twice in one) is stored
	// once, and counted once.
	dup := filepath.Join(dir, "dup")
	testutil.WriteFile(t, dup, []byte("DSA-1 openssl 3.0.11-1\nDSA-2 bash 5.2-3\nDSA-2 bash 5.2-3\n"))
	if out, err = r.Run(ctx, u, []string{a, dup}); err != nil {
		t.Fatal(err)
	}
	if out.Records != 2 {
		t.Errorf("4 records of which 2 distinct: Outcome.Records = %d, want 2", out.Records)
	}
}
