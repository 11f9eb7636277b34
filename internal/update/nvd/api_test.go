package nvd

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/update"
)

// serverTime is the API's clock in fakeAPI's answers.
const serverTime = "2025-09-01T00:00:00.000"

// fakeAPI serves the CVEs of the real API 2.0 pages under
// ../../../testdata/feeds/nvd as the CVE API 2.0 does: filtered by
// lastModified, paged by startIndex, at most pageSize per answer (fewer
// than the 2000 asked for, as the NVD may). It checks each query, answers
// the first request 429, and records the queries.
type fakeAPI struct {
	t        *testing.T
	pageSize int
	apiKey   string // the apiKey header every request must carry

	mu      sync.Mutex
	cves    []json.RawMessage // {"cve": …} items
	queries []string          // "startIndex lastModStartDate lastModEndDate"
	times   []time.Time       // when each request came
	limited bool              // the 429 was sent
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, pageSize: 3}
	paths, err := filepath.Glob("../../../testdata/feeds/nvd/api-2.0/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("API pages: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		f.cves = append(f.cves, page.Vulnerabilities...)
	}
	return f
}

// set replaces (or adds) the item of a CVE, given as the JSON of its "cve".
func (f *fakeAPI) set(id, cve string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	item := json.RawMessage(`{"cve": ` + cve + `}`)
	for i, c := range f.cves {
		if itemField(f.t, c, "id") == id {
			f.cves[i] = item
			return
		}
	}
	f.cves = append(f.cves, item)
}

func itemField(t *testing.T, item json.RawMessage, field string) string {
	var v struct {
		CVE map[string]any `json:"cve"`
	}
	if err := json.Unmarshal(item, &v); err != nil {
		t.Fatal(err)
	}
	s, _ := v.CVE[field].(string)
	return s
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.times = append(f.times, time.Now())
	if !f.limited {
		f.limited = true
		w.Header().Set("Retry-After", "0")
		http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
		return
	}
	q := r.URL.Query()
	start, end, err := f.window(q.Get("lastModStartDate"), q.Get("lastModEndDate"))
	index, ierr := strconv.Atoi(q.Get("startIndex"))
	switch {
	case r.URL.Path != "/rest/json/cves/2.0":
		err = fmt.Errorf("path %s", r.URL.Path)
	case q.Get("resultsPerPage") != "2000":
		err = fmt.Errorf("resultsPerPage %q, want 2000", q.Get("resultsPerPage"))
	case ierr != nil:
		err = fmt.Errorf("startIndex: %v", ierr)
	case r.Header.Get("apiKey") != f.apiKey:
		err = fmt.Errorf("apiKey %q, want %q", r.Header.Get("apiKey"), f.apiKey)
	}
	if err != nil {
		f.t.Errorf("query %s: %v", r.URL.RawQuery, err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.queries = append(f.queries, strings.TrimSpace(fmt.Sprintf("%d %s %s", index, q.Get("lastModStartDate"), q.Get("lastModEndDate"))))
	var match []json.RawMessage
	for _, c := range f.cves {
		mod, err := parseTime("lastModified", itemField(f.t, c, "lastModified"))
		if err != nil {
			f.t.Fatal(err)
		}
		if start.IsZero() || !mod.Before(start) && !mod.After(end) {
			match = append(match, c)
		}
	}
	page := append([]json.RawMessage{}, match[min(index, len(match)):min(index+f.pageSize, len(match))]...)
	json.NewEncoder(w).Encode(map[string]any{
		"resultsPerPage": len(page), "startIndex": index, "totalResults": len(match),
		"format": "NVD_CVE", "version": "2.0", "timestamp": serverTime, "vulnerabilities": page,
	})
}

// window reads the lastModified range of a query: none, or both ends,
// at most 120 days apart.
func (f *fakeAPI) window(start, end string) (time.Time, time.Time, error) {
	if start == "" && end == "" {
		return time.Time{}, time.Time{}, nil
	}
	s, err1 := time.Parse("2006-01-02T15:04:05.000-07:00", start)
	e, err2 := time.Parse("2006-01-02T15:04:05.000-07:00", end)
	switch {
	case err1 != nil || err2 != nil:
		return s, e, fmt.Errorf("lastModStartDate %q, lastModEndDate %q: want both, ISO-8601", start, end)
	case e.Sub(s) > 120*24*time.Hour || e.Before(s):
		return s, e, fmt.Errorf("window %s to %s: longer than 120 days", start, end)
	}
	return s, e, nil
}

func (f *fakeAPI) start(t *testing.T) Updater {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return Updater{url: srv.URL + "/rest/json/cves/2.0", wait: time.Millisecond}
}

func setNow(t *testing.T, s string) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	prev := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = prev })
}

