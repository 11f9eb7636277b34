package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// AffectedReports returns, in manifest order, the index reports of the
// manifests holding a package under any of keys, in one query.
func (s *Store) AffectedReports(ctx context.Context, keys []store.PackageKey) ([]*strata.IndexReport, error) {
	rs, err := s.column(ctx, `SELECT report FROM manifests WHERE digest IN (SELECT p.manifest FROM json_each(?) k
		JOIN package_keys p ON p.ecosystem = k.value ->> 0 AND p.release = k.value ->> 1 AND p.name = k.value ->> 2)
		ORDER BY digest`, keysJSON(keys))
	if err != nil {
		return nil, fmt.Errorf("sqlite: affected reports of %d keys: %w", len(keys), err)
	}
	out := make([]*strata.IndexReport, len(rs))
	for i, b := range rs {
		out[i] = &strata.IndexReport{}
		if err := json.Unmarshal([]byte(b), out[i]); err != nil {
			return nil, fmt.Errorf("sqlite: affected reports: %w", err)
		}
	}
	return out, nil
}

// CountManifests counts the indexed manifests.
func (s *Store) CountManifests(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM manifests`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count manifests: %w", err)
	}
	return n, nil
}

// keysJSON encodes keys as a JSON array of [ecosystem, release, name]
// arrays, for json_each.
func keysJSON(keys []store.PackageKey) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		row, _ := json.Marshal([3]string{string(k.Eco), k.Release, k.Name}) // strings always encode
		b.Write(row)
	}
	b.WriteByte(']')
	return b.String()
}

// column returns the one text column of query q's rows.
func (s *Store) column(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// NotifyProgress returns the diffs the notifier has processed.
func (s *Store) NotifyProgress(ctx context.Context) (*store.NotifyProgress, error) {
	p := &store.NotifyProgress{}
	err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(diff), 0) FROM notified_diffs`).Scan(&p.LastDiff)
	if err == nil {
		p.Updaters, err = s.column(ctx, `SELECT DISTINCT updater FROM notified_diffs ORDER BY updater`)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: notify progress: %w", err)
	}
	return p, nil
}

// PutNotifications records that diff was processed, with ns, unless it
// was processed before.
func (s *Store) PutNotifications(ctx context.Context, diff int64, updater string, ns []store.Notification) (bool, error) {
	done := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notified_diffs (diff, updater) VALUES (?, ?) ON CONFLICT DO NOTHING`, diff, updater)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		return insertNotifications(ctx, tx, diff, updater, ns)
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: put notifications of diff %d: %w", diff, err)
	}
	return done, nil
}

func insertNotifications(ctx context.Context, tx *sql.Tx, diff int64, updater string, ns []store.Notification) error {
	in, err := newInserter(ctx, tx, "notifications",
		"diff", "updater", "manifest", "vulnerability", "package", "version", "reason", "severity", "created")
	if err != nil {
		return err
	}
	defer in.close()
	created := formatTime(now())
	for _, n := range ns {
		err := in.add(ctx, diff, updater, string(n.Manifest), n.Vulnerability, n.Package, n.Version, n.Reason, int(n.Severity), created)
		if err != nil {
			return err
		}
	}
	return in.flush(ctx)
}

// Notifications returns the notifications f selects.
func (s *Store) Notifications(ctx context.Context, f store.NotificationFilter) ([]store.Notification, error) {
	q := `SELECT id, diff, updater, manifest, vulnerability, package, version, reason, severity, created, delivered_at
		FROM notifications WHERE id > ?1 AND (?2 = 0 OR diff = ?2)`
	if f.Pending {
		q += ` AND delivered_at IS NULL`
	}
	ns, err := s.notifications(ctx, q+` ORDER BY id LIMIT ?3`, f.After, f.Diff, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: notifications %+v: %w", f, err)
	}
	return ns, nil
}

func (s *Store) notifications(ctx context.Context, q string, args ...any) ([]store.Notification, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ns []store.Notification
	for rows.Next() {
		var n store.Notification
		var created, delivered sql.NullString
		err := rows.Scan(&n.ID, &n.Diff, &n.Updater, &n.Manifest, &n.Vulnerability, &n.Package, &n.Version,
			&n.Reason, &n.Severity, &created, &delivered)
		if err != nil {
			return nil, err
		}
		if n.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		if n.Delivered, err = parseTime(delivered); err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

// AckNotifications marks ids delivered and counts those that were pending.
func (s *Store) AckNotifications(ctx context.Context, ids []int64) (int, error) {
	b, err := json.Marshal(ids)
	if err != nil {
		return 0, fmt.Errorf("sqlite: ack notifications: %w", err)
	}
	var n int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET delivered_at = ?
			WHERE delivered_at IS NULL AND id IN (SELECT value FROM json_each(?))`, formatTime(now()), string(b))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: ack %d notifications: %w", len(ids), err)
	}
	return int(n), nil
}

// VulnerabilitiesByID returns the records whose ID or an alias is id,
// sorted by updater and key.
func (s *Store) VulnerabilitiesByID(ctx context.Context, id string) ([]strata.Vulnerability, error) {
	vs, err := s.appendRecords(ctx, nil, `SELECT record FROM vulnerabilities
		WHERE key >= ?1 AND key < ?2 OR EXISTS (SELECT 1 FROM json_each(record, '$.aliases') WHERE value = ?3)
		ORDER BY updater, key`, id+"|", id+"}", id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: vulnerabilities of id %q: %w", id, err)
	}
	return vs, nil
}
