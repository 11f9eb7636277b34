// Package amqp delivers notifications to a message broker (RabbitMQ):
// each message of an update diff is a persistent message carrying the
// webhook's body ({"notification_id", "callback", "notifications"}) and
// its HMAC-SHA256 signature header, published with publisher confirms, so
// that Deliver returns only once the broker has taken the message.
package amqp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/strata-scan/strata/internal/notify/webhook"
	"github.com/strata-scan/strata/internal/store"
)

// Deliverer publishes to Exchange ("" is the default exchange, which
// routes by queue name) with RoutingKey.
type Deliverer struct {
	URL        string // amqp://user:password@host:5672/vhost
	Exchange   string
	RoutingKey string
	Callback   string // strata's base URL, as the receiver reaches it
	Secret     []byte
	// Log, unless nil, gets each message the broker took, at INFO; a
	// failure is Deliver's error (Dispatch is retried on its next round).
	Log *slog.Logger
	// Attempted, unless nil, is called after each attempt (each Deliver)
	// with its error, nil when the broker took the message.
	Attempted func(err error)

	mu      sync.Mutex
	conn    *amqp091.Connection
	ch      *amqp091.Channel
	returns chan amqp091.Return // messages the broker could not route
}

// Name names the deliverer in logs and metrics.
const Name = "amqp"

// Deliver publishes the message of batch (notifications of one diff) and
// waits for the broker's confirmation. Its errors show URL without its
// password.
func (d *Deliverer) Deliver(ctx context.Context, batch []store.Notification) error {
	if len(batch) == 0 {
		return nil
	}
	err := d.deliver(ctx, batch)
	if d.Attempted != nil && (err == nil || ctx.Err() == nil) { // one stopped did not fail
		d.Attempted(err)
	}
	if err == nil && d.Log != nil {
		d.Log.Info("notification delivered", "deliverer", Name, "notification", batch[0].Diff,
			"target", webhook.Redacted(d.URL), "exchange", d.Exchange, "routing_key", d.RoutingKey)
	}
	return err
}

func (d *Deliverer) deliver(ctx context.Context, batch []store.Notification) error {
	body, err := webhook.Message(d.Callback, batch)
	if err != nil {
		return fmt.Errorf("amqp: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.connect(); err != nil {
		return fmt.Errorf("amqp: %s: %w", webhook.Redacted(d.URL), err)
	}
	conf, err := d.ch.PublishWithDeferredConfirmWithContext(ctx, d.Exchange, d.RoutingKey, true, false, amqp091.Publishing{
		ContentType:  "application/json",
		DeliveryMode: amqp091.Persistent,
		MessageId:    fmt.Sprintf("%d-%d", batch[0].Diff, batch[0].ID), // a diff may take several messages
		Headers:      amqp091.Table{webhook.SignatureHeader: webhook.Sign(d.Secret, body)},
		Body:         body,
	})
	if err == nil {
		err = d.confirmed(ctx, conf)
	}
	if err != nil {
		d.closeLocked()
		return fmt.Errorf("amqp: notification %d to %q/%q: %w", batch[0].Diff, d.Exchange, d.RoutingKey, err)
	}
	return nil
}

// confirmed waits for the broker's confirmation of a message; one it
// could not route to any queue came back (basic.return precedes the
// confirmation) and is an error.
func (d *Deliverer) confirmed(ctx context.Context, conf *amqp091.DeferredConfirmation) error {
	ok, err := conf.WaitContext(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("the broker refused the message")
	}
	select {
	case r := <-d.returns:
		return fmt.Errorf("the broker could not route the message: %s", r.ReplyText)
	default:
		return nil
	}
}

// connect opens the connection and a confirming channel unless open.
func (d *Deliverer) connect() error {
	if d.ch != nil && !d.ch.IsClosed() {
		return nil
	}
	d.closeLocked()
	conn, err := amqp091.Dial(d.URL)
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		return webhook.ErrInvalidURL
	}
	if err != nil {
		return err
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err != nil {
		conn.Close()
		return err
	}
	d.conn, d.ch = conn, ch
	d.returns = ch.NotifyReturn(make(chan amqp091.Return, 1))
	return nil
}

// Close closes the connection, if open.
func (d *Deliverer) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closeLocked()
}

func (d *Deliverer) closeLocked() error {
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn, d.ch = nil, nil
	return err
}
