package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
func (s *Store) ReplaceVulnerabilities(ctx context.Context, updater, fingerprint string, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	return s.replace(ctx, updater, fingerprint, time.Time{}, vulns)
}

// ImportVulnerabilities is ReplaceVulnerabilities recording lastSuccess,
// the time the imported set was fetched, as the feed's last success.
func (s *Store) ImportVulnerabilities(ctx context.Context, updater, fingerprint string, lastSuccess time.Time, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	if lastSuccess.IsZero() {
		return nil, fmt.Errorf("sqlite: import vulnerabilities of %s: the time of the last success is required", updater)
	}
	return s.replace(ctx, updater, fingerprint, lastSuccess.UTC().Truncate(time.Microsecond), vulns)
}

// replace replaces updater's set; the status records success as the last
// success, or the time of the replacement when it is zero.
func (s *Store) replace(ctx context.Context, updater, fingerprint string, success time.Time, vulns []strata.Vulnerability) (*strata.UpdateDiff, error) {
	if updater == "" {
		return nil, errors.New("sqlite: replace vulnerabilities: the updater name is required")
	}
	diff := &strata.UpdateDiff{Updater: updater, Time: now()}
	if success.IsZero() {
		success = diff.Time
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rp, err := newReplacer(ctx, tx, diff)
		if err != nil {
			return err
		}
		defer rp.close()
		return rp.run(ctx, fingerprint, success, vulns)
	})
	if err != nil && ctx.Err() != nil {
		// database/sql closes the statements of a cancelled transaction
		// on its own, so the error seen may be "statement is closed".
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: replace vulnerabilities of %s: %w", updater, err)
	}
	return diff, nil
}

// replacer is one ReplaceVulnerabilities transaction. It walks the current
// and the new set in key order, which also keeps the index inserts
// sequential.
type replacer struct {
	tx                 *sql.Tx
	diff               *strata.UpdateDiff
	diffID             int64
	old                []hashed // the current set, by key
	saveOld, del, upd  *sql.Stmt
	newRows, diffAdded *inserter
}

// hashed is the key and content hash of a stored record.
type hashed struct {
	key  string
	hash [sha256.Size]byte
}

