// Package notify turns update diffs into notifications: for each diff it
// finds the indexed images holding a package version that the records it
// added or removed affect (through the store's package index: each
// version under the records' keys is matched once, no report or layer is
// read), and records one notification per (image, vulnerability,
// added|removed) in the store's outbox, in sets of images that get the
// same changes. The first diff of an updater is its baseline and
// notifies nothing. Dispatch hands the pending notifications to the
// deliverers, summarised per image or not.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Store is what the notifier needs of the store, besides Index.
type Store interface {
	UpdateDiffs(ctx context.Context, after int64) ([]strata.UpdateDiff, error)
	NotifyProgress(ctx context.Context) (*store.NotifyProgress, error)
	PutNotifications(ctx context.Context, diff int64, updater string, n *store.DiffNotifications) (bool, error)
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// Notifier records the notifications of the update diffs not yet
// processed.
type Notifier struct {
	Store Store
	Index Index // the images and records, to find those a diff affects
	Log   *slog.Logger
	// Wait is how long Run waits for another process that is recording
	// notifications (it may have read the diffs before an update's that
	// are then Run's to record); 0 is not at all: Run says Busy.
	Wait time.Duration
}

// Summary is what one Run recorded.
type Summary struct {
	Diffs int // diffs processed
	// Baselines lists the updaters whose first diff was processed (it
	// notifies nothing), in diff order.
	Baselines []string
	// Recorded holds the notifications of each diff processed but the
	// baselines.
	Recorded []*store.DiffNotifications
	Busy     bool // another process was notifying: nothing was done
}

// Notifications counts the notifications recorded.
func (s *Summary) Notifications() int64 {
	var n int64
	for _, dn := range s.Recorded {
		n += dn.Count()
	}
	return n
}

// Added counts the distinct vulnerabilities and images of the "added"
// notifications.
func (s *Summary) Added() (vulns, images int) {
	vs, ms := map[string]bool{}, map[strata.Digest]bool{}
	for _, dn := range s.Recorded {
		for _, set := range dn.Sets {
			added := false
			for _, c := range set.Changes {
				if ch := dn.Changes[c]; ch.Reason == store.Added {
					vs[ch.Vulnerability], added = true, true
				}
			}
			if added {
				for _, m := range set.Manifests {
					ms[m] = true
				}
			}
		}
	}
	return len(vs), len(ms)
}

// Run processes every diff after the last one processed, oldest first.
// Each diff's notifications are recorded in one transaction with the mark
// that it was processed, so a crash loses nothing and repeats nothing.
func (n *Notifier) Run(ctx context.Context) (*Summary, error) {
	unlock, ok, err := n.lock(ctx)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if !ok {
		return &Summary{Busy: true}, nil
	}
	defer unlock()
	p, err := n.Store.NotifyProgress(ctx)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	diffs, err := n.Store.UpdateDiffs(ctx, p.LastDiff)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	sum := &Summary{}
	for i := range diffs {
		if err := n.process(ctx, &diffs[i], p, sum); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// lock takes the notifier's lock, waiting for it up to n.Wait; ok is
// false when another process held it all that time.
func (n *Notifier) lock(ctx context.Context) (unlock func(), ok bool, err error) {
	if n.Wait <= 0 {
		return n.Store.TryLock(ctx, "notifier")
	}
	wctx, cancel := context.WithTimeout(ctx, n.Wait)
	defer cancel()
	unlock, err = n.Store.Lock(wctx, "notifier")
	switch {
	case err == nil:
		return unlock, true, nil
	case ctx.Err() == nil && wctx.Err() != nil:
		return nil, false, nil
	}
	return nil, false, err
}

func (n *Notifier) process(ctx context.Context, d *strata.UpdateDiff, p *store.NotifyProgress, sum *Summary) error {
	dn := &store.DiffNotifications{}
	baseline := !slices.Contains(p.Updaters, d.Updater)
	if baseline {
		p.Updaters = append(p.Updaters, d.Updater)
	} else {
		var err error
		if dn, err = n.Compute(ctx, d); err != nil {
			return err
		}
	}
	done, err := n.Store.PutNotifications(ctx, d.ID, d.Updater, dn)
	if err != nil {
		return fmt.Errorf("notify: diff %d: %w", d.ID, err)
	}
	if !done {
		return nil
	}
	sum.Diffs++
	if baseline {
		sum.Baselines = append(sum.Baselines, d.Updater)
	} else {
		sum.Recorded = append(sum.Recorded, dn)
	}
	n.logger().Info("diff notified", "diff", d.ID, "updater", d.Updater, "baseline", baseline,
		"notifications", dn.Count(), "sets", len(dn.Sets))
	return nil
}

func (n *Notifier) logger() *slog.Logger {
	if n.Log != nil {
		return n.Log
	}
	return slog.New(slog.DiscardHandler)
}
