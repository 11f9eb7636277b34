package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// Vulnerabilities returns the records, of every updater, of the ecosystem
// and release whose package is one of names, sorted by package, id and
// updater.
func (s *Store) Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	if eco == "" {
		return nil, nil // records of no ecosystem match no package
	}
	rows, _ := s.pool.Query(ctx, `SELECT record FROM vulnerabilities
		WHERE ecosystem = $1 AND release = $2 AND package = ANY ($3)`, string(eco), release, names)
	vs, err := pgx.CollectRows(rows, decodeRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres: vulnerabilities of %s %q: %w", eco, release, err)
	}
	store.SortRecords(vs)
	return vs, nil
}

// UpdaterVulnerabilities returns updater's set, sorted by key.
func (s *Store) UpdaterVulnerabilities(ctx context.Context, updater string) ([]strata.Vulnerability, error) {
	rows, _ := s.pool.Query(ctx, `SELECT record FROM vulnerabilities WHERE updater = $1 ORDER BY key`, updater)
	vs, err := pgx.CollectRows(rows, decodeRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres: vulnerabilities of updater %s: %w", updater, err)
	}
	return vs, nil
}

// decodeRecord reads a row of one JSON record.
func decodeRecord(row pgx.CollectableRow) (strata.Vulnerability, error) {
	var v strata.Vulnerability
	var b []byte
	if err := row.Scan(&b); err != nil {
		return v, err
	}
	return v, json.Unmarshal(b, &v)
}

// Covered reports whether any updater has a record for the ecosystem and
// release.
func (s *Store) Covered(ctx context.Context, eco strata.Ecosystem, release string) (bool, error) {
	if eco == "" {
		return false, nil // records of no ecosystem cover nothing
	}
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM vulnerabilities WHERE ecosystem = $1 AND release = $2)`,
		string(eco), release).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: covered %s %q: %w", eco, release, err)
	}
	return ok, nil
}

// UpdaterStatus returns what is known about updater; a feed never run has a
// zero status.
func (s *Store) UpdaterStatus(ctx context.Context, updater string) (*store.UpdaterStatus, error) {
	st, err := scanStatus(s.pool.QueryRow(ctx, `SELECT `+statusColumns+` FROM updaters WHERE name = $1`, updater))
	if errors.Is(err, pgx.ErrNoRows) {
		return &store.UpdaterStatus{Updater: updater}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: updater status of %s: %w", updater, err)
	}
	return &st, nil
}

// UpdaterStatuses returns the status of every feed ever run, by name.
func (s *Store) UpdaterStatuses(ctx context.Context) ([]store.UpdaterStatus, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+statusColumns+` FROM updaters ORDER BY name COLLATE "C"`)
	sts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.UpdaterStatus, error) { return scanStatus(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: updater statuses: %w", err)
	}
	return sts, nil
}

// statusColumns are the columns of the updaters table that scanStatus reads.
const statusColumns = `name, fingerprint, last_success, last_attempt, last_error, records`

func scanStatus(row pgx.Row) (store.UpdaterStatus, error) {
	var st store.UpdaterStatus
	var success, attempt *time.Time
	if err := row.Scan(&st.Updater, &st.Fingerprint, &success, &attempt, &st.LastError, &st.Records); err != nil {
		return st, err
	}
	if success != nil {
		st.LastSuccess = success.UTC()
	}
	if attempt != nil {
		st.LastAttempt = attempt.UTC()
	}
	return st, nil
}

// RecordUpdateUnchanged notes a run that found updater's feed unchanged
// upstream: a success that keeps its data. A feed never loaded is left
// as it is.
func (s *Store) RecordUpdateUnchanged(ctx context.Context, updater string) error {
	t := now()
	_, err := s.pool.Exec(ctx, `UPDATE updaters SET last_success = $1, last_attempt = $1, last_error = ''
		WHERE name = $2 AND last_success IS NOT NULL`, t, updater)
	if err != nil {
		return fmt.Errorf("postgres: record unchanged update of %s: %w", updater, err)
	}
	return nil
}

// RecordUpdateFailure notes a failed run of updater, keeping its data.
func (s *Store) RecordUpdateFailure(ctx context.Context, updater string, msg string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO updaters (name, last_attempt, last_error) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error`,
		updater, now(), msg)
	if err != nil {
		return fmt.Errorf("postgres: record update failure of %s: %w", updater, err)
	}
	return nil
}

// UpdateDiffs returns the stored diffs with ID > after, oldest first, their
// records sorted by key.
func (s *Store) UpdateDiffs(ctx context.Context, after int64) ([]strata.UpdateDiff, error) {
	var ds []strata.UpdateDiff
	// One snapshot for both queries.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, updater, time FROM update_diffs WHERE id > $1 ORDER BY id`, after)
		var err error
		ds, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (strata.UpdateDiff, error) {
			var d strata.UpdateDiff
			err := row.Scan(&d.ID, &d.Updater, &d.Time)
			d.Time = d.Time.UTC()
			return d, err
		})
		if err != nil {
			return err
		}
		return diffRecords(ctx, tx, after, ds)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: update diffs after %d: %w", after, err)
	}
	return ds, nil
}

// diffRecords fills in the records of ds, the diffs with ID > after.
func diffRecords(ctx context.Context, tx pgx.Tx, after int64, ds []strata.UpdateDiff) error {
	x := store.IndexDiffs(ds)
	rows, _ := tx.Query(ctx, `SELECT diff, kind, record FROM update_diff_records
		WHERE diff > $1 ORDER BY diff, kind, key`, after)
	var id int64
	var kind string
	var b []byte
	_, err := pgx.ForEachRow(rows, []any{&id, &kind, &b}, func() error {
		return x.Add(id, kind, b)
	})
	return err
}
