package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

var secret = []byte("s3cret")

// receiver is a webhook receiver that fails the first failures posts.
type receiver struct {
	mu       sync.Mutex
	failures int
	posts    int
	bodies   []Body // the accepted ones
	badSigs  int
	onAccept func(Body)
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts++
	if !Verify(secret, b, r.Header.Get(SignatureHeader)) {
		rc.badSigs++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if rc.posts <= rc.failures {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	var body Body
	if err := json.Unmarshal(b, &body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.bodies = append(rc.bodies, body)
	if rc.onAccept != nil {
		rc.onAccept(body)
	}
}

// deliverer posts to srv, recording its waits instead of sleeping.
func deliverer(srv *httptest.Server, attempts int, waits *[]time.Duration) *Deliverer {
	return &Deliverer{
		Target: srv.URL + "/hook", Callback: "http://strata.example:8080", Secret: secret, Client: srv.Client(),
		Backoff: Backoff{Attempts: attempts, Base: time.Second, Max: 3 * time.Second},
		Sleep: func(_ context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return nil
		},
		Jitter: func() float64 { return 0.5 },
	}
}

func TestDeliver(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		wantErr   bool
		wantPosts int
		wantWaits []time.Duration
	}{
		{"first attempt", 0, false, 1, nil},
		{"after two failures", 2, false, 3, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}},
		{"back-off capped", 3, false, 4, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 2250 * time.Millisecond}},
		{"attempts exhausted", 9, true, 4, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 2250 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{failures: tt.failures}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			var waits []time.Duration
			err := deliverer(srv, 4, &waits).Deliver(t.Context(), []store.Notification{{ID: 7, Diff: 42}})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Deliver: %v, want error %v", err, tt.wantErr)
			}
			if rc.posts != tt.wantPosts || rc.badSigs != 0 {
				t.Errorf("posts = %d (%d badly signed), want %d", rc.posts, rc.badSigs, tt.wantPosts)
			}
			if diff := cmp.Diff(tt.wantWaits, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			var want []Body
			if !tt.wantErr {
				want = []Body{{NotificationID: "42", Callback: "http://strata.example:8080/notifier/api/v1/notification/42",
					Notifications: []Notification{{ID: "7", Vulnerability: VulnSummary{NormalizedSeverity: "Unknown"}}}}}
			}
			if diff := cmp.Diff(want, rc.bodies); diff != "" {
				t.Errorf("bodies received (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeliverCancelled: a delivery stopped by its context fails, and is
// neither logged nor counted as an attempt.
func TestDeliverCancelled(t *testing.T) {
	srv := httptest.NewServer(&receiver{failures: 9})
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	d := deliverer(srv, 4, new([]time.Duration))
	d.Sleep = nil
	d.Backoff.Base = time.Hour
	var buf bytes.Buffer
	d.Log = bufferLog(&buf)
	d.Attempted = func(err error) { t.Errorf("Attempted(%v) after the context was cancelled", err) }
	cancel()
	if err := d.Deliver(ctx, []store.Notification{{Diff: 1}}); err == nil {
		t.Fatal("Deliver with a cancelled context succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("a delivery stopped by its context logged:\n%s", &buf)
	}
}

// TestDispatchAtLeastOnce: the pending notifications of each diff are
// posted until the receiver acknowledges them, then never again.
func TestDispatchAtLeastOnce(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := strata.Digest("sha256:0000000000000000000000000000000000000000000000000000000000000001")
	for diff, ids := range map[int64][]string{3: {"CVE-1", "CVE-2"}, 5: {"CVE-3"}} {
		dn := &store.DiffNotifications{Sets: []store.ChangeSet{{Manifests: []strata.Digest{m}}}}
		for i, id := range ids {
			dn.Changes = append(dn.Changes, store.Change{Vulnerability: id, Package: "p", Version: "1", Reason: store.Added})
			dn.Sets[0].Changes = append(dn.Sets[0].Changes, int32(i))
		}
		if _, err := st.PutNotifications(ctx, diff, "debian", dn); err != nil {
			t.Fatal(err)
		}
	}
	rc := &receiver{failures: 2}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var waits []time.Duration
	d := deliverer(srv, 4, &waits)
	for _, want := range []int{2, 2} { // not acknowledged: delivered again
		if n, err := notify.Dispatch(ctx, st, d, notify.Delivery{Summary: notify.All}); err != nil || n != want {
			t.Fatalf("Dispatch = %d, %v; want %d", n, err, want)
		}
	}
	rc.onAccept = func(b Body) { ackDiff(t, st, b.NotificationID) } // the receiver acknowledges now
	if n, err := notify.Dispatch(ctx, st, d, notify.Delivery{Summary: notify.All}); err != nil || n != 2 {
		t.Fatalf("Dispatch = %d, %v; want 2", n, err)
	}
	if n, err := notify.Dispatch(ctx, st, d, notify.Delivery{Summary: notify.All}); err != nil || n != 0 {
		t.Fatalf("Dispatch after acknowledgement = %d, %v; want 0", n, err)
	}
	if rc.posts != 8 || len(rc.bodies) != 6 || rc.badSigs != 0 || len(waits) != 2 {
		t.Errorf("posts %d, accepted %d, bad signatures %d, waits %v; want 8, 6, 0 and two waits", rc.posts, len(rc.bodies), rc.badSigs, waits)
	}
}

// ackDiff acknowledges the notifications of a diff, as the callback's
// DELETE does.
func ackDiff(t *testing.T, st *sqlite.Store, id string) {
	var diff int64
	if err := json.Unmarshal([]byte(id), &diff); err != nil {
		t.Error(err)
		return
	}
	if _, err := st.AckNotifications(context.Background(), diff, store.LastNotification); err != nil {
		t.Error(err)
	}
}
