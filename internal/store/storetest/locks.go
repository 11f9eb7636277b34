package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testLayerBlob(t *testing.T, s store.Store) {
	ctx := t.Context()
	puts := [][2]strata.Digest{{digest(1), digest(11)}, {digest(2), digest(12)}, {digest(2), digest(22)}}
	for _, p := range puts {
		if err := s.PutLayerBlob(ctx, p[0], p[1]); err != nil {
			t.Fatalf("PutLayerBlob(%s, %s): %v", p[0], p[1], err)
		}
	}
	tests := []struct {
		name    string
		blob    strata.Digest
		want    strata.Digest
		wantErr error
	}{
		{"recorded", digest(1), digest(11), nil},
		{"replaced", digest(2), digest(22), nil},
		{"unknown", digest(3), "", store.ErrNotFound},
		{"a diff_id is not a blob", digest(11), "", store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.LayerDiffID(ctx, tt.blob)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("LayerDiffID(%s) = %q, %v; want %q, %v", tt.blob, got, err, tt.want, tt.wantErr)
			}
		})
	}
	if err := s.PutLayerBlob(ctx, digest(4), ""); err == nil {
		t.Error("PutLayerBlob with no diff_id: no error")
	}
}

func testLock(t *testing.T, s store.Store) {
	TestLockShared(t, s, s)
}

// TestLockShared checks that the named locks of a and b, two stores on the
// same database, exclude each other: what a holds, b cannot take until a
// releases it, and other names are free.
//
// Advisory locks are shared by the whole database, so the names carry a
// random suffix: another test run on the same database must not hold them.
func TestLockShared(t *testing.T, a, b store.Store) {
	ctx := t.Context()
	suffix := fmt.Sprintf("-%x", rand.Uint64())
	l1, l2, l3 := "layer:1"+suffix, "layer:2"+suffix, "layer:3"+suffix
	unlock, err := a.Lock(ctx, l1)
	if err != nil {
		t.Fatal(err)
	}
	try := func(key string) bool {
		t.Helper()
		u, ok, err := b.TryLock(ctx, key)
		if err != nil {
			t.Fatalf("TryLock(%s): %v", key, err)
		}
		if ok {
			u()
		}
		return ok
	}
	var got []bool
	got = append(got, try(l1), try(l2))
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if u, err := b.Lock(short, l1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Lock(layer:1) while held = %v; want context.DeadlineExceeded", err)
		if err == nil {
			u()
		}
	}
	unlock()
	unlock() // a second unlock does nothing
	got = append(got, try(l1))

	waited := make(chan error)
	held, err := a.Lock(ctx, l3)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		u, err := b.Lock(ctx, l3)
		if err == nil {
			u()
		}
		waited <- err
	}()
	time.Sleep(20 * time.Millisecond)
	held()
	if err := <-waited; err != nil {
		t.Errorf("Lock(layer:3) waiting for its release: %v", err)
	}
	if diff := cmp.Diff([]bool{false, true, true}, got); diff != "" {
		t.Errorf("TryLock of layer:1 held, layer:2, layer:1 released (-want +got):\n%s", diff)
	}
}