func newReplacer(ctx context.Context, tx *sql.Tx, diff *strata.UpdateDiff) (*replacer, error) {
	rp := &replacer{tx: tx, diff: diff}
	if err := rp.loadHashes(ctx); err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO update_diffs (updater, time) VALUES (?, ?)`, diff.Updater, formatTime(diff.Time))
	if err != nil {
		return nil, err
	}
	if rp.diffID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	if err := rp.prepare(ctx); err != nil {
		rp.close()
		return nil, err
	}
	return rp, nil
}

func (rp *replacer) prepare(ctx context.Context) error {
	stmts := []struct {
		s **sql.Stmt
		q string
	}{
		// Copies a record into the diff as removed, and returns it.
		{&rp.saveOld, `INSERT INTO update_diff_records (diff, kind, key, record)
			SELECT ?, 'removed', key, record FROM vulnerabilities WHERE updater = ? AND key = ? RETURNING record`},
		{&rp.del, `DELETE FROM vulnerabilities WHERE updater = ? AND key = ?`},
		{&rp.upd, `UPDATE vulnerabilities SET hash = ?, record = ? WHERE updater = ? AND key = ?`},
	}
	var err error
	for _, st := range stmts {
		if *st.s, err = rp.tx.PrepareContext(ctx, st.q); err != nil {
			return err
		}
	}
	rp.newRows, err = newInserter(ctx, rp.tx, "vulnerabilities", "updater", "key", "hash", "ecosystem", "release", "package", "record")
	if err != nil {
		return err
	}
	rp.diffAdded, err = newInserter(ctx, rp.tx, "update_diff_records", "diff", "kind", "key", "record")
	return err
}

func (rp *replacer) close() {
	for _, st := range []*sql.Stmt{rp.saveOld, rp.del, rp.upd} {
		if st != nil {
			st.Close()
		}
	}
	rp.newRows.close()
	rp.diffAdded.close()
}

// loadHashes reads the key and hash of every record of the current set.
func (rp *replacer) loadHashes(ctx context.Context) error {
	rows, err := rp.tx.QueryContext(ctx, `SELECT key, hash FROM vulnerabilities WHERE updater = ?`, rp.diff.Updater)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r hashed
		var h []byte
		if err := rows.Scan(&r.key, &h); err != nil {
			return err
		}
		copy(r.hash[:], h)
		rp.old = append(rp.old, r)
	}
	slices.SortFunc(rp.old, func(a, b hashed) int { return strings.Compare(a.key, b.key) })
	return rows.Err()
}

// run writes the new set, the diff's records and the updater's status,
// whose last success is success.
func (rp *replacer) run(ctx context.Context, fingerprint string, success time.Time, vulns []strata.Vulnerability) error {
	keys, order := store.LastByKey(vulns)
	o := 0 // the next record of rp.old
	for _, i := range order {
		k := keys[i]
		for ; o < len(rp.old) && rp.old[o].key < k; o++ {
			if err := rp.remove(ctx, rp.old[o].key); err != nil {
				return fmt.Errorf("record %s: %w", rp.old[o].key, err)
			}
		}
		var prev *[sha256.Size]byte
		if o < len(rp.old) && rp.old[o].key == k {
			prev = &rp.old[o].hash
			o++
		}
		if err := rp.put(ctx, k, vulns[i], prev); err != nil {
			return fmt.Errorf("record %s: %w", k, err)
		}
	}
	for ; o < len(rp.old); o++ {
		if err := rp.remove(ctx, rp.old[o].key); err != nil {
			return fmt.Errorf("record %s: %w", rp.old[o].key, err)
		}
	}
	if err := rp.finishDiff(ctx); err != nil {
		return err
	}
	_, err := rp.tx.ExecContext(ctx, `INSERT INTO updaters (name, fingerprint, last_success, last_attempt, last_error, records)
		VALUES (?, ?, ?, ?, '', ?)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, last_success = excluded.last_success,
			last_attempt = excluded.last_attempt, last_error = '', records = excluded.records`,
		rp.diff.Updater, fingerprint, formatTime(success), formatTime(rp.diff.Time), len(order))
	return err
}

// put stores v under key k unless prev, the hash of the current record
// under k (nil when there is none), is that of v.
func (rp *replacer) put(ctx context.Context, k string, v strata.Vulnerability, prev *[sha256.Size]byte) error {
	v.Updater = rp.diff.Updater
	b, err := json.Marshal(&v)
	if err != nil {
		return err
	}
	h := sha256.Sum256(b)
	switch {
	case prev == nil:
		err = rp.newRows.add(ctx, rp.diff.Updater, k, h[:], string(v.Eco), v.Release, v.Package, string(b))
	case *prev == h:
		return nil
	default:
		if err := rp.saveRemoved(ctx, k); err != nil {
			return err
		}
		_, err = rp.upd.ExecContext(ctx, h[:], string(b), rp.diff.Updater, k)
	}
	if err != nil {
		return err
	}
	rp.diff.Added = append(rp.diff.Added, v)
	return rp.diffAdded.add(ctx, rp.diffID, "added", k, string(b))
}

// remove deletes the record under key k and notes it as removed.
func (rp *replacer) remove(ctx context.Context, k string) error {
	if err := rp.saveRemoved(ctx, k); err != nil {
		return err
	}
	_, err := rp.del.ExecContext(ctx, rp.diff.Updater, k)
	return err
}

// saveRemoved copies the record under key k into the diff as removed.
func (rp *replacer) saveRemoved(ctx context.Context, k string) error {
	var b []byte
	if err := rp.saveOld.QueryRowContext(ctx, rp.diffID, rp.diff.Updater, k).Scan(&b); err != nil {
		return err
	}
	var v strata.Vulnerability
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	rp.diff.Removed = append(rp.diff.Removed, v)
	return nil
}

// finishDiff writes the rows held and drops the diff row when nothing
// changed.
func (rp *replacer) finishDiff(ctx context.Context) error {
	for _, in := range []*inserter{rp.newRows, rp.diffAdded} {
		if err := in.flush(ctx); err != nil {
			return err
		}
	}
	if len(rp.diff.Added) == 0 && len(rp.diff.Removed) == 0 {
		_, err := rp.tx.ExecContext(ctx, `DELETE FROM update_diffs WHERE id = ?`, rp.diffID)
		return err
	}
	rp.diff.ID = rp.diffID
	return nil
}
