package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
)

// TestNotificationDeliveryMetrics: a webhook receiver that fails twice,
// then takes the message, makes two errors and one success.
func TestNotificationDeliveryMetrics(t *testing.T) {
	a := newAPI(t, nil)
	posts := 0
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if posts++; posts <= 2 {
			http.Error(w, "try later", http.StatusInternalServerError)
		}
	}))
	defer receiver.Close()
	d := &webhook.Deliverer{Target: receiver.URL, Callback: a.url, Client: receiver.Client(),
		Sleep:     func(ctx context.Context, _ time.Duration) error { return nil },
		Attempted: func(err error) { a.srv.Metrics().NotificationDelivery(webhook.Name, err) }}
	if err := d.Deliver(t.Context(), []store.Notification{{ID: 1, Diff: 1}}); err != nil {
		t.Fatal(err)
	}
	metrics := string(a.do("GET", "/metrics", nil).body)
	for _, want := range []string{
		`strata_notification_deliveries_total{deliverer="webhook",result="error"} 2`,
		`strata_notification_deliveries_total{deliverer="webhook",result="ok"} 1`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}
