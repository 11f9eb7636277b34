// Package webhook delivers notifications as Clair's notifier does: one
// HTTP POST per update diff of a JSON body {"notification_id",
// "callback"}, where the callback is strata's URL at which the receiver
// pages through the diff's notifications and acknowledges them with
// DELETE. The body is signed with HMAC-SHA256 (SignatureHeader); failed
// posts are retried with exponential back-off and jitter.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/strata-scan/strata/internal/store"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body
// under the shared secret.
const SignatureHeader = "X-Strata-Signature"

// CallbackPath is the path, under the callback base URL, of a
// notification's callback; the notification ID follows it.
const CallbackPath = "/notifier/api/v1/notification/"

// Body is what is posted (Clair's webhook body).
type Body struct {
	NotificationID string `json:"notification_id"`
	Callback       string `json:"callback"`
}

// Message is the encoded Body of the notification of diff, whose
// callback is under the base URL callback.
func Message(callback string, diff int64) ([]byte, error) {
	id := strconv.FormatInt(diff, 10)
	cb, err := url.JoinPath(callback, CallbackPath, id)
	if err != nil {
		return nil, fmt.Errorf("notification %s: callback %q: %w", id, callback, err)
	}
	return json.Marshal(Body{NotificationID: id, Callback: cb})
}

// Backoff says how often and how long to retry: the wait after attempt n
// (from 0) is Base·2ⁿ, at most Max, of which a random half is taken off
// (jitter).
type Backoff struct {
	Attempts  int
	Base, Max time.Duration
}

// DefaultBackoff tries 8 times within about four minutes.
var DefaultBackoff = Backoff{Attempts: 8, Base: time.Second, Max: time.Minute}

// Deliverer posts notifications to Target. Its zero Client, Backoff,
// Sleep and Jitter are http.DefaultClient, DefaultBackoff, a timer and
// math/rand.
type Deliverer struct {
	Target   string // the receiver's URL
	Callback string // strata's base URL, as the receiver reaches it
	Secret   []byte
	Client   *http.Client
	Backoff  Backoff
	Sleep    func(ctx context.Context, d time.Duration) error
	Jitter   func() float64 // in [0, 1)
}

// Deliver posts one body for the diff of batch (every notification of a
// batch belongs to one diff), retrying until the receiver answers 2xx or
// the attempts run out.
func (d *Deliverer) Deliver(ctx context.Context, batch []store.Notification) error {
	if len(batch) == 0 {
		return nil
	}
	id := strconv.FormatInt(batch[0].Diff, 10)
	body, err := Message(d.Callback, batch[0].Diff)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	b := d.Backoff
	if b.Attempts == 0 {
		b = DefaultBackoff
	}
	for n := 0; ; n++ {
		err = d.post(ctx, body)
		if err == nil {
			return nil
		}
		if n+1 >= b.Attempts {
			return fmt.Errorf("webhook: notification %s to %s: %d attempts: %w", id, d.Target, b.Attempts, err)
		}
		if err := d.sleep(ctx, d.wait(b, n)); err != nil {
			return fmt.Errorf("webhook: notification %s to %s: %w", id, d.Target, err)
		}
	}
}

// wait is the back-off after attempt n: Base·2ⁿ capped at Max, less a
// random part of up to half of it.
func (d *Deliverer) wait(b Backoff, n int) time.Duration {
	w := b.Max
	if n < 32 && b.Base<<n > 0 && b.Base<<n < b.Max {
		w = b.Base << n
	}
	jitter := rand.Float64
	if d.Jitter != nil {
		jitter = d.Jitter
	}
	return w - time.Duration(jitter()*float64(w/2))
}

func (d *Deliverer) sleep(ctx context.Context, w time.Duration) error {
	if d.Sleep != nil {
		return d.Sleep(ctx, w)
	}
	t := time.NewTimer(w)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// post makes one attempt.
func (d *Deliverer) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(d.Secret, body))
	client := d.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// Sign returns the SignatureHeader value of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is body's signature under secret, in
// constant time.
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(secret, body)))
}