func ids(vs []strata.Vulnerability) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	slices.Sort(out)
	return out
}

func TestChangesFull(t *testing.T) {
	api := newFakeAPI(t)
	api.apiKey = "a-key"
	t.Setenv(apiKeyEnv, "a-key")
	ch, err := api.start(t).Changes(t.Context(), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ // the 8 CVEs of the pages but CVE-2016-3197, Rejected
		"CVE-2016-1897", "CVE-2016-2781", "CVE-2016-3674", "CVE-2018-14618",
		"CVE-2022-1576", "CVE-2024-3094", "CVE-2025-4565",
	}
	if diff := cmp.Diff(want, ids(ch.Records)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if !ch.Full || ch.Cursor != "2025-09-01T00:00:00Z" || ch.IDs != nil {
		t.Errorf("Full %v, Cursor %q, IDs %v; want a full set and the server's time", ch.Full, ch.Cursor, ch.IDs)
	}
	// The first request was answered 429 and sent again; pages of 3.
	if diff := cmp.Diff([]string{"0", "3", "6"}, api.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if len(api.times) != 4 {
		t.Errorf("%d requests, want 4 (one 429)", len(api.times))
	}
}

// An incremental read asks for windows of 120 days from the cursor to now,
// and returns each CVE modified in them; a rejected one without a record.
func TestChangesIncremental(t *testing.T) {
	api := newFakeAPI(t)
	setNow(t, "2025-12-01T00:00:00Z")
	ch, err := api.start(t).Changes(t.Context(), nil, "2023-11-01T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	wantQueries := []string{
		"0 2023-11-01T00:00:00.000+00:00 2024-02-29T00:00:00.000+00:00",
		"0 2024-02-29T00:00:00.000+00:00 2024-06-28T00:00:00.000+00:00",
		"0 2024-06-28T00:00:00.000+00:00 2024-10-26T00:00:00.000+00:00",
		"0 2024-10-26T00:00:00.000+00:00 2025-02-23T00:00:00.000+00:00",
		"0 2025-02-23T00:00:00.000+00:00 2025-06-23T00:00:00.000+00:00",
		"0 2025-06-23T00:00:00.000+00:00 2025-10-21T00:00:00.000+00:00",
		"0 2025-10-21T00:00:00.000+00:00 2025-12-01T00:00:00.000+00:00",
	}
	if diff := cmp.Diff(wantQueries, api.queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	// Modified from 2023-11-07 (CVE-2016-3197, Rejected) to 2025-08-14;
	// CVE-2024-3094 was last modified in 2026.
	wantIDs := []string{
		"CVE-2016-1897", "CVE-2016-2781", "CVE-2016-3197", "CVE-2016-3674",
		"CVE-2018-14618", "CVE-2022-1576", "CVE-2025-4565",
	}
	if diff := cmp.Diff(wantIDs, ch.IDs); diff != "" {
		t.Errorf("changed IDs (-want +got):\n%s", diff)
	}
	wantRecords := slices.DeleteFunc(slices.Clone(wantIDs), func(id string) bool { return id == "CVE-2016-3197" })
	if diff := cmp.Diff(wantRecords, ids(ch.Records)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if ch.Full || ch.Cursor != "2025-09-01T00:00:00Z" {
		t.Errorf("Full %v, Cursor %q; want changes and the server's time", ch.Full, ch.Cursor)
	}
}

// The cursor is never later than the end of the last window, whatever the
// server's clock says.
func TestChangesCursorAtMostWindowEnd(t *testing.T) {
	api := newFakeAPI(t)
	setNow(t, "2025-08-01T12:00:00Z") // before serverTime
	ch, err := api.start(t).Changes(t.Context(), nil, "2025-07-01T00:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Cursor != "2025-08-01T12:00:00Z" {
		t.Errorf("cursor %q, want the window's end 2025-08-01T12:00:00Z", ch.Cursor)
	}
}

// Requests are spaced by the pause the rate limit asks for.
func TestChangesPaced(t *testing.T) {
	api := newFakeAPI(t)
	u := api.start(t)
	u.wait = 50 * time.Millisecond
	if _, err := u.Changes(t.Context(), nil, ""); err != nil {
		t.Fatal(err)
	}
	// The 429's retry is update.Get's, unpaced: the spacing holds from
	// the second request on. The server sees the requests with some
	// jitter, hence the 10 % allowance.
	for i := 2; i < len(api.times); i++ {
		if gap := api.times[i].Sub(api.times[i-1]); gap < u.wait*9/10 {
			t.Errorf("request %d came %s after the previous, want about %s", i, gap, u.wait)
		}
	}
	if len(api.times) != 4 {
		t.Errorf("%d requests, want 4", len(api.times))
	}
}

func TestDefaultWait(t *testing.T) {
	t.Setenv(apiKeyEnv, "")
	if c := (Updater{}).newAPIClient(nil); c.wait != 6*time.Second || c.header.Get("apiKey") != "" {
		t.Errorf("without a key: wait %s, apiKey %q; want 6s and none", c.wait, c.header.Get("apiKey"))
	}
	t.Setenv(apiKeyEnv, "k")
	if c := (Updater{}).newAPIClient(nil); c.wait != 600*time.Millisecond || c.header.Get("apiKey") != "k" {
		t.Errorf("with a key: wait %s, apiKey %q; want 600ms and k", c.wait, c.header.Get("apiKey"))
	}
}

func TestChangesErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cursor  string
		want    string // the error's end
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "", ": 500 Internal Server Error"},
		{"forbidden, retried", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "", http.StatusForbidden)
		}, "", ": 403 Forbidden (after 3 tries)"},
		{"empty page", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"totalResults": 5, "vulnerabilities": []}`)
		}, "", ": no CVEs at startIndex 0 of 5 results"},
		{"not an API answer", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<html>maintenance</html>`)
		}, "", ": invalid character '<' looking for beginning of value"},
		{"bad cursor", nil, "yesterday", `stored cursor "yesterday": parsing time "yesterday" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "yesterday" as "2006"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			_, err := Updater{url: srv.URL, wait: time.Millisecond}.Changes(t.Context(), nil, tt.cursor)
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("error %v, want one ending %q", err, tt.want)
			}
		})
	}
}

// The runner loads the whole set, then applies the changes: a CVE
// rejected since is removed, a modified one replaced.
func TestRunnerIncremental(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	api := newFakeAPI(t)
	u := api.start(t)
	r := &update.Runner{Store: st}
	out, err := r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Records != 7 || len(out.Diff.Added) != 7 {
		t.Errorf("full run: %d records, %d added; want 7", out.Records, len(out.Diff.Added))
	}
	setNow(t, "2025-10-01T00:00:00Z")
	api.set("CVE-2016-3674", `{"id": "CVE-2016-3674", "published": "2016-05-17T14:08:01.133", "lastModified": "2025-09-15T10:00:00.000", "vulnStatus": "Rejected"}`)
	api.set("CVE-2022-1576", `{"id": "CVE-2022-1576", "published": "2022-07-11T13:15:08.503", "lastModified": "2025-09-16T10:00:00.000", "vulnStatus": "Modified",
		"metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "CRITICAL"}}]},
		"weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-352"}]}]}`)
	api.queries = nil
	out, err = r.Run(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"0 2025-09-01T00:00:00.000+00:00 2025-10-01T00:00:00.000+00:00"}, api.queries); diff != "" {
		t.Errorf("incremental queries (-want +got):\n%s", diff)
	}
	if out.Records != 6 || len(out.Diff.Removed) != 2 || len(out.Diff.Added) != 1 {
		t.Errorf("incremental run: %d records, %d removed, %d added; want 6, 2 (a rejected CVE, the old record of a modified one), 1", out.Records, len(out.Diff.Removed), len(out.Diff.Added))
	}
	got, err := st.VulnerabilitiesByIDs(ctx, Name, []string{"CVE-2016-3674", "CVE-2022-1576"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "CVE-2022-1576" || got[0].Severity != strata.Critical || got[0].CVSS[0].Score != 9.8 {
		t.Errorf("after the changes: %+v; want CVE-2022-1576 alone, now 9.8 Critical", got)
	}
}
