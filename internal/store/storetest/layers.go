package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

func testLayerReport(t *testing.T, s store.Store) {
	ctx := t.Context()
	v1 := layerReport(digest(1), "dpkg")
	v2 := layerReport(digest(1), "dpkg")
	v2.ScannerVersion = "2"
	replaced := layerReport(digest(1), "dpkg")
	replaced.Packages = nil
	walk := &strata.LayerReport{Layer: digest(1), Scanner: "layer", ScannerVersion: "1", Whiteouts: []string{"etc/.wh.motd"}}
	for _, r := range []*strata.LayerReport{v1, v2, walk, replaced} {
		if err := s.PutLayerReport(ctx, r); err != nil {
			t.Fatalf("PutLayerReport(%s %s@%s): %v", r.Layer, r.Scanner, r.ScannerVersion, err)
		}
	}
	tests := []struct {
		name             string
		scanner, version string
		want             *strata.LayerReport
	}{
		{"replaced", "dpkg", "1", replaced},
		{"other version", "dpkg", "2", v2},
		{"other scanner", "layer", "1", walk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.LayerReport(ctx, digest(1), tt.scanner, tt.version)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LayerReport(%s@%s) (-want +got):\n%s", tt.scanner, tt.version, diff)
			}
		})
	}
}

func testLayerReportNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	if err := s.PutLayerReport(ctx, layerReport(digest(1), "dpkg")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name             string
		layer            strata.Digest
		scanner, version string
	}{
		{"unknown layer", digest(2), "dpkg", "1"},
		{"unknown scanner", digest(1), "apk", "1"},
		{"unknown version", digest(1), "dpkg", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.LayerReport(ctx, tt.layer, tt.scanner, tt.version)
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("LayerReport(%s %s@%s) = %v, %v; want ErrNotFound", tt.layer, tt.scanner, tt.version, got, err)
			}
		})
	}
}

// testConcurrency writes and reads from several goroutines at once; run it
// with -race.
func testConcurrency(t *testing.T, s store.Store) {
	ctx := t.Context()
	shared := layerReport(digest(0), "dpkg")
	if err := s.PutLayerReport(ctx, shared); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := roundTrip(t, s, shared, 1000*(w+1)+i); err != nil {
					t.Errorf("worker %d, report %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	ms, err := s.Manifests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != workers*each {
		t.Errorf("Manifests: have %d, want %d", len(ms), workers*each)
	}
}

// roundTrip stores a layer report on layer n and the index report of a
// manifest made of shared's layer and layer n, and reads them and the
// shared report back.
func roundTrip(t *testing.T, s store.Store, shared *strata.LayerReport, n int) error {
	ctx := t.Context()
	lr := layerReport(digest(n), "dpkg")
	ir := indexReport(digest(n+1<<20), shared.Layer, lr.Layer)
	if err := s.PutLayerReport(ctx, lr); err != nil {
		return err
	}
	if err := s.PutIndexReport(ctx, ir); err != nil {
		return err
	}
	for _, want := range []*strata.LayerReport{lr, shared} {
		got, err := s.LayerReport(ctx, want.Layer, "dpkg", "1")
		if err != nil {
			return err
		}
		if diff := cmp.Diff(want, got); diff != "" {
			return fmt.Errorf("LayerReport(%s) (-want +got):\n%s", want.Layer, diff)
		}
	}
	got, err := s.IndexReport(ctx, ir.ManifestDigest)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(ir, got); diff != "" {
		return fmt.Errorf("IndexReport(%s) (-want +got):\n%s", ir.ManifestDigest, diff)
	}
	_, err = s.Manifests(ctx)
	return err
}
