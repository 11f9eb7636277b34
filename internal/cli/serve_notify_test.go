package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/httpapi"
	"github.com/strata-scan/strata/internal/notify/webhook"
)

// `strata serve` with a webhook configured: an image is indexed under an
// older DSA list, the background update loads the whole list, and the
// receiver gets a signed POST whose callback lists exactly the
// vulnerabilities that the image's report gained or lost.
func TestServeWebhook(t *testing.T) {
	reg, _ := drupalRegistry(t)
	m := clairManifest(t, reg, "strata-test/drupal", "1")
	posts := make(chan []byte, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || !webhook.Verify([]byte("s3cret"), body, r.Header.Get(webhook.SignatureHeader)) {
			t.Errorf("webhook POST %s: %v: signature %q does not verify", body, err, r.Header.Get(webhook.SignatureHeader))
		}
		select {
		case posts <- body:
		default: // delivered again before being acknowledged
		}
	}))
	defer receiver.Close()
	dir := t.TempDir()
	feed := filepath.Join(dir, "DSA.list")
	copyFile(t, olderDSAList(t, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)), feed)
	cfg := filepath.Join(dir, "strata.yaml")
	yaml := fmt.Sprintf("updates: {interval: 300ms}\nnotify: {webhook: {url: %q, secret: s3cret}}\n", receiver.URL)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--config", cfg, "--db", filepath.Join(dir, "strata.db"), "--source", "debian="+feed)
	waitForFeed(t, base, "debian")
	if resp := call(t, "POST", base+"/indexer/api/v1/index_report", m, nil); resp.status != http.StatusCreated {
		t.Fatalf("POST manifest: status %d: %s", resp.status, resp.body)
	}
	before := vulnerabilities(vulnerabilityReport(t, base, m.Hash))
	copyFile(t, dsaList, feed)
	var body webhook.Body
	select {
	case b := <-posts:
		httpResponse{body: b}.decode(t, &body)
	case <-time.After(60 * time.Second):
		t.Fatal("no webhook POST within 60 s")
	}
	after := vulnerabilities(vulnerabilityReport(t, base, m.Hash))
	want := changes(before, after)
	if len(want) == 0 {
		t.Fatal("the newer list changes no finding: the test proves nothing")
	}
	var page httpapi.NotificationPage
	call(t, "GET", body.Callback+"?page_size=1000", nil, nil).decode(t, &page)
	var got []string
	for _, n := range page.Notifications {
		if n.Manifest != m.Hash {
			t.Errorf("notification %s: manifest %s, want %s", n.ID, n.Manifest, m.Hash)
		}
		// The vulnerability (as the report shows it) the notification names.
		v := holding(map[string][]string{"added": after, "removed": before}[n.Reason], n.Vulnerability.Name)
		if v == "" {
			v = n.Vulnerability.Name
		}
		got = append(got, v+" "+n.Reason)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" || body.Callback != base+webhook.CallbackPath+body.NotificationID {
		t.Errorf("callback %s: notifications (-want +got):\n%s", body.Callback, diff)
	}
	// The POST summarises, by default: the image's most severe
	// notification of each reason, the first of equals.
	var summary []webhook.Notification
	for _, reason := range []string{"added", "removed"} {
		var best *webhook.Notification
		for i, n := range page.Notifications {
			if n.Reason == reason && (best == nil || severity(t, n) > severity(t, *best)) {
				best = &page.Notifications[i]
			}
		}
		if best != nil {
			summary = append(summary, *best)
		}
	}
	if diff := cmp.Diff(summary, body.Notifications); diff != "" || len(summary) == 0 {
		t.Errorf("POST body's notifications (-want +got):\n%s", diff)
	}
	t.Logf("%d notifications through %s", len(got), body.Callback)
}

// severity returns the severity of n.
func severity(t *testing.T, n webhook.Notification) strata.Severity {
	t.Helper()
	var s strata.Severity
	if err := s.UnmarshalText([]byte(n.Vulnerability.NormalizedSeverity)); err != nil {
		t.Fatal(err)
	}
	return s
}
