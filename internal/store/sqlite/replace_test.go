package sqlite_test

import (
	"context"
	"errors"
	"flag"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/store/storetest"
)

var benchRecords = flag.Int("records", 100_000, "records per ReplaceVulnerabilities in BenchmarkReplaceVulnerabilities")

// doneCounter counts the calls of its Done method and cancels itself at
// the limit-th: a way to cancel an operation part way through without
// depending on timing.
type doneCounter struct {
	context.Context
	calls  atomic.Int64
	limit  int64 // 0: never cancel
	cancel context.CancelFunc
}

func newDoneCounter(parent context.Context, limit int64) *doneCounter {
	ctx, cancel := context.WithCancel(parent)
	return &doneCounter{Context: ctx, limit: limit, cancel: cancel}
}

func (c *doneCounter) Done() <-chan struct{} {
	if c.calls.Add(1) == c.limit {
		c.cancel()
	}
	return c.Context.Done()
}

// TestReplaceCancelledMidway cancels a replacement half way through (as
// counted by the context's Done calls in a replacement run to the end),
// and checks that the previous set and diffs are intact.
func TestReplaceCancelledMidway(t *testing.T) {
	old, changed := storetest.Feed(3000, ""), storetest.Feed(3000, "+1")
	s, _ := loaded(t, old)
	counter := newDoneCounter(t.Context(), 0)
	if _, err := s.ReplaceVulnerabilities(counter, "debian", "fp2", changed); err != nil {
		t.Fatal(err)
	}
	calls := counter.calls.Load()

	s, first := loaded(t, old)
	ctx := newDoneCounter(t.Context(), calls/2)
	if _, err := s.ReplaceVulnerabilities(ctx, "debian", "fp2", changed); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReplaceVulnerabilities cancelled after %d of %d Done calls: err = %v, want context.Canceled", calls/2, calls, err)
	}
	checkIntact(t, s, first)
}

// loaded is a new store holding vs.
func loaded(t *testing.T, vs []strata.Vulnerability) (*sqlite.Store, *strata.UpdateDiff) {
	t.Helper()
	s := open(t, filepath.Join(t.TempDir(), "strata.db"))
	d, err := s.ReplaceVulnerabilities(t.Context(), "debian", "fp1", vs)
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

// checkIntact checks that s holds the set of storetest.Feed(3000, "") and only the
// diff first.
func checkIntact(t *testing.T, s *sqlite.Store, first *strata.UpdateDiff) {
	t.Helper()
	got, err := s.Vulnerabilities(t.Context(), strata.Deb, "debian:12", []string{"pkg7"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].FixedVersion != "1.2-3" {
		t.Errorf("after the cancelled replacement: %d records of pkg7, first fixed in %q; want 2, fixed in 1.2-3", len(got), got[0].FixedVersion)
	}
	ds, err := s.UpdateDiffs(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].ID != first.ID {
		t.Errorf("%d diffs after the cancelled replacement, want only the first (ID %d)", len(ds), first.ID)
	}
}

// BenchmarkReplaceVulnerabilities measures replacements of -records
// records.
func BenchmarkReplaceVulnerabilities(b *testing.B) {
	storetest.BenchmarkReplace(b, *benchRecords, func(b *testing.B) store.Store {
		return open(b, filepath.Join(b.TempDir(), "strata.db"))
	})
}
