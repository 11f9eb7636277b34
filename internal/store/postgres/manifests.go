package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// LayerReport returns the report of scanner at version on layer, or
// store.ErrNotFound.
func (s *Store) LayerReport(ctx context.Context, layer strata.Digest, scanner, version string) (*strata.LayerReport, error) {
	var r strata.LayerReport
	err := s.getJSON(ctx, &r, `SELECT report FROM layer_reports WHERE layer = $1 AND scanner = $2 AND version = $3`,
		string(layer), scanner, version)
	if err != nil {
		return nil, fmt.Errorf("postgres: layer report %s %s@%s: %w", layer, scanner, version, err)
	}
	return &r, nil
}

// getJSON decodes into v the one JSON value that query q returns, or
// returns store.ErrNotFound.
func (s *Store) getJSON(ctx context.Context, v any, q string, args ...any) error {
	var b []byte
	err := s.pool.QueryRow(ctx, q, args...).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// PutLayerReport stores r, replacing the report of the same layer, scanner
// and scanner version.
func (s *Store) PutLayerReport(ctx context.Context, r *strata.LayerReport) error {
	if r.Layer == "" || r.Scanner == "" {
		return fmt.Errorf("postgres: put layer report %q %q: layer and scanner are required", r.Layer, r.Scanner)
	}
	b, err := json.Marshal(r)
	if err == nil {
		_, err = s.pool.Exec(ctx, `INSERT INTO layer_reports (layer, scanner, version, report) VALUES ($1, $2, $3, $4)
			ON CONFLICT (layer, scanner, version) DO UPDATE SET report = excluded.report`,
			string(r.Layer), r.Scanner, r.ScannerVersion, json.RawMessage(b))
	}
	if err != nil {
		return fmt.Errorf("postgres: put layer report %s %s@%s: %w", r.Layer, r.Scanner, r.ScannerVersion, err)
	}
	return nil
}

// packagesLock is the transaction advisory lock key that orders the
// deletion of package versions no manifest holds any more (exclusive)
// after their insertion (shared): a version that a concurrent PutIndexReport
// found in place cannot vanish before it records its manifest holds it.
const packagesLock = 0x53747261746150 // "strataP"

// PutIndexReport stores r, replacing the manifest's previous report, with
// its layers and its package versions.
func (s *Store) PutIndexReport(ctx context.Context, r *strata.IndexReport) error {
	if r.ManifestDigest == "" {
		return errors.New("postgres: put index report: the manifest digest is required")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("postgres: put index report %s: %w", r.ManifestDigest, err)
	}
	m := string(r.ManifestDigest)
	var cols [8][]string
	var layers []int
	for _, p := range store.PackageRows(r) {
		for i, v := range [...]string{p.Eco, p.Release, p.Name, p.Version, p.SourceName, p.SourceVersion, p.Arch, p.Module} {
			cols[i] = append(cols[i], v)
		}
		layers = append(layers, p.Layer)
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT pg_advisory_xact_lock_shared($1)`, int64(packagesLock))
	batch.Queue(`INSERT INTO manifests (digest, report, indexed_at) VALUES ($1, $2, $3)
		ON CONFLICT (digest) DO UPDATE SET report = excluded.report, indexed_at = excluded.indexed_at`,
		m, json.RawMessage(b), now())
	batch.Queue(`DELETE FROM manifest_layers WHERE manifest = $1`, m)
	for i, l := range r.Layers {
		batch.Queue(`INSERT INTO manifest_layers (manifest, idx, layer) VALUES ($1, $2, $3)`, m, i, string(l.Digest))
	}
	var old []int64
	batch.Queue(`DELETE FROM manifest_packages WHERE manifest = (SELECT id FROM manifests WHERE digest = $1)
		RETURNING package`, m).Query(func(rows pgx.Rows) error {
		var err error
		old, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	batch.Queue(`INSERT INTO packages (ecosystem, release, name, version, source_name, source_version, arch, module)
		SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
		ON CONFLICT DO NOTHING`, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7])
	batch.Queue(`INSERT INTO manifest_packages (package, manifest, layer)
		SELECT DISTINCT p.id, (SELECT id FROM manifests WHERE digest = $1), t.l
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::int[]) AS t (e, r, n, v, sn, sv, a, mo, l)
		JOIN packages p ON p.ecosystem = t.e AND p.release = t.r AND p.name = t.n AND p.version = t.v
			AND p.source_name = t.sn AND p.source_version = t.sv AND p.arch = t.a AND p.module = t.mo
		ON CONFLICT DO NOTHING`, m, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], layers)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, batch).Close() })
	if err == nil && len(old) > 0 {
		// In a transaction of its own, which may take packagesLock
		// exclusively: upgrading the shared hold of a transaction could
		// deadlock with another doing the same. A crash in between
		// leaves versions that match no manifest, harmless.
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return dropOrphans(ctx, tx, old) })
	}
	if err != nil {
		return fmt.Errorf("postgres: put index report %s: %w", r.ManifestDigest, err)
	}
	return nil
}

// dropOrphans deletes those of the package versions ids that no manifest
// holds any more, under the exclusive packagesLock.
func dropOrphans(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(packagesLock)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM packages p WHERE p.id = ANY ($1)
		AND NOT EXISTS (SELECT 1 FROM manifest_packages m WHERE m.package = p.id)`, ids)
	return err
}

