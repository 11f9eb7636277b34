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

// AffectedReports returns, in manifest order, the index reports of the
// manifests holding a package under any of keys, in one query.
func (s *Store) AffectedReports(ctx context.Context, keys []store.PackageKey) ([]*strata.IndexReport, error) {
	ecos, releases, names := keyColumns(keys)
	rows, _ := s.pool.Query(ctx, `SELECT report FROM manifests WHERE digest IN (SELECT p.manifest
		FROM unnest($1::text[], $2::text[], $3::text[]) AS k (e, r, n)
		JOIN package_keys p ON p.ecosystem = k.e AND p.release = k.r AND p.name = k.n)
		ORDER BY digest`, ecos, releases, names)
	rs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("postgres: affected reports of %d keys: %w", len(keys), err)
	}
	out := make([]*strata.IndexReport, len(rs))
	for i, b := range rs {
		out[i] = &strata.IndexReport{}
		if err := json.Unmarshal(b, out[i]); err != nil {
			return nil, fmt.Errorf("postgres: affected reports: %w", err)
		}
	}
	return out, nil
}

// CountManifests counts the indexed manifests.
func (s *Store) CountManifests(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM manifests`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count manifests: %w", err)
	}
	return n, nil
}

// keyColumns splits keys into the columns unnest takes.
func keyColumns(keys []store.PackageKey) (ecos, releases, names []string) {
	ecos, releases, names = make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		ecos[i], releases[i], names[i] = string(k.Eco), k.Release, k.Name
	}
	return ecos, releases, names
}

// NotifyProgress returns the diffs the notifier has processed.
func (s *Store) NotifyProgress(ctx context.Context) (*store.NotifyProgress, error) {
	p := &store.NotifyProgress{}
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(diff), 0) FROM notified_diffs`).Scan(&p.LastDiff)
	if err == nil {
		rows, _ := s.pool.Query(ctx, `SELECT DISTINCT updater FROM notified_diffs ORDER BY updater`)
		p.Updaters, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: notify progress: %w", err)
	}
	return p, nil
}

// PutNotifications records that diff was processed, with ns, unless it
// was processed before.
func (s *Store) PutNotifications(ctx context.Context, diff int64, updater string, ns []store.Notification) (bool, error) {
	errDone := errors.New("processed before")
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO notified_diffs (diff, updater) VALUES ($1, $2) ON CONFLICT DO NOTHING`, diff, updater)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errDone
		}
		created := now()
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"notifications"},
			[]string{"diff", "updater", "manifest", "vulnerability", "package", "version", "reason", "severity", "created"},
			pgx.CopyFromSlice(len(ns), func(i int) ([]any, error) {
				n := ns[i]
				return []any{diff, updater, string(n.Manifest), n.Vulnerability, n.Package, n.Version, n.Reason, int(n.Severity), created}, nil
			}))
		return err
	})
	if errors.Is(err, errDone) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: put notifications of diff %d: %w", diff, err)
	}
	return true, nil
}

// Notifications returns the notifications f selects.
func (s *Store) Notifications(ctx context.Context, f store.NotificationFilter) ([]store.Notification, error) {
	q := `SELECT id, diff, updater, manifest, vulnerability, package, version, reason, severity, created,
		delivered_at FROM notifications WHERE id > $1 AND ($3 = 0 OR diff = $3)`
	if f.Pending {
		q += ` AND delivered_at IS NULL`
	}
	rows, _ := s.pool.Query(ctx, q+` ORDER BY id LIMIT $2`, f.After, f.Limit, f.Diff)
	ns, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Notification, error) {
		var n store.Notification
		var delivered *time.Time
		err := row.Scan(&n.ID, &n.Diff, &n.Updater, &n.Manifest, &n.Vulnerability, &n.Package, &n.Version,
			&n.Reason, &n.Severity, &n.Created, &delivered)
		n.Created = n.Created.UTC()
		if delivered != nil {
			n.Delivered = delivered.UTC()
		}
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: notifications %+v: %w", f, err)
	}
	return ns, nil
}

// AckNotifications marks ids delivered and counts those that were pending.
func (s *Store) AckNotifications(ctx context.Context, ids []int64) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE notifications SET delivered_at = $1
		WHERE delivered_at IS NULL AND id = ANY ($2)`, now(), ids)
	if err != nil {
		return 0, fmt.Errorf("postgres: ack %d notifications: %w", len(ids), err)
	}
	return int(tag.RowsAffected()), nil
}

// VulnerabilitiesByID returns the records whose ID or an alias is id,
// sorted by updater and key.
func (s *Store) VulnerabilitiesByID(ctx context.Context, id string) ([]strata.Vulnerability, error) {
	rows, _ := s.pool.Query(ctx, `SELECT record FROM vulnerabilities
		WHERE key >= $1 AND key < $2 OR (record -> 'aliases')::jsonb ? $3
		ORDER BY updater, key`, id+"|", id+"}", id)
	vs, err := pgx.CollectRows(rows, decodeRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres: vulnerabilities of id %q: %w", id, err)
	}
	return vs, nil
}
