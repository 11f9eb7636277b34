package webhook

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/testutil"
)

// bufferLog returns a logger writing text lines, without times, to buf.
func bufferLog(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// TestDeliverLogs: each failed attempt is logged at WARN with its status
// and the wait before the next, the success at INFO, and Attempted hears
// of each; the target's password is never shown.
func TestDeliverLogs(t *testing.T) {
	rc := &receiver{failures: 2}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var buf bytes.Buffer
	var results []string
	d := deliverer(srv, 4, new([]time.Duration))
	d.Target = strings.Replace(srv.URL, "http://", "http://user:hunter2@", 1) + "/hook"
	d.Log = bufferLog(&buf)
	d.Attempted = func(err error) {
		results = append(results, map[bool]string{true: "ok", false: "error"}[err == nil])
	}
	if err := d.Deliver(t.Context(), []store.Notification{{ID: 7, Diff: 42}}); err != nil {
		t.Fatal(err)
	}
	target := strings.Replace(srv.URL, "http://", "http://user:xxxxx@", 1) + "/hook"
	want := strings.Join([]string{
		`level=WARN msg="notification delivery failed" deliverer=webhook notification=42 target=` + target +
			` attempt=1 status=503 err="receiver answered 503 Service Unavailable" retry=750ms`,
		`level=WARN msg="notification delivery failed" deliverer=webhook notification=42 target=` + target +
			` attempt=2 status=503 err="receiver answered 503 Service Unavailable" retry=1.5s`,
		`level=INFO msg="notification delivered" deliverer=webhook notification=42 target=` + target + ` attempt=3 status=200`,
		``}, "\n")
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"error", "error", "ok"}, results); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
}

// TestDeliverRedacts: no error or log line of a failed delivery shows the
// target's password, whether the receiver is unreachable or the URL does
// not parse.
func TestDeliverRedacts(t *testing.T) {
	closed := testutil.ClosedAddr(t)
	tests := []struct {
		name, target, wantErr string
	}{
		{"closed port", "http://user:hunter2@" + closed + "/hook",
			"webhook: notification 42 to http://user:xxxxx@" + closed + "/hook: 2 attempts: "},
		{"invalid URL", "http://user:hunter2@host:port/hook",
			"webhook: notification 42 to (an invalid URL): 2 attempts: " + ErrInvalidURL.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			d := &Deliverer{Target: tt.target, Callback: "http://strata.example", Backoff: Backoff{Attempts: 2, Base: time.Millisecond},
				Sleep: func(ctx context.Context, _ time.Duration) error { return nil }, Log: bufferLog(&buf)}
			err := d.Deliver(t.Context(), []store.Notification{{ID: 7, Diff: 42}})
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("Deliver: %v, want an error starting %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") || strings.Contains(buf.String(), "hunter2") {
				t.Errorf("the password shows: error %v, log:\n%s", err, buf.String())
			}
			if got := strings.Count(buf.String(), "level=WARN"); got != 2 {
				t.Errorf("%d WARN lines, want 2:\n%s", got, buf.String())
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	for in, want := range map[string]string{
		"amqp://guest:wrong@127.0.0.1:5672/": "amqp://guest:xxxxx@127.0.0.1:5672/",
		"https://hooks.example/x?a=1":        "https://hooks.example/x?a=1",
		"http://user@host/":                  "http://user@host/",
		"http://u:p@ss@host:port/":           "(an invalid URL)",
	} {
		if got := Redacted(in); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", in, got, want)
		}
	}
}
