package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// ReplaceVulnerabilities replaces updater's set of records with vulns, in
// one transaction, and stores and returns the difference by content (the
// SHA-256 of each record's JSON). Records are stored with their Updater set
// to updater; of records with the same Key, the last one wins. The diff's
// Added and Removed are sorted by Key, a changed record being in both; when
// nothing changed no diff is stored and the one returned has ID 0. A failure
// leaves the previous set, status and diffs as they were.
//
// The new set is copied into a temporary table and compared there, so that
// the work is a few statements whatever its size.
func (s *Store) ReplaceVulnerabilities(ctx context.Context, updater, fingerprint string, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	return s.replace(ctx, updater, fingerprint, time.Time{}, vulns)
}

// ImportVulnerabilities is ReplaceVulnerabilities recording lastSuccess,
// the time the imported set was fetched, as the feed's last success.
func (s *Store) ImportVulnerabilities(ctx context.Context, updater, fingerprint string, lastSuccess time.Time, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	if lastSuccess.IsZero() {
		return nil, fmt.Errorf("postgres: import vulnerabilities of %s: the time of the last success is required", updater)
	}
	return s.replace(ctx, updater, fingerprint, lastSuccess.UTC().Truncate(time.Microsecond), vulns)
}

// replace replaces updater's set; the status records success as the last
// success, or the time of the replacement when it is zero.
func (s *Store) replace(ctx context.Context, updater, fingerprint string, success time.Time, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	if updater == "" {
		return nil, errors.New("postgres: replace vulnerabilities: the updater name is required")
	}
	diff := &strata.UpdateDiff{Updater: updater, Time: now()}
	if success.IsZero() {
		success = diff.Time
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rp := &replacer{tx: tx, diff: diff, vulns: vulns, success: success}
		return rp.run(ctx, fingerprint)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: replace vulnerabilities of %s: %w", updater, err)
	}
	return diff, nil
}

// replacer is one ReplaceVulnerabilities transaction.
type replacer struct {
	tx      pgx.Tx
	diff    *strata.UpdateDiff
	vulns   []strata.Vulnerability
	keys    []string  // the keys of vulns
	order   []int     // the indices of vulns in key order, the last of equal keys
	success time.Time // the last success the status records
}

func (rp *replacer) run(ctx context.Context, fingerprint string) error {
	rp.keys, rp.order = store.LastByKey(rp.vulns)
	// One replacement of an updater's set at a time, whichever the replica.
	if _, err := rp.tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('strata-updater:' || $1, 0))`, rp.diff.Updater); err != nil {
		return err
	}
	err := rp.tx.QueryRow(ctx, `INSERT INTO update_diffs (updater, time) VALUES ($1, $2) RETURNING id`,
		rp.diff.Updater, rp.diff.Time).Scan(&rp.diff.ID)
	if err != nil {
		return err
	}
	if err := rp.copyIncoming(ctx); err != nil {
		return err
	}
	if err := rp.removeStale(ctx); err != nil {
		return err
	}
	if err := rp.addNew(ctx); err != nil {
		return err
	}
	if len(rp.diff.Added) == 0 && len(rp.diff.Removed) == 0 {
		if _, err := rp.tx.Exec(ctx, `DELETE FROM update_diffs WHERE id = $1`, rp.diff.ID); err != nil {
			return err
		}
		rp.diff.ID = 0
	}
	_, err = rp.tx.Exec(ctx, `INSERT INTO updaters (name, fingerprint, last_success, last_attempt, last_error, records)
		VALUES ($1, $2, $3, $4, '', $5)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, last_success = excluded.last_success,
			last_attempt = excluded.last_attempt, last_error = '', records = excluded.records`,
		rp.diff.Updater, fingerprint, rp.success, rp.diff.Time, len(rp.order))
	return err
}

// copyIncoming copies the new set, encoded and hashed, into the temporary
// table incoming.
func (rp *replacer) copyIncoming(ctx context.Context) error {
	_, err := rp.tx.Exec(ctx, `CREATE TEMPORARY TABLE incoming (
		key       TEXT COLLATE "C" PRIMARY KEY,
		hash      BYTEA NOT NULL,
		ecosystem TEXT NOT NULL,
		release   TEXT NOT NULL,
		package   TEXT NOT NULL,
		record    JSON NOT NULL) ON COMMIT DROP`)
	if err != nil {
		return err
	}
	n := 0
	_, err = rp.tx.CopyFrom(ctx, pgx.Identifier{"incoming"},
		[]string{"key", "hash", "ecosystem", "release", "package", "record"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if n == len(rp.order) {
				return nil, nil
			}
			i := rp.order[n]
			n++
			v := rp.vulns[i]
			v.Updater = rp.diff.Updater
			b, err := json.Marshal(&v)
			if err != nil {
				return nil, fmt.Errorf("record %s: %w", rp.keys[i], err)
			}
			h := sha256.Sum256(b)
			return []any{rp.keys[i], h[:], string(v.Eco), v.Release, v.Package, json.RawMessage(b)}, nil
		}))
	return err
}

// removeStale deletes the current records that the new set does not hold
// with the same content, and notes them as removed.
func (rp *replacer) removeStale(ctx context.Context) error {
	rows, _ := rp.tx.Query(ctx, `WITH gone AS (
			DELETE FROM vulnerabilities v WHERE v.updater = $1
			AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = v.key AND i.hash = v.hash)
			RETURNING v.key, v.record)
		INSERT INTO update_diff_records (diff, kind, key, record) SELECT $2, 'removed', key, record FROM gone
		RETURNING key, record`, rp.diff.Updater, rp.diff.ID)
	type removed struct {
		key string
		v   strata.Vulnerability
	}
	rs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (removed, error) {
		var r removed
		var b []byte
		if err := row.Scan(&r.key, &b); err != nil {
			return r, err
		}
		return r, json.Unmarshal(b, &r.v)
	})
	if err != nil {
		return err
	}
	slices.SortFunc(rs, func(a, b removed) int { return strings.Compare(a.key, b.key) })
	for _, r := range rs {
		rp.diff.Removed = append(rp.diff.Removed, r.v)
	}
	return nil
}

// addNew inserts the records of the new set that the current one does not
// hold (any more), and notes them as added.
func (rp *replacer) addNew(ctx context.Context) error {
	rows, _ := rp.tx.Query(ctx, `WITH added AS (
			INSERT INTO vulnerabilities (updater, key, hash, ecosystem, release, package, record)
			SELECT $1, i.key, i.hash, i.ecosystem, i.release, i.package, i.record FROM incoming i
			WHERE NOT EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.updater = $1 AND v.key = i.key)
			ORDER BY i.key
			RETURNING key, record)
		INSERT INTO update_diff_records (diff, kind, key, record) SELECT $2, 'added', key, record FROM added
		RETURNING key`, rp.diff.Updater, rp.diff.ID)
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	added := make(map[string]bool, len(keys))
	for _, k := range keys {
		added[k] = true
	}
	for _, i := range rp.order {
		if added[rp.keys[i]] {
			v := rp.vulns[i]
			v.Updater = rp.diff.Updater
			rp.diff.Added = append(rp.diff.Added, v)
		}
	}
	return nil
}
