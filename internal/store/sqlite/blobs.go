package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// PutLayerBlob records that the layer blob blob has the diff_id diffID.
func (s *Store) PutLayerBlob(ctx context.Context, blob, diffID strata.Digest) error {
	if blob == "" || diffID == "" {
		return fmt.Errorf("sqlite: put layer blob %q %q: blob and diff_id are required", blob, diffID)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO layer_blobs (blob, diff_id) VALUES (?, ?)
		ON CONFLICT (blob) DO UPDATE SET diff_id = excluded.diff_id`, string(blob), string(diffID))
	if err != nil {
		return fmt.Errorf("sqlite: put layer blob %s: %w", blob, err)
	}
	return nil
}

// LayerDiffID returns the recorded diff_id of the layer blob blob, or
// store.ErrNotFound.
func (s *Store) LayerDiffID(ctx context.Context, blob strata.Digest) (strata.Digest, error) {
	var d string
	err := s.r.QueryRowContext(ctx, `SELECT diff_id FROM layer_blobs WHERE blob = ?`, string(blob)).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("sqlite: layer blob %s: %w", blob, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: layer blob %s: %w", blob, err)
	}
	return strata.Digest(d), nil
}
