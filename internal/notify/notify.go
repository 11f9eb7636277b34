// Package notify turns update diffs into notifications: for each diff it
// finds the indexed images holding the package keys of the records it
// added or removed (through the store's package-key index, reading no
// layer), re-checks the version ranges with the matcher, and records one
// notification per (image, vulnerability, added|removed) in the store's
// outbox. The first diff of an updater is its baseline and notifies
// nothing.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/match"
	"github.com/strata-scan/strata/internal/store"
)

// Store is what the notifier needs of the store, besides match.Source.
type Store interface {
	UpdateDiffs(ctx context.Context, after int64) ([]strata.UpdateDiff, error)
	AffectedReports(ctx context.Context, keys []store.PackageKey) ([]*strata.IndexReport, error)
	NotifyProgress(ctx context.Context) (*store.NotifyProgress, error)
	PutNotifications(ctx context.Context, diff int64, updater string, ns []store.Notification) (bool, error)
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
}

// Notifier records the notifications of the update diffs not yet
// processed.
type Notifier struct {
	Store  Store
	Source match.Source // the current records, to tell which pairs are new
	Log    *slog.Logger
}

// Summary is what one Run recorded.
type Summary struct {
	Diffs     int // diffs processed
	Baselines int // of which the first of their updater
	// Notifications lists the notifications recorded, IDs unset.
	Notifications []store.Notification
	Busy          bool // another process was notifying: nothing was done
}

// Added counts the distinct vulnerabilities and images of the "added"
// notifications.
func (s *Summary) Added() (vulns, images int) {
	vs, ms := map[string]bool{}, map[strata.Digest]bool{}
	for _, n := range s.Notifications {
		if n.Reason == store.Added {
			vs[n.Vulnerability], ms[n.Manifest] = true, true
		}
	}
	return len(vs), len(ms)
}

// Run processes every diff after the last one processed, oldest first.
// Each diff's notifications are recorded in one transaction with the mark
// that it was processed, so a crash loses nothing and repeats nothing.
func (n *Notifier) Run(ctx context.Context) (*Summary, error) {
	unlock, ok, err := n.Store.TryLock(ctx, "notifier")
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

func (n *Notifier) process(ctx context.Context, d *strata.UpdateDiff, p *store.NotifyProgress, sum *Summary) error {
	var ns []store.Notification
	baseline := !slices.Contains(p.Updaters, d.Updater)
	if baseline {
		p.Updaters = append(p.Updaters, d.Updater)
	} else {
		var err error
		if ns, err = n.Compute(ctx, d); err != nil {
			return err
		}
	}
	done, err := n.Store.PutNotifications(ctx, d.ID, d.Updater, ns)
	if err != nil {
		return fmt.Errorf("notify: diff %d: %w", d.ID, err)
	}
	if !done {
		return nil
	}
	sum.Diffs++
	if baseline {
		sum.Baselines++
	}
	sum.Notifications = append(sum.Notifications, ns...)
	n.logger().Info("diff notified", "diff", d.ID, "updater", d.Updater, "baseline", baseline, "notifications", len(ns))
	return nil
}

func (n *Notifier) logger() *slog.Logger {
	if n.Log != nil {
		return n.Log
	}
	return slog.New(slog.DiscardHandler)
}
