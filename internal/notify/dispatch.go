package notify

import (
	"context"
	"fmt"

	"github.com/strata-scan/strata/internal/store"
)

// Deliverer is one notification channel. Deliver hands over one diff's
// pending notifications; the receiver acknowledges them later (through the
// store), so a batch is delivered again until it is: at least once.
type Deliverer interface {
	Deliver(ctx context.Context, batch []store.Notification) error
}

// PendingStore is what Dispatch needs of the store.
type PendingStore interface {
	Notifications(ctx context.Context, f store.NotificationFilter) ([]store.Notification, error)
}

// dispatchPage is how many notifications Dispatch reads at a time.
const dispatchPage = 1000

// Dispatch hands every pending notification to d, one batch per diff, in
// diff order, and returns how many batches it delivered. It stops at the
// first failed delivery: what was not delivered stays pending.
func Dispatch(ctx context.Context, st PendingStore, d Deliverer) (int, error) {
	var after int64
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
	for {
		ns, err := st.Notifications(ctx, store.NotificationFilter{After: after, Limit: dispatchPage, Pending: true})
		if err != nil {
			return n, fmt.Errorf("notify: dispatch: %w", err)
		}
		for _, x := range ns {
			if len(batch) > 0 && batch[0].Diff != x.Diff {
				if err := flush(); err != nil {
					return n, err
				}
			}
			batch = append(batch, x)
		}
		if len(ns) < dispatchPage {
			return n, flush()
		}
		after = ns[len(ns)-1].ID
	}
}
