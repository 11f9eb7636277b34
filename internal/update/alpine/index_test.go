package alpine

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/update"
)

// indexPage is an index in the shape of https://secdb.alpinelinux.org/,
// an nginx listing (anchore/vunnel's alpine tests quote the real one):
// CRLF line ends, the parent link, the release folders sorted as text,
// and two files.
func indexPage(dirs ...string) string {
	var b strings.Builder
	b.WriteString("<html>\r\n<head><title>Index of /</title></head>\r\n<body>\r\n<h1>Index of /</h1><hr><pre><a href=\"../\">../</a>\r\n")
	for _, d := range dirs {
		fmt.Fprintf(&b, "<a href=\"%s\">%s</a>%*s03-Dec-2026 05:12                   -\r\n", d, d, 51-len(d), "")
	}
	b.WriteString("<a href=\"last-update\">last-update</a>                                        03-Dec-2026 05:12                  11\r\n")
	b.WriteString("<a href=\"license.txt\">license.txt</a>                                        26-May-2020 13:30                 190\r\n")
	b.WriteString("</pre><hr></body>\r\n</html>\r\n")
	return b.String()
}

func TestParseIndex(t *testing.T) {
	page := indexPage("edge/", "v3.10/", "v3.2/", "v3.20/", "v3.9/", "v3.9/", "vx/", "v3/")
	rels, err := parseIndex([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rels {
		got = append(got, fmt.Sprintf("%s %v", r.dir, r.community()))
	}
	want := []string{"v3.2/ false", "v3.9/ true", "v3.10/ true", "v3.20/ true", "edge/ true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ name, page, want string }{
		{"cut", page[:len(page)/2], "the page ends before </html> (is it truncated?)"},
		{"no release", indexPage("foo/"), "it lists no release folder (vMAJOR.MINOR/ or edge/)"},
		{"not a listing", "<html>Service unavailable</html>", "it lists no release folder (vMAJOR.MINOR/ or edge/)"},
	} {
		if _, err := parseIndex([]byte(tt.page)); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
	}
}

// secdbServer serves files (path → body) with an ETag, answering 304 to
// a matching If-None-Match, and logs each request as "PATH STATUS".
type secdbServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string]string
	log   []string
}

func newSecdbServer(t *testing.T, files map[string]string) *secdbServer {
	s := &secdbServer{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		body, ok := s.files[r.URL.Path]
		status := http.StatusOK
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(body)))
		switch {
		case !ok:
			status = http.StatusNotFound
		case r.Header.Get("If-None-Match") == etag:
			status = http.StatusNotModified
		case r.URL.Path != "/": // nginx gives directory listings no ETag
			w.Header().Set("ETag", etag)
		}
		s.log = append(s.log, fmt.Sprintf("%s %d", r.URL.Path, status))
		w.WriteHeader(status)
		if status == http.StatusOK {
			fmt.Fprint(w, body)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// requests returns the requests logged since the last call.
func (s *secdbServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log
	s.log = nil
	return out
}

func (s *secdbServer) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = body
}

