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

// PutIndexReport stores r, replacing the manifest's previous report, with
// its layers and package keys.
func (s *Store) PutIndexReport(ctx context.Context, r *strata.IndexReport) error {
	if r.ManifestDigest == "" {
		return errors.New("sqlite: put index report: the manifest digest is required")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sqlite: put index report %s: %w", r.ManifestDigest, err)
	}
	m := string(r.ManifestDigest)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO manifests (digest, report, indexed_at) VALUES (?, ?, ?)
			ON CONFLICT (digest) DO UPDATE SET report = excluded.report, indexed_at = excluded.indexed_at`,
			m, string(b), formatTime(now())); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM manifest_layers WHERE manifest = ?`, `DELETE FROM package_keys WHERE manifest = ?`} {
			if _, err := tx.ExecContext(ctx, q, m); err != nil {
				return err
			}
		}
		for i, l := range r.Layers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO manifest_layers (manifest, idx, layer) VALUES (?, ?, ?)`, m, i, string(l.Digest)); err != nil {
				return err
			}
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO package_keys (manifest, ecosystem, release, name) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, k := range store.PackageKeys(r) {
			if _, err := ins.ExecContext(ctx, m, string(k.Eco), k.Release, k.Name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put index report %s: %w", r.ManifestDigest, err)
	}
	return nil
}

// IndexReport returns the manifest's index report, or store.ErrNotFound.
func (s *Store) IndexReport(ctx context.Context, manifest strata.Digest) (*strata.IndexReport, error) {
	var b []byte
	err := s.r.QueryRowContext(ctx, `SELECT report FROM manifests WHERE digest = ?`, string(manifest)).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: index report %s: %w", manifest, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: index report %s: %w", manifest, err)
	}
	var r strata.IndexReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("sqlite: index report %s: %w", manifest, err)
	}
	return &r, nil
}

// Manifests lists the indexed manifests in digest order.
func (s *Store) Manifests(ctx context.Context) ([]strata.Digest, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT digest FROM manifests ORDER BY digest`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: manifests: %w", err)
	}
	defer rows.Close()
	var ds []strata.Digest
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("sqlite: manifests: %w", err)
		}
		ds = append(ds, strata.Digest(d))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: manifests: %w", err)
	}
	return ds, nil
}

// DeleteIndexReport removes the manifest, its layers and package keys, and
// the reports on those of its layers that no other manifest has.
func (s *Store) DeleteIndexReport(ctx context.Context, manifest strata.Digest) error {
	m := string(manifest)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM layer_reports
			WHERE layer IN (SELECT layer FROM manifest_layers WHERE manifest = ?)
			AND NOT EXISTS (SELECT 1 FROM manifest_layers o WHERE o.layer = layer_reports.layer AND o.manifest <> ?)`,
			m, m); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM manifest_layers WHERE manifest = ?`, `DELETE FROM package_keys WHERE manifest = ?`} {
			if _, err := tx.ExecContext(ctx, q, m); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM manifests WHERE digest = ?`, m)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete index report %s: %w", manifest, err)
	}
	return nil
}
