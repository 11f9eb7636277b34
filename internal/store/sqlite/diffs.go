package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// UpdateDiffs returns the stored diffs with ID > after, oldest first, their
// records sorted by key.
func (s *Store) UpdateDiffs(ctx context.Context, after int64) ([]strata.UpdateDiff, error) {
	tx, err := s.r.BeginTx(ctx, nil) // one snapshot for both queries
	if err != nil {
		return nil, fmt.Errorf("sqlite: update diffs after %d: %w", after, err)
	}
	defer tx.Rollback()
	ds, err := diffHeaders(ctx, tx, after)
	if err == nil {
		err = diffRecords(ctx, tx, after, ds)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: update diffs after %d: %w", after, err)
	}
	return ds, nil
}

// diffHeaders reads the diffs with ID > after, without their records.
func diffHeaders(ctx context.Context, tx *sql.Tx, after int64) ([]strata.UpdateDiff, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, updater, time FROM update_diffs WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []strata.UpdateDiff
	for rows.Next() {
		var d strata.UpdateDiff
		var t sql.NullString
		if err := rows.Scan(&d.ID, &d.Updater, &t); err != nil {
			return nil, err
		}
		if d.Time, err = parseTime(t); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// diffRecords fills in the records of ds, the diffs with ID > after.
func diffRecords(ctx context.Context, tx *sql.Tx, after int64, ds []strata.UpdateDiff) error {
	x := store.IndexDiffs(ds)
	rows, err := tx.QueryContext(ctx, `SELECT diff, kind, record FROM update_diff_records
		WHERE diff > ? ORDER BY diff, kind, key`, after)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var b []byte
		if err := rows.Scan(&id, &kind, &b); err != nil {
			return err
		}
		if err := x.Add(id, kind, b); err != nil {
			return err
		}
	}
	return rows.Err()
}
