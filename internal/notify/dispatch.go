package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/strata-scan/strata/internal/store"
)

// Deliverer is one notification channel. Deliver hands over one message:
// some pending notifications of one diff (all of them, or a summary); the
// receiver acknowledges the diff's notifications later (through the
// store), so they are delivered again until it does: at least once.
type Deliverer interface {
	Deliver(ctx context.Context, batch []store.Notification) error
}

// The summaries of Dispatch.
const (
	// PerImage delivers, as Clair does by default, one notification per
	// image and reason: its most severe vulnerability.
	PerImage = "per-image"
	// All delivers every notification.
	All = "all"
)

// MessageSize is the most notifications Dispatch puts in one message.
const MessageSize = 1000

// Delivery is what Dispatch delivers.
type Delivery struct {
	// Summary is All (every notification) or PerImage (the most severe
	// of each image and reason).
	Summary string
	// Expire, unless 0, is how long after a diff was notified its
	// notifications are delivered: older ones are not sent again (the
	// store keeps them, listed and acknowledgeable, all the same).
	Expire time.Duration
}

// Dispatch hands the pending notifications to d, diff by diff in diff
// order, in messages of at most MessageSize, as how says. It returns how
// many messages it delivered. It stops at the first failed delivery: what
// was not delivered stays pending.
func Dispatch(ctx context.Context, st store.GroupReader, d Deliverer, how Delivery) (int, error) {
	if how.Summary != PerImage && how.Summary != All {
		return 0, fmt.Errorf("notify: dispatch: summary %q: want %q or %q", how.Summary, PerImage, All)
	}
	var expired time.Time // groups created before it are not delivered
	if how.Expire > 0 {
		expired = time.Now().Add(-how.Expire)
	}
	var batch []store.Notification
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := d.Deliver(ctx, batch); err != nil {
			return fmt.Errorf("notify: deliver diff %d: %w", batch[0].Diff, err)
		}
		n++
		batch = nil
		return nil
	}
	add := func(x store.Notification) error {
		if len(batch) == MessageSize || len(batch) > 0 && batch[0].Diff != x.Diff {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, x)
		return nil
	}
	var failed error // a failed delivery, said as flush says it
	err := store.EachPendingGroup(ctx, st, func(g *store.NotificationGroup) error {
		if g.Created.Before(expired) {
			return nil
		}
		failed = eachPending(g, how.Summary == PerImage, add)
		return failed
	})
	switch {
	case failed != nil:
		return n, failed
	case err != nil:
		return n, fmt.Errorf("notify: dispatch: %w", err)
	}
	return n, flush()
}

// eachPending calls fn with the pending notifications of g, in order, or,
// when perImage, with the most severe of each image and reason; those of
// deleted images were dropped (the pending pairs of an image are dropped
// all together or not at all).
func eachPending(g *store.NotificationGroup, perImage bool, fn func(store.Notification) error) error {
	nc := int64(len(g.Changes))
	if nc == 0 {
		return nil
	}
	var whole []int64 // the most severe change of each reason, when all of an image's are pending
	for mi := g.Acked / nc; mi < int64(len(g.Manifests)); mi++ {
		first := max(g.Acked-mi*nc, 0) // the first pending change of image mi
		if g.Dropped(mi*nc + first) {
			continue // the image was deleted: so were its pending notifications
		}
		var cs []int64
		switch {
		case !perImage:
			for c := first; c < nc; c++ {
				cs = append(cs, c)
			}
		case first > 0:
			cs = mostSevere(g.Changes, first)
		default:
			if whole == nil {
				whole = mostSevere(g.Changes, 0)
			}
			cs = whole
		}
		for _, c := range cs {
			if err := fn(g.Notification(mi*nc + c)); err != nil {
				return err
			}
		}
	}
	return nil
}

// mostSevere returns the index of the most severe of changes[first:] of
// each reason (the first of equals), added before removed.
func mostSevere(changes []store.Change, first int64) []int64 {
	var out []int64
	for _, reason := range []string{store.Added, store.Removed} {
		best := int64(-1)
		for c := first; c < int64(len(changes)); c++ {
			if changes[c].Reason == reason && (best < 0 || changes[c].Severity > changes[best].Severity) {
				best = c
			}
		}
		if best >= 0 {
			out = append(out, best)
		}
	}
	return out
}
