package redhat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/update"
)

// feedServer serves a VEX folder as Red Hat lays it out: the real 2023
// archive, real documents, and changes.csv and deletions.csv as the test
// sets them, answering "not modified" to a matching If-None-Match.
type feedServer struct {
	mu         sync.Mutex
	lists      map[string]string // changes.csv, deletions.csv
	docs       map[string]string // path → testdata file
	requests   []string
	unmodified int
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/vex/")
	s.requests = append(s.requests, p)
	switch {
	case p == "archive_latest.txt":
		w.Write([]byte("csaf_vex_2023-10-31.tar.zst\n"))
	case p == "csaf_vex_2023-10-31.tar.zst":
		http.ServeFile(w, r, "testdata/csaf_vex_2023-10-31.tar.zst")
	case s.lists[p] != "":
		sum := sha256.Sum256([]byte(s.lists[p]))
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		if r.Header.Get("If-None-Match") == etag {
			s.unmodified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write([]byte(s.lists[p]))
	case s.docs[p] != "":
		b, err := os.ReadFile(filepath.Join("testdata", s.docs[p]))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

// took returns the paths requested since the last call.
func (s *feedServer) took() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.requests
	s.requests = nil
	return out
}

func (s *feedServer) set(list, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists[list] = body
}

// countByID counts an updater's stored records per vulnerability.
func countByID(t *testing.T, st *sqlite.Store) map[string]int {
	t.Helper()
	vs, err := st.UpdaterVulnerabilities(context.Background(), "redhat")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, v := range vs {
		m[v.ID]++
	}
	return m
}

// The runner's incremental path against a server laid out as Red Hat's:
// a first run reads the archive and the changes since its day; the next
// read only the documents changed or deleted since; unchanged lists cost
// a "not modified" each and nothing else.
func TestIncremental(t *testing.T) {
	ctx := context.Background()
	feed := &feedServer{
		lists: map[string]string{
			// The archive of 2023-10-31 holds CVE-2023-0030, -0044, -0045,
			// -0049 and -0051; of them -0045 (4 records), -0049 (4) and
			// -0051 (3) are about RHEL. A change of the day before is in it.
			"changes.csv": `"2024/cve-2024-0727.json","2024-01-25T10:00:00+00:00"` + "\n" +
				`"2023/cve-2023-0051.json","2023-10-30T08:00:00+00:00"` + "\n",
			"deletions.csv": `"2023/cve-2023-0049.json","2023-11-02T00:00:00+00:00"` + "\n",
		},
		docs: map[string]string{
			"2024/cve-2024-0727.json":  "cve-2024-0727-openssl.json",
			"2023/cve-2023-0051.json":  "no such file: must not be asked for",
			"2023/cve-2023-38545.json": "cve-2023-38545.json.gz",
		},
	}
	srv := httptest.NewServer(feed)
	defer srv.Close()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &update.Runner{Store: st, Client: srv.Client()}
	u := Updater{Base: srv.URL + "/vex/"}

	out, err := r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"CVE-2023-0045": 4, "CVE-2023-0051": 3, "CVE-2024-0727": 31}, countByID(t, st)); diff != "" {
		t.Errorf("after the first run, records per id (-want +got):\n%s", diff)
	}
	if out.Records != 38 {
		t.Errorf("first run: %d records, want 38", out.Records)
	}
	wantRequests := []string{"archive_latest.txt", "csaf_vex_2023-10-31.tar.zst", "changes.csv", "deletions.csv", "2024/cve-2024-0727.json"}
	if diff := cmp.Diff(wantRequests, feed.took()); diff != "" {
		t.Errorf("first run's requests (-want +got):\n%s", diff)
	}

	// curl's CVE changes, CVE-2023-0051 is withdrawn.
	feed.set("changes.csv", `"2024/cve-2024-0727.json","2024-01-25T10:00:00+00:00"`+"\n"+
		`"2023/cve-2023-38545.json","2024-06-01T00:00:00+00:00"`+"\n")
	feed.set("deletions.csv", `"2023/cve-2023-0049.json","2023-11-02T00:00:00+00:00"`+"\n"+
		`"2023/cve-2023-0051.json","2024-06-02T00:00:00Z"`+"\n")
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"CVE-2023-0045": 4, "CVE-2023-38545": 10, "CVE-2024-0727": 31}, countByID(t, st)); diff != "" {
		t.Errorf("after the second run, records per id (-want +got):\n%s", diff)
	}
	if len(out.Diff.Added) != 10 || len(out.Diff.Removed) != 3 {
		t.Errorf("second run: %d added, %d removed; want 10 and 3", len(out.Diff.Added), len(out.Diff.Removed))
	}
	if diff := cmp.Diff([]string{"changes.csv", "deletions.csv", "2023/cve-2023-38545.json"}, feed.took()); diff != "" {
		t.Errorf("second run's requests (-want +got):\n%s", diff)
	}

	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Unchanged || out.Records != 45 || feed.unmodified != 2 {
		t.Errorf("third run: %+v, %d not-modified answers; want unchanged, 45 records, 2", out, feed.unmodified)
	}
	if diff := cmp.Diff([]string{"changes.csv", "deletions.csv"}, feed.took()); diff != "" {
		t.Errorf("third run's requests (-want +got):\n%s", diff)
	}
	status, err := st.UpdaterStatus(ctx, "redhat")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status.Fingerprint, "since=2024-06-02T00%3A00%3A00Z") {
		t.Errorf("stored fingerprint %q does not hold the latest change's time", status.Fingerprint)
	}
}