func TestDiscover(t *testing.T) {
	srv := newSecdbServer(t, map[string]string{"/": indexPage("edge/", "v3.2/", "v3.3/")})
	got, err := Updater{Index: srv.URL}.Discover(context.Background(), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		srv.URL + "/v3.2/main.json",
		srv.URL + "/v3.3/main.json", srv.URL + "/v3.3/community.json",
		srv.URL + "/edge/main.json", srv.URL + "/edge/community.json",
		"https://packages.wolfi.dev/os/security.json", "https://packages.cgr.dev/chainguard/security.json",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
}

func TestSources(t *testing.T) {
	want := []string{"https://secdb.alpinelinux.org/", "https://packages.wolfi.dev/os/security.json", "https://packages.cgr.dev/chainguard/security.json"}
	if diff := cmp.Diff(want, Updater{}.Sources()); diff != "" {
		t.Errorf("Sources (-want +got):\n%s", diff)
	}
}

// v3.3Community is the real v3.3/community.yaml of the alpine-secdb
// archive (shared/data/feeds/alpine/secdb-yaml): a repository without
// fixes.
const v3_3Community = `---
distroversion: v3.3
reponame: community
archs:
  - x86_64
  - x86
  - armhf
urlprefix: http://dl-cdn.alpinelinux.org/alpine
apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk"
packages:
`

// TestRunDiscovered updates from a secdb server whose index lists two
// releases, then again when nothing changed, when a release is added, and
// when the index cannot be read.
func TestRunDiscovered(t *testing.T) {
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the warnings of v3.3/main
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	srv := newSecdbServer(t, map[string]string{
		"/":                     indexPage("v3.10/", "v3.3/"),
		"/v3.3/main.json":       read("v3.3-main.yaml"), // the document's form is told from its content
		"/v3.3/community.json":  v3_3Community,
		"/v3.10/main.json":      `{"distroversion": "v3.10", "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.2.11-r2": ["CVE-2019-12900"]}}}]}`,
		"/v3.10/community.json": read("v3.10-community.json"),
		"/wolfi.json":           read("wolfi-security.json"),
	})
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u := Updater{Index: srv.URL + "/", Rolling: []string{srv.URL + "/wolfi.json"}}
	r := &update.Runner{Store: st, Client: srv.Client()}
	releases := func() map[string]int {
		vs, err := st.UpdaterVulnerabilities(ctx, "alpine")
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, v := range vs {
			n[v.Release]++
		}
		return n
	}
	docs := []string{"/v3.3/main.json", "/v3.3/community.json", "/v3.10/main.json", "/v3.10/community.json", "/wolfi.json"}
	with := func(status int, paths ...string) []string {
		out := []string{"/ 200"}
		for _, p := range paths {
			out = append(out, fmt.Sprintf("%s %d", p, status))
		}
		return out
	}

	// First run: every release listed, v3.3's empty community document
	// among them; the records of TestGolden, and zlib's.
	out, err := r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"alpine:3.3": 457, "alpine:3.10": 10, "wolfi:rolling": 53}
	if diff := cmp.Diff(want, releases()); diff != "" || out.Records != 520 || len(out.Diff.Added) != 520 {
		t.Errorf("first run: %d records, %d added; by release (-want +got):\n%s", out.Records, len(out.Diff.Added), diff)
	}
	if diff := cmp.Diff(with(200, docs...), srv.requests()); diff != "" {
		t.Errorf("first run requests (-want +got):\n%s", diff)
	}

	// Nothing changed: the index, then one conditional request per
	// document, each answered 304; nothing is written.
	if out, err = r.Run(ctx, u, nil); err != nil || !out.Unchanged || out.Records != 520 {
		t.Errorf("second run: %+v, %v; want unchanged, 520 records", out, err)
	}
	if diff := cmp.Diff(with(304, docs...), srv.requests()); diff != "" {
		t.Errorf("second run requests (-want +got):\n%s", diff)
	}

	// A new release in the index is read from that run on.
	srv.set("/", indexPage("v3.10/", "v3.11/", "v3.3/"))
	srv.set("/v3.11/main.json", `{"distroversion": "v3.11", "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.2.11-r3": ["CVE-2019-12900"]}}}]}`)
	srv.set("/v3.11/community.json", `{"distroversion": "v3.11", "packages": []}`)
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Diff.Added) != 1 || out.Diff.Added[0].Release != "alpine:3.11" || len(out.Diff.Removed) != 0 || out.Records != 521 {
		t.Errorf("new release: %d records, +%v -%v", out.Records, out.Diff.Added, out.Diff.Removed)
	}

	// An index that cannot be read fails, naming it; the data stay.
	srv.set("/", "<html><body>Bad gateway")
	srv.requests()
	_, err = r.Run(ctx, u, nil)
	if want := "update alpine: alpine: release index " + srv.URL + "/: the page ends before </html> (is it truncated?)"; err == nil || err.Error() != want {
		t.Errorf("cut index: error %v\nwant %s", err, want)
	}
	if diff := cmp.Diff([]string{"/ 200"}, srv.requests()); diff != "" {
		t.Errorf("cut index requests (-want +got):\n%s", diff)
	}
	want["alpine:3.11"] = 1
	if diff := cmp.Diff(want, releases()); diff != "" {
		t.Errorf("records after a failed run (-want +got):\n%s", diff)
	}
	u.Index = srv.URL + "/gone/"
	if _, err = r.Run(ctx, u, nil); err == nil || err.Error() != "update alpine: alpine: release index: fetch "+srv.URL+"/gone/: 404 Not Found" {
		t.Errorf("missing index: error %v", err)
	}
}