// IndexReport returns the manifest's index report, or store.ErrNotFound.
func (s *Store) IndexReport(ctx context.Context, manifest strata.Digest) (*strata.IndexReport, error) {
	var r strata.IndexReport
	if err := s.getJSON(ctx, &r, `SELECT report FROM manifests WHERE digest = $1`, string(manifest)); err != nil {
		return nil, fmt.Errorf("postgres: index report %s: %w", manifest, err)
	}
	return &r, nil
}

// Manifests lists the indexed manifests in digest order.
func (s *Store) Manifests(ctx context.Context) ([]strata.Digest, error) {
	rows, _ := s.pool.Query(ctx, `SELECT digest FROM manifests ORDER BY digest`)
	ds, err := pgx.CollectRows(rows, pgx.RowTo[strata.Digest])
	if err != nil {
		return nil, fmt.Errorf("postgres: manifests: %w", err)
	}
	return ds, nil
}

// DeleteIndexReport removes the manifest, its layers and package versions
// (those no other manifest holds too), and the reports on those of its
// layers that no other manifest has.
func (s *Store) DeleteIndexReport(ctx context.Context, manifest strata.Digest) error {
	m := string(manifest)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		batch.Queue(`SELECT pg_advisory_xact_lock($1)`, int64(packagesLock)) // dropOrphans' lock, taken first
		batch.Queue(`DELETE FROM layer_reports
			WHERE layer IN (SELECT layer FROM manifest_layers WHERE manifest = $1)
			AND NOT EXISTS (SELECT 1 FROM manifest_layers o WHERE o.layer = layer_reports.layer AND o.manifest <> $1)`, m)
		batch.Queue(`DELETE FROM manifest_layers WHERE manifest = $1`, m)
		var old []int64
		batch.Queue(`DELETE FROM manifest_packages WHERE manifest = (SELECT id FROM manifests WHERE digest = $1)
			RETURNING package`, m).Query(func(rows pgx.Rows) error {
			var err error
			old, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			return err
		})
		if err := queueDropNotifications(batch, manifest); err != nil {
			return err
		}
		var n int64
		batch.Queue(`DELETE FROM manifests WHERE digest = $1`, m).Exec(func(ct pgconn.CommandTag) error {
			n = ct.RowsAffected()
			return nil
		})
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return dropOrphans(ctx, tx, old)
	})
	if err != nil {
		return fmt.Errorf("postgres: delete index report %s: %w", manifest, err)
	}
	return nil
}
