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
// its layers and its package versions.
func (s *Store) PutIndexReport(ctx context.Context, r *strata.IndexReport) error {
	if r.ManifestDigest == "" {
		return errors.New("sqlite: put index report: the manifest digest is required")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sqlite: put index report %s: %w", r.ManifestDigest, err)
	}
	pkgs, err := json.Marshal(store.PackageRows(r))
	if err != nil {
		return fmt.Errorf("sqlite: put index report %s: %w", r.ManifestDigest, err)
	}
	ls := make([]strata.Digest, len(r.Layers))
	for i, l := range r.Layers {
		ls[i] = l.Digest
	}
	layers, err := json.Marshal(ls)
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM manifest_layers WHERE manifest = ?`, m); err != nil {
			return err
		}
		for i, l := range r.Layers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO manifest_layers (manifest, idx, layer) VALUES (?, ?, ?)`, m, i, string(l.Digest)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO indexed_manifests (manifest, layers) VALUES (?, jsonb(?))
			ON CONFLICT (manifest) DO UPDATE SET layers = excluded.layers`, m, string(layers)); err != nil {
			return err
		}
		old, err := deletePackages(ctx, tx, m)
		if err != nil {
			return err
		}
		if err := insertPackages(ctx, tx, m, string(pkgs)); err != nil {
			return err
		}
		return dropOrphans(ctx, tx, old)
	})
	if err != nil {
		return fmt.Errorf("sqlite: put index report %s: %w", r.ManifestDigest, err)
	}
	return nil
}

// insertPackages records that manifest m holds the package versions of
// rows (store.PackageRows as JSON), adding the versions not yet known.
func insertPackages(ctx context.Context, tx *sql.Tx, m, rows string) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO packages
		(ecosystem, release, name, version, source_name, source_version, arch, module)
		SELECT value ->> 'e', value ->> 'r', value ->> 'n', value ->> 'v', value ->> 'sn', value ->> 'sv', value ->> 'a', value ->> 'm'
		FROM json_each(?)`, rows); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO manifest_packages (package, manifest, layer)
		SELECT p.id, (SELECT id FROM indexed_manifests WHERE manifest = ?1), j.value ->> 'l'
		FROM json_each(?2) j JOIN packages p ON p.ecosystem = j.value ->> 'e'
			AND p.release = j.value ->> 'r' AND p.name = j.value ->> 'n' AND p.version = j.value ->> 'v'
			AND p.source_name = j.value ->> 'sn' AND p.source_version = j.value ->> 'sv' AND p.arch = j.value ->> 'a'
			AND p.module = j.value ->> 'm'`, m, rows)
	return err
}

// deletePackages removes the package versions of manifest m and returns
// their IDs (as a JSON array).
func deletePackages(ctx context.Context, tx *sql.Tx, m string) (string, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM manifest_packages
		WHERE manifest = (SELECT id FROM indexed_manifests WHERE manifest = ?) RETURNING package`, m)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// dropOrphans deletes those of the package versions ids (a JSON array)
// that no manifest holds any more.
func dropOrphans(ctx context.Context, tx *sql.Tx, ids string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM packages WHERE id IN (SELECT value FROM json_each(?))
		AND NOT EXISTS (SELECT 1 FROM manifest_packages WHERE package = packages.id)`, ids)
	return err
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

// DeleteIndexReport removes the manifest, its layers and package versions
// (those no other manifest holds too), and the reports on those of its
// layers that no other manifest has.
func (s *Store) DeleteIndexReport(ctx context.Context, manifest strata.Digest) error {
	m := string(manifest)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM layer_reports
			WHERE layer IN (SELECT layer FROM manifest_layers WHERE manifest = ?)
			AND NOT EXISTS (SELECT 1 FROM manifest_layers o WHERE o.layer = layer_reports.layer AND o.manifest <> ?)`,
			m, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM manifest_layers WHERE manifest = ?`, m); err != nil {
			return err
		}
		old, err := deletePackages(ctx, tx, m)
		if err != nil {
			return err
		}
		if err := dropOrphans(ctx, tx, old); err != nil {
			return err
		}
		if err := dropNotifications(ctx, tx, manifest); err != nil {
			return err
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
