package amqp

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/testutil"
)

const broker = "amqp://guest:guest@127.0.0.1:5672/"

// channel connects to the local broker, or skips the test.
func channel(t *testing.T) *amqp091.Channel {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:5672", time.Second)
	if err != nil {
		t.Skipf("no AMQP broker at 127.0.0.1:5672 (%v): the AMQP deliverer is not tested", err)
	}
	c.Close()
	conn, err := amqp091.Dial(broker)
	if err != nil {
		t.Skipf("AMQP broker at %s refused guest/guest (%v): the AMQP deliverer is not tested", broker, err)
	}
	t.Cleanup(func() { conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestDeliver(t *testing.T) {
	ch := channel(t)
	q, err := ch.QueueDeclare("", false, true, true, false, nil) // a fresh exclusive queue
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("s3cret")
	d := &Deliverer{URL: broker, RoutingKey: q.Name, Callback: "http://strata.example:8080", Secret: secret}
	defer d.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, diff := range []int64{42, 43} {
		n := store.Notification{ID: diff << 24, Diff: diff, Manifest: "sha256:01", Vulnerability: "CVE-1", Reason: store.Added, Severity: strata.High}
		if err := d.Deliver(ctx, []store.Notification{n}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []webhook.Body
	for range 2 {
		select {
		case m := <-msgs:
			if sig, _ := m.Headers[webhook.SignatureHeader].(string); !webhook.Verify(secret, m.Body, sig) || m.DeliveryMode != amqp091.Persistent {
				t.Errorf("message %s: signature %q, delivery mode %d; want a valid signature, persistent", m.Body, sig, m.DeliveryMode)
			}
			var b webhook.Body
			if err := json.Unmarshal(m.Body, &b); err != nil {
				t.Fatal(err)
			}
			got = append(got, b)
		case <-ctx.Done():
			t.Fatal("no message received")
		}
	}
	note := func(id string) []webhook.Notification {
		return []webhook.Notification{{ID: id, Manifest: "sha256:01", Reason: "added",
			Vulnerability: webhook.VulnSummary{Name: "CVE-1", NormalizedSeverity: "High"}}}
	}
	want := []webhook.Body{
		{NotificationID: "42", Callback: "http://strata.example:8080/notifier/api/v1/notification/42", Notifications: note("704643072")},
		{NotificationID: "43", Callback: "http://strata.example:8080/notifier/api/v1/notification/43", Notifications: note("721420288")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestDeliverUnroutable(t *testing.T) {
	channel(t)
	d := &Deliverer{URL: broker, RoutingKey: "strata-test-no-such-queue", Callback: "http://strata.example"}
	defer d.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := d.Deliver(ctx, []store.Notification{{Diff: 1}}); err == nil {
		t.Error("Deliver to a queue that does not exist succeeded")
	}
}

func TestDeliverNoBroker(t *testing.T) {
	d := &Deliverer{URL: "amqp://guest:guest@127.0.0.1:1/", Callback: "http://strata.example"}
	if err := d.Deliver(t.Context(), []store.Notification{{Diff: 1}}); err == nil {
		t.Error("Deliver without a broker succeeded")
	}
}

// TestDeliverRedacts: a failed delivery's error names the broker's URL
// without its password, whether the broker is unreachable, refuses the
// password or the URL does not parse; Attempted hears of each attempt.
func TestDeliverRedacts(t *testing.T) {
	closed := testutil.ClosedAddr(t)
	tests := []struct {
		name, url, wantErr string
		broker             bool // needs the local broker
	}{
		{"closed port", "amqp://guest:hunter2@" + closed + "/", "amqp: amqp://guest:xxxxx@" + closed + "/: dial tcp " + closed + ": ", false},
		{"invalid URL", "amqp://guest:hunter2@host:port/", "amqp: (an invalid URL): " + webhook.ErrInvalidURL.Error(), false},
		{"wrong password", "amqp://guest:hunter2@127.0.0.1:5672/", "amqp: amqp://guest:xxxxx@127.0.0.1:5672/: Exception (403)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.broker {
				channel(t)
			}
			var attempts []error
			d := &Deliverer{URL: tt.url, Callback: "http://strata.example", Attempted: func(err error) { attempts = append(attempts, err) }}
			defer d.Close()
			err := d.Deliver(t.Context(), []store.Notification{{Diff: 1}})
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Deliver: %v, want an error starting %q, without the password", err, tt.wantErr)
			}
			if len(attempts) != 1 || attempts[0] != err {
				t.Errorf("Attempted with %v, want once with Deliver's error", attempts)
			}
		})
	}
}
