package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/notify"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// hung is a Deliverer whose receiver never answers: it returns when ctx
// ends.
type hung struct{}

func (hung) Deliver(ctx context.Context, _ []store.Notification) error {
	<-ctx.Done()
	return ctx.Err()
}

// got is a Deliverer that passes each message's size on.
type got chan int

func (g got) Deliver(_ context.Context, batch []store.Notification) error {
	g <- len(batch)
	return nil
}

// A deliverer whose receiver hangs does not hold up the others: the
// second deliverer gets the pending notifications while the first still
// waits.
func TestDispatchAllIndependent(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := &store.DiffNotifications{
		Changes: []store.Change{{Vulnerability: "CVE-1", Package: "libssl3", Version: "1", Reason: store.Added, Severity: strata.High}},
		Sets:    []store.ChangeSet{{Manifests: []strata.Digest{"sha256:1", "sha256:2"}, Changes: []int32{0}}},
	}
	if _, err := st.PutNotifications(ctx, 1, "debian", n); err != nil {
		t.Fatal(err)
	}
	delivered := make(got, 1)
	done := make(chan struct{})
	go func() {
		dispatchAll(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), st, []notify.Deliverer{hung{}, delivered}, notify.Delivery{Summary: notify.All})
		close(done)
	}()
	select {
	case size := <-delivered:
		if size != 2 {
			t.Errorf("message of %d notifications, want 2", size)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second deliverer got nothing while the first hung")
	}
	cancel()
	<-done
}