func TestChangesErrors(t *testing.T) {
	tests := []struct {
		name, latest, changes, want string
	}{
		{"archive name", "../../etc/passwd", "",
			`redhat: BASE/archive_latest.txt: "../../etc/passwd" is not an archive name (csaf_vex_YYYY-MM-DD.tar.zst)`},
		{"path", "csaf_vex_2023-10-31.tar.zst", `"https://elsewhere.example/x.json","2024-01-01T00:00:00Z"` + "\n",
			`redhat: BASE/changes.csv: line 1: "https://elsewhere.example/x.json" is not a document path (YYYY/cve-YYYY-N.json)`},
		{"time", "csaf_vex_2023-10-31.tar.zst", `"2024/cve-2024-1.json","yesterday"` + "\n",
			`redhat: BASE/changes.csv: line 1: bad time "yesterday": want RFC 3339`},
		{"fields", "csaf_vex_2023-10-31.tar.zst", `"2024/cve-2024-1.json"` + "\n",
			`redhat: BASE/changes.csv: record on line 1: wrong number of fields`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/archive_latest.txt":
					w.Write([]byte(tt.latest))
				case "/csaf_vex_2023-10-31.tar.zst":
					http.ServeFile(w, r, "testdata/csaf_vex_2023-10-31.tar.zst")
				case "/changes.csv":
					w.Write([]byte(tt.changes))
				default:
					w.Write(nil)
				}
			}))
			defer srv.Close()
			_, err := Updater{Base: srv.URL + "/"}.Changes(context.Background(), srv.Client(), "")
			want := strings.ReplaceAll(tt.want, "BASE/", srv.URL+"/")
			if err == nil || err.Error() != want {
				t.Errorf("error = %v\nwant    %s", err, want)
			}
		})
	}
}

func TestCursor(t *testing.T) {
	c, ok := parseCursor(cursor{changesFP: "etag=%22a%22", deletesFP: "sha256:00"}.String())
	if !ok || !c.since.IsZero() || c.changesFP != "etag=%22a%22" || c.deletesFP != "sha256:00" {
		t.Errorf("round trip: %+v, %v", c, ok)
	}
	for _, bad := range []string{"", "since=yesterday", "%zz"} {
		if _, ok := parseCursor(bad); ok {
			t.Errorf("parseCursor(%q) accepted", bad)
		}
	}
}

// Parse reads the bulk archive as a --source location, document by
// document: the records are those of the first run less the changes.
func TestArchiveAsSource(t *testing.T) {
	vs := parseFile(t, "csaf_vex_2023-10-31.tar.zst")
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
		if v.Eco != strata.RPM || !strings.HasPrefix(v.Release, "rhel:") {
			t.Errorf("%s: %s %s", v.Key(), v.Eco, v.Release)
		}
	}
	if diff := cmp.Diff([]string{"CVE-2023-0045", "CVE-2023-0049", "CVE-2023-0051"}, slices.Sorted(maps.Keys(ids))); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}
