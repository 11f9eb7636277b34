package httpapi

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
)

func TestNotificationCallback(t *testing.T) {
	a := newAPI(t, nil)
	m := strata.Digest("sha256:0000000000000000000000000000000000000000000000000000000000000001")
	dn := &store.DiffNotifications{Sets: []store.ChangeSet{{Manifests: []strata.Digest{m}}}}
	for i, id := range []string{"CVE-1", "CVE-2", "CVE-3"} {
		dn.Changes = append(dn.Changes, store.Change{Vulnerability: id, Package: "libssl3", Version: "3.0.15-1",
			Reason: store.Added, Severity: strata.High})
		dn.Sets[0].Changes = append(dn.Sets[0].Changes, int32(i))
	}
	if _, err := a.st.PutNotifications(t.Context(), 7, "debian", dn); err != nil {
		t.Fatal(err)
	}
	gs, err := a.st.NotificationGroups(t.Context(), store.GroupFilter{Limit: 1})
	if err != nil || len(gs) != 1 {
		t.Fatalf("NotificationGroups = %v, %v", gs, err)
	}
	id := func(k int64) string { return strconv.FormatInt(store.NotificationID(gs[0].ID, k), 10) }
	entry := func(k int64, vuln string) webhook.Notification {
		return webhook.Notification{ID: id(k), Manifest: m, Reason: "added", Vulnerability: webhook.VulnSummary{
			Name: vuln, Updater: "debian", NormalizedSeverity: "High", Package: webhook.PackageSummary{Name: "libssl3", Version: "3.0.15-1"}}}
	}
	pages := []struct {
		query string
		want  NotificationPage
	}{
		{"?page_size=2", NotificationPage{Page{2, id(1)}, []webhook.Notification{entry(0, "CVE-1"), entry(1, "CVE-2")}}},
		{"?page_size=2&next=" + id(1), NotificationPage{Page{2, ""}, []webhook.Notification{entry(2, "CVE-3")}}},
		{"", NotificationPage{Page{100, ""}, []webhook.Notification{entry(0, "CVE-1"), entry(1, "CVE-2"), entry(2, "CVE-3")}}},
	}
	for _, p := range pages {
		resp := a.do("GET", "/notifier/api/v1/notification/7"+p.query, nil)
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", p.query, resp.status, resp.body)
		}
		var got NotificationPage
		resp.decode(t, &got)
		if diff := cmp.Diff(p.want, got); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", p.query, diff)
		}
	}
	statuses := []struct {
		method, path string
		want         int
	}{
		{"GET", "/notifier/api/v1/notification/x", http.StatusBadRequest},
		{"GET", "/notifier/api/v1/notification/7?page_size=0", http.StatusBadRequest},
		{"GET", "/notifier/api/v1/notification/7?next=-1", http.StatusBadRequest},
		{"GET", "/notifier/api/v1/notification/99", http.StatusNotFound},
		{"DELETE", "/notifier/api/v1/notification/7", http.StatusOK},
		{"GET", "/notifier/api/v1/notification/7", http.StatusNotFound},
		{"DELETE", "/notifier/api/v1/notification/7", http.StatusNotFound},
	}
	for _, s := range statuses {
		if resp := a.do(s.method, s.path, nil); resp.status != s.want {
			t.Errorf("%s %s: %d %s, want %d", s.method, s.path, resp.status, resp.body, s.want)
		}
	}
	pending, err := store.Notifications(t.Context(), a.st, store.NotificationFilter{Limit: 10, Pending: true})
	if err != nil || len(pending) != 0 {
		t.Errorf("pending after DELETE: %v, %v; want none", pending, err)
	}
}

// TestAffected indexes the buster excerpt and asks which images
// vulnerabilities affect, by record id and by alias.
func TestAffected(t *testing.T) {
	a := newAPI(t, nil)
	b := serveBlobs(t)
	m := manifestOf(b.add(busterLayer(t)))
	if resp := a.do("POST", "/indexer/api/v1/index_report", m); resp.status != http.StatusCreated {
		t.Fatalf("POST: status %d: %s", resp.status, resp.body)
	}
	layer := strata.Digest(m.Layers[0].Hash)
	openssl := []notify.AffectedImage{{Manifest: strata.Digest(m.Hash), Packages: []notify.AffectedPackage{
		{Name: "libssl1.1", Version: "1.1.1d-0+deb10u4", Layer: layer, Records: []string{"DSA-4855-1"}},
		{Name: "openssl", Version: "1.1.1d-0+deb10u4", Layer: layer, Records: []string{"DSA-4855-1"}},
	}}}
	tests := []struct {
		query string
		want  notify.AffectedReport
	}{
		{"DSA-4855-1", notify.AffectedReport{Vulnerability: "DSA-4855-1", Records: []string{"DSA-4855-1"}, Images: openssl, Indexed: 1, Share: 1}},
		{"CVE-2021-23840", notify.AffectedReport{Vulnerability: "CVE-2021-23840", Records: []string{"DSA-4855-1"}, Images: openssl, Indexed: 1, Share: 1}},
		// fixed in the installed version
		{"CVE-2020-1971", notify.AffectedReport{Vulnerability: "CVE-2020-1971", Records: []string{"DSA-4807-1"}, Images: []notify.AffectedImage{}, Indexed: 1}},
	}
	for _, tt := range tests {
		resp := a.do("GET", "/api/v1/affected?vulnerability="+tt.query, nil)
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", tt.query, resp.status, resp.body)
		}
		var got notify.AffectedReport
		resp.decode(t, &got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("affected %s (-want +got):\n%s", tt.query, diff)
		}
	}
	for q, want := range map[string]int{"": http.StatusBadRequest, "CVE-1999-0001": http.StatusNotFound} {
		if resp := a.do("GET", "/api/v1/affected?vulnerability="+q, nil); resp.status != want {
			t.Errorf("GET affected %q: %d %s, want %d", q, resp.status, resp.body, want)
		}
	}
}
