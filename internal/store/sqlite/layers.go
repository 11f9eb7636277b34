package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// LayerReport returns the report of scanner at version on layer, or
// store.ErrNotFound.
func (s *Store) LayerReport(ctx context.Context, layer strata.Digest, scanner, version string) (*strata.LayerReport, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx,
		`SELECT report FROM layer_reports WHERE layer = ? AND scanner = ? AND version = ?`,
		string(layer), scanner, version).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: layer report %s %s@%s: %w", layer, scanner, version, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: layer report %s %s@%s: %w", layer, scanner, version, err)
	}
	var r strata.LayerReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("sqlite: layer report %s %s@%s: %w", layer, scanner, version, err)
	}
	return &r, nil
}

// PutLayerReport stores r, replacing the report of the same layer, scanner
// and scanner version.
func (s *Store) PutLayerReport(ctx context.Context, r *strata.LayerReport) error {
	if r.Layer == "" || r.Scanner == "" {
		return fmt.Errorf("sqlite: put layer report %q %q: layer and scanner are required", r.Layer, r.Scanner)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sqlite: put layer report %s %s@%s: %w", r.Layer, r.Scanner, r.ScannerVersion, err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO layer_reports (layer, scanner, version, report) VALUES (?, ?, ?, ?)
		ON CONFLICT (layer, scanner, version) DO UPDATE SET report = excluded.report`,
		string(r.Layer), r.Scanner, r.ScannerVersion, string(b))
	if err != nil {
		return fmt.Errorf("sqlite: put layer report %s %s@%s: %w", r.Layer, r.Scanner, r.ScannerVersion, err)
	}
	return nil
}
