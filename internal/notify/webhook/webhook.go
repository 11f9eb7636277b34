// Package webhook delivers notifications as Clair's notifier does: an
// HTTP POST of a JSON body {"notification_id", "callback"} per update
// diff, where the callback is strata's URL at which the receiver pages
// through the diff's notifications and acknowledges them with DELETE. The
// body also carries the notifications of the message (a summary, one per
// image and reason, or all of them, as the notifier is configured) under
// "notifications", in the shape of the callback's pages; a diff with more
// than one message's worth is posted in several. The body is signed with
// HMAC-SHA256 (SignatureHeader); failed posts are retried with exponential
// back-off and jitter.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body
// under the shared secret.
const SignatureHeader = "X-Strata-Signature"

// CallbackPath is the path, under the callback base URL, of a
// notification's callback; the notification ID follows it.
const CallbackPath = "/notifier/api/v1/notification/"

// Body is what is posted: Clair's webhook body, and the notifications of
// this message.
type Body struct {
	NotificationID string         `json:"notification_id"`
	Callback       string         `json:"callback"`
	Notifications  []Notification `json:"notifications"`
}

// Notification is one (image, vulnerability, reason), as Clair's notifier
// shows it: in a message and in the pages of its callback.
type Notification struct {
	ID            string        `json:"id"`
	Manifest      strata.Digest `json:"manifest"`
	Reason        string        `json:"reason"`
	Vulnerability VulnSummary   `json:"vulnerability"`
}

// VulnSummary names the vulnerability and the package it affects.
type VulnSummary struct {
	Name string `json:"name"`
	// Aliases, strata's addition, are the vulnerability's other ids.
	Aliases            []string       `json:"aliases,omitempty"`
	Updater            string         `json:"updater"`
	NormalizedSeverity string         `json:"normalized_severity"`
	Package            PackageSummary `json:"package"`
}

// PackageSummary is the affected package.
type PackageSummary struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// NewNotification returns n in Clair's shape.
func NewNotification(n store.Notification) Notification {
	return Notification{
		ID: strconv.FormatInt(n.ID, 10), Manifest: n.Manifest, Reason: n.Reason,
		Vulnerability: VulnSummary{Name: n.Vulnerability, Aliases: n.Aliases, Updater: n.Updater, NormalizedSeverity: n.Severity.String(),
			Package: PackageSummary{Name: n.Package, Version: n.Version}},
	}
}

// Message is the encoded Body of a message of batch (notifications of one
// diff), whose callback is under the base URL callback.
func Message(callback string, batch []store.Notification) ([]byte, error) {
	if len(batch) == 0 {
		return nil, errors.New("a message of no notification")
	}
	id := strconv.FormatInt(batch[0].Diff, 10)
	cb, err := url.JoinPath(callback, CallbackPath, id)
	if err != nil {
		return nil, fmt.Errorf("notification %s: callback %q: %w", id, callback, err)
	}
	body := Body{NotificationID: id, Callback: cb, Notifications: make([]Notification, len(batch))}
	for i, n := range batch {
		body.Notifications[i] = NewNotification(n)
	}
	return json.Marshal(body)
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
// Sleep, Jitter and Log are http.DefaultClient, DefaultBackoff, a timer,
// math/rand and no logging.
type Deliverer struct {
	Target   string // the receiver's URL
	Callback string // strata's base URL, as the receiver reaches it
	Secret   []byte
	Client   *http.Client
	Backoff  Backoff
	Sleep    func(ctx context.Context, d time.Duration) error
	Jitter   func() float64 // in [0, 1)
	// Log gets each attempt: a success at INFO, a failure at WARN.
	Log *slog.Logger
	// Attempted, unless nil, is called after each attempt (each POST)
	// with its error, nil when the receiver took the message.
	Attempted func(err error)
}

// Name names the deliverer in logs and metrics.
const Name = "webhook"

// Deliver posts the message of batch (notifications of one diff),
// retrying until the receiver answers 2xx or the attempts run out.
func (d *Deliverer) Deliver(ctx context.Context, batch []store.Notification) error {
	if len(batch) == 0 {
		return nil
	}
	id := strconv.FormatInt(batch[0].Diff, 10)
	body, err := Message(d.Callback, batch)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	b := d.Backoff
	if b.Attempts == 0 {
		b = DefaultBackoff
	}
	target := Redacted(d.Target)
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for n := 0; ; n++ {
		status, err := d.post(ctx, body)
		if err != nil && ctx.Err() != nil { // stopped, not failed: neither logged nor counted
			return fmt.Errorf("webhook: notification %s to %s: %w", id, target, err)
		}
		if d.Attempted != nil {
			d.Attempted(err)
		}
		attrs := []any{"deliverer", Name, "notification", id, "target", target, "attempt", n + 1}
		if status != 0 {
			attrs = append(attrs, "status", status)
		}
		if err == nil {
			log.Info("notification delivered", attrs...)
			return nil
		}
		attrs = append(attrs, "err", err)
		if n+1 >= b.Attempts {
			log.Warn("notification delivery failed", append(attrs, "retry", "none")...)
			return fmt.Errorf("webhook: notification %s to %s: %d attempts: %w", id, target, b.Attempts, err)
		}
		w := d.wait(b, n)
		log.Warn("notification delivery failed", append(attrs, "retry", w)...)
		if err := d.sleep(ctx, w); err != nil {
			return fmt.Errorf("webhook: notification %s to %s: %w", id, target, err)
		}
	}
}

// ErrInvalidURL stands for the errors of parsing a URL, which quote it,
// password and all.
var ErrInvalidURL = errors.New("the URL does not parse (a reserved character in its user or password must be percent-encoded)")

// Redacted returns raw, a URL, with the password of its user information
// replaced by "xxxxx" (url.URL.Redacted), for errors and logs; a URL that
// does not parse, which might hold a password all the same, is not shown.
func Redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an invalid URL)"
	}
	return u.Redacted()
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

// post makes one attempt; status is the receiver's answer (0 when none).
// Its errors never show Target's password: http.Client's strip it, and a
// Target that does not parse is not quoted.
func (d *Deliverer) post(ctx context.Context, body []byte) (status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Target, bytes.NewReader(body))
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		return 0, ErrInvalidURL
	}
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(d.Secret, body))
	client := d.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
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
