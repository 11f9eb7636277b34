package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// PutLayerBlob records that the layer blob blob has the diff_id diffID.
func (s *Store) PutLayerBlob(ctx context.Context, blob, diffID strata.Digest) error {
	if blob == "" || diffID == "" {
		return fmt.Errorf("postgres: put layer blob %q %q: blob and diff_id are required", blob, diffID)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO layer_blobs (blob, diff_id) VALUES ($1, $2)
		ON CONFLICT (blob) DO UPDATE SET diff_id = excluded.diff_id`, string(blob), string(diffID))
	if err != nil {
		return fmt.Errorf("postgres: put layer blob %s: %w", blob, err)
	}
	return nil
}

// LayerDiffID returns the recorded diff_id of the layer blob blob, or
// store.ErrNotFound.
func (s *Store) LayerDiffID(ctx context.Context, blob strata.Digest) (strata.Digest, error) {
	var d string
	err := s.pool.QueryRow(ctx, `SELECT diff_id FROM layer_blobs WHERE blob = $1`, string(blob)).Scan(&d)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("postgres: layer blob %s: %w", blob, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("postgres: layer blob %s: %w", blob, err)
	}
	return strata.Digest(d), nil
}
