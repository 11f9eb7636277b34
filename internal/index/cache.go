package index

import (
	"context"
	"errors"
	"fmt"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/store"
)

// layer returns the reports of one layer, from the cache where every
// scanner's report is there, else by reading the layer once for the
// scanners that lack one, under the store's lock on the layer and after
// looking at the cache again. read says whether the layer was read.
func (ix *Indexer) layer(ctx context.Context, l image.Layer) (layerReports, bool, error) {
	c, err := ix.lookup(ctx, l)
	if err != nil || c.complete() {
		return c.lr, false, err
	}
	if key := lockKey(l); key != "" {
		unlock, err := ix.Store.Lock(ctx, key)
		if err != nil {
			return c.lr, false, fmt.Errorf("layer %s: %w", l.Name(), err)
		}
		defer unlock()
		if c, err = ix.lookup(ctx, l); err != nil || c.complete() {
			return c.lr, false, err
		}
	}
	fresh, err := ix.read(ctx, l, c.missing)
	if err != nil {
		return c.lr, true, err
	}
	lr := c.lr
	lr.digest = fresh.digest
	lr.walk = fresh.walk
	lr.scanners = append(lr.scanners, fresh.scanners...)
	if l.Blob != "" {
		if err := ix.Store.PutLayerBlob(ctx, l.Blob, fresh.digest); err != nil {
			return lr, true, fmt.Errorf("layer %s: store blob %s: %w", fresh.digest, l.Blob, err)
		}
	}
	return lr, true, nil
}

// cachedLayer is what the cache holds of a layer: the reports found, the
// scanners that have none, and whether the walk's report is missing.
type cachedLayer struct {
	lr       layerReports
	missing  []scan.Scanner
	needWalk bool
}

func (c cachedLayer) complete() bool { return !c.needWalk && len(c.missing) == 0 }

// lookup reads the cached reports of l, under its diff_id or, when only
// its blob digest is known, the diff_id recorded for the blob.
func (ix *Indexer) lookup(ctx context.Context, l image.Layer) (cachedLayer, error) {
	c := cachedLayer{lr: layerReports{digest: l.DiffID}, missing: ix.Scanners, needWalk: true}
	if c.lr.digest == "" && l.Blob != "" {
		d, err := ix.Store.LayerDiffID(ctx, l.Blob)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return c, fmt.Errorf("layer %s: read cache: %w", l.Blob, err)
		}
		c.lr.digest = d
	}
	if c.lr.digest == "" {
		return c, nil
	}
	var err error
	if c.lr.walk, err = ix.cached(ctx, c.lr.digest, walkName, walkVersion); err != nil {
		return c, err
	}
	c.needWalk = c.lr.walk == nil
	c.missing = nil
	for _, s := range ix.Scanners {
		r, err := ix.cached(ctx, c.lr.digest, s.Name(), s.Version())
		if err != nil {
			return c, err
		}
		if r == nil {
			c.missing = append(c.missing, s)
			continue
		}
		c.lr.scanners = append(c.lr.scanners, r)
	}
	return c, nil
}

func (ix *Indexer) cached(ctx context.Context, d strata.Digest, name, version string) (*strata.LayerReport, error) {
	r, err := ix.Store.LayerReport(ctx, d, name, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("layer %s: read cache: %w", d, err)
	}
	return r, nil
}

// lockKey names the store lock of a layer: by its blob digest when known
// (the key every Clair manifest of the layer gives), else its diff_id; ""
// when neither is known before the layer is read.
func lockKey(l image.Layer) string {
	switch {
	case l.Blob != "":
		return "layer:" + string(l.Blob)
	case l.DiffID != "":
		return "layer:" + string(l.DiffID)
	}
	return ""
}
