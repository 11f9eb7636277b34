package sqlite_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

var benchRecords = flag.Int("records", 100_000, "records per ReplaceVulnerabilities in BenchmarkReplaceVulnerabilities")

// feed makes n records of updater "debian" about 2,000 packages, each as
// large as a typical Debian tracker record; tag makes the records of two
// calls differ in content.
func feed(n int, tag string) []strata.Vulnerability {
	vs := make([]strata.Vulnerability, n)
	desc := strings.Repeat("A flaw was found in the parser that allows a remote attacker to crash it. ", 4)
	for i := range vs {
		vs[i] = strata.Vulnerability{
			ID: fmt.Sprintf("CVE-%d-%05d", 2000+i%25, i), Updater: "debian", Eco: strata.Deb,
			Release: "debian:12", Package: fmt.Sprintf("pkg%d", i%2000), SourcePackage: true,
			Ranges:       []strata.Range{{Events: []strata.Event{{Introduced: "0"}, {Fixed: "1.2-3" + tag}}}},
			FixedVersion: "1.2-3" + tag, State: strata.Fixed, Severity: strata.Medium,
			Description: desc, Links: []string{"https://security-tracker.debian.org/tracker/" + fmt.Sprint(i)},
			Published: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		}
	}
	return vs
}

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
	old, changed := feed(3000, ""), feed(3000, "+1")
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

// checkIntact checks that s holds the set of feed(3000, "") and only the
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

// BenchmarkReplaceVulnerabilities measures replacements of -records records:
// the first load of an updater's set, and replacements of a set where none,
// one in ten and all of the records changed.
func BenchmarkReplaceVulnerabilities(b *testing.B) {
	n := *benchRecords
	a, a2 := feed(n, ""), feed(n, "+1")
	tenth := append(feed(n/10, "+1"), a[n/10:]...)
	tests := []struct {
		name  string
		fresh bool // a new updater each time
		sets  [][]strata.Vulnerability
	}{
		{"first load", true, [][]strata.Vulnerability{a}},
		{"unchanged", false, [][]strata.Vulnerability{a}},
		{"tenth changed", false, [][]strata.Vulnerability{tenth, a}},
		{"all changed", false, [][]strata.Vulnerability{a2, a}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			s := open(b, filepath.Join(b.TempDir(), "strata.db"))
			if !tt.fresh {
				if _, err := s.ReplaceVulnerabilities(b.Context(), "debian", "fp", a); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				updater := "debian"
				if tt.fresh {
					updater = fmt.Sprint("debian", i)
				}
				if _, err := s.ReplaceVulnerabilities(b.Context(), updater, "fp", tt.sets[i%len(tt.sets)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(n*i)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
