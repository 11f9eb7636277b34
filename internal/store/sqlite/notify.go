package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// PackageVersions returns, in ID order, the package versions held under
// any of keys, by name or by source name.
func (s *Store) PackageVersions(ctx context.Context, keys []store.PackageKey) ([]store.PackageVersion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, ecosystem, release, name, version, source_name, source_version, arch, module
		FROM packages WHERE id IN (
			SELECT p.id FROM json_each(?1) k JOIN packages p
				ON p.ecosystem = k.value ->> 0 AND p.release = k.value ->> 1 AND p.name = k.value ->> 2
			UNION SELECT p.id FROM json_each(?1) k JOIN packages p
				ON p.ecosystem = k.value ->> 0 AND p.release = k.value ->> 1 AND p.source_name = k.value ->> 2)
		ORDER BY id`, keysJSON(keys))
	if err != nil {
		return nil, fmt.Errorf("sqlite: package versions of %d keys: %w", len(keys), err)
	}
	defer rows.Close()
	var out []store.PackageVersion
	for rows.Next() {
		var v store.PackageVersion
		p := &v.Package
		if err := rows.Scan(&v.ID, &p.Eco, &v.Release, &p.Name, &p.Version, &p.SourceName, &p.SourceVersion, &p.Arch, &p.Module); err != nil {
			return nil, fmt.Errorf("sqlite: package versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: package versions: %w", err)
	}
	return out, nil
}

// ManifestsWith calls fn with each manifest holding one of the package
// versions: by number, and by digest with the layer when digests is set.
func (s *Store) ManifestsWith(ctx context.Context, versions []int64, digests bool, fn func(store.Holding) error) error {
	ids, err := json.Marshal(versions)
	if err != nil {
		return fmt.Errorf("sqlite: manifests of %d package versions: %w", len(versions), err)
	}
	q := `SELECT package, manifest FROM manifest_packages WHERE package IN (SELECT value FROM json_each(?))`
	if digests {
		q = `SELECT p.package, p.manifest, i.manifest, iif(p.layer >= 0, coalesce(i.layers ->> p.layer, ''), '')
			FROM manifest_packages p JOIN indexed_manifests i ON i.id = p.manifest
			WHERE p.package IN (SELECT value FROM json_each(?))`
	}
	rows, err := s.r.QueryContext(ctx, q, string(ids))
	if err != nil {
		return fmt.Errorf("sqlite: manifests of %d package versions: %w", len(versions), err)
	}
	defer rows.Close()
	var h store.Holding
	dest := []any{&h.Version, &h.Manifest, &h.Digest, &h.Layer}
	if !digests {
		dest = dest[:2]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("sqlite: manifests of package versions: %w", err)
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: manifests of package versions: %w", err)
	}
	return nil
}

// ManifestDigests returns the numbers and digests of the manifests ids
// still indexed, in number order. The rows are read in the order of ids,
// sorted and without repeats: next to each other.
func (s *Store) ManifestDigests(ctx context.Context, ids []int64) ([]store.IndexedManifest, error) {
	list, err := json.Marshal(slices.Compact(slices.Sorted(slices.Values(ids))))
	if err != nil {
		return nil, fmt.Errorf("sqlite: manifests of %d numbers: %w", len(ids), err)
	}
	// Sorted here: an ORDER BY would sort them all before the first row.
	rows, err := s.r.QueryContext(ctx, `SELECT i.id, i.manifest FROM json_each(?) j JOIN indexed_manifests i ON i.id = j.value`,
		string(list))
	if err != nil {
		return nil, fmt.Errorf("sqlite: manifests of %d numbers: %w", len(ids), err)
	}
	defer rows.Close()
	var ms []store.IndexedManifest
	for rows.Next() {
		var m store.IndexedManifest
		if err := rows.Scan(&m.ID, &m.Digest); err != nil {
			return nil, fmt.Errorf("sqlite: manifests of numbers: %w", err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: manifests of numbers: %w", err)
	}
	slices.SortFunc(ms, func(a, b store.IndexedManifest) int { return cmp.Compare(a.ID, b.ID) })
	return ms, nil
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

// PutNotifications records that diff was processed, with n, unless it
// was processed before.
func (s *Store) PutNotifications(ctx context.Context, diff int64, updater string, n *store.DiffNotifications) (bool, error) {
	sets, err := store.SplitSets(n.Sets)
	if err != nil {
		return false, fmt.Errorf("sqlite: put notifications of diff %d: %w", diff, err)
	}
	done := false
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notified_diffs (diff, updater, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			diff, updater, formatTime(now()))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		return insertGroups(ctx, tx, diff, n.Changes, sets)
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: put notifications of diff %d: %w", diff, err)
	}
	return done, nil
}

// insertGroups writes the changes of a diff and a group per set.
func insertGroups(ctx context.Context, tx *sql.Tx, diff int64, changes []store.Change, sets []store.ChangeSet) error {
	cs, err := newInserter(ctx, tx, "notification_changes", "diff", "idx", "vulnerability", "aliases", "package", "version", "reason", "severity")
	if err != nil {
		return err
	}
	defer cs.close()
	for i, c := range changes {
		if err := cs.add(ctx, diff, i, c.Vulnerability, store.FormatAliases(c.Aliases), c.Package, c.Version, c.Reason, int(c.Severity)); err != nil {
			return err
		}
	}
	if err := cs.flush(ctx); err != nil {
		return err
	}
	groups, err := newInserter(ctx, tx, "notification_groups", "diff", "manifests", "changes", "pairs")
	if err != nil {
		return err
	}
	defer groups.close()
	for _, set := range sets {
		ms, cs, err := store.EncodeSet(set, len(changes))
		if err != nil {
			return err
		}
		if err := groups.add(ctx, diff, ms, cs, int64(len(set.Manifests))*int64(len(set.Changes))); err != nil {
			return err
		}
	}
	return groups.flush(ctx)
}

// dropNotifications drops the pending notifications of the image m,
// which is being deleted: it is marked deleted in the pending groups
// naming it, with their acked count (store.DeleteManifestEdit).
func dropNotifications(ctx context.Context, tx *sql.Tx, m strata.Digest) error {
	old, prefix, suffix, err := store.DeleteManifestEdit(m)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE notification_groups SET manifests = replace(manifests, ?1, ?2 || acked || ?3)
		WHERE acked < pairs AND instr(manifests, ?1) > 0`, old, prefix, suffix)
	return err
}

// NotificationGroups returns the groups f selects, in ID order.
func (s *Store) NotificationGroups(ctx context.Context, f store.GroupFilter) ([]store.NotificationGroup, error) {
	gs, err := s.groups(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: notification groups %+v: %w", f, err)
	}
	return gs, nil
}

// groups reads the groups f selects, then their changes.
func (s *Store) groups(ctx context.Context, f store.GroupFilter) ([]store.NotificationGroup, error) {
	q := `SELECT g.id, g.diff, d.updater, d.created, g.manifests, g.changes, g.acked, g.delivered_at
		FROM notification_groups g JOIN notified_diffs d ON d.diff = g.diff
		WHERE g.id >= ?1 AND (?2 = 0 OR g.diff = ?2)`
	if f.Pending {
		q += ` AND g.acked < g.pairs`
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY g.id LIMIT ?3`, f.From, f.Diff, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var gs []store.NotificationGroup
	var changes [][]int32
	for rows.Next() {
		var g store.NotificationGroup
		var created, delivered sql.NullString
		var ms, cs []byte
		if err := rows.Scan(&g.ID, &g.Diff, &g.Updater, &created, &ms, &cs, &g.Acked, &delivered); err != nil {
			return nil, err
		}
		if g.Manifests, g.Deleted, err = store.DecodeManifests(ms); err != nil {
			return nil, fmt.Errorf("group %d: manifests: %w", g.ID, err)
		}
		c, err := store.DecodeChanges(cs)
		if err != nil {
			return nil, fmt.Errorf("group %d: %w", g.ID, err)
		}
		if g.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		if g.Delivered, err = parseTime(delivered); err != nil {
			return nil, err
		}
		gs, changes = append(gs, g), append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return gs, store.FillChanges(ctx, gs, changes, s.changes)
}

// changes returns the changes idx of diff.
func (s *Store) changes(ctx context.Context, diff int64, idx []int32) (map[int32]store.Change, error) {
	list, err := json.Marshal(idx)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT idx, vulnerability, aliases, package, version, reason, severity
		FROM notification_changes WHERE diff = ? AND idx IN (SELECT value FROM json_each(?))`, diff, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int32]store.Change, len(idx))
	for rows.Next() {
		var i int32
		var c store.Change
		var aliases string
		if err := rows.Scan(&i, &c.Vulnerability, &aliases, &c.Package, &c.Version, &c.Reason, &c.Severity); err != nil {
			return nil, err
		}
		c.Aliases = store.ParseAliases(aliases)
		out[i] = c
	}
	return out, rows.Err()
}

// AckNotifications marks delivered the pending notifications of diff (of
// every diff when 0) up to through, and counts them.
func (s *Store) AckNotifications(ctx context.Context, diff, through int64) (int64, error) {
	group, k := store.SplitNotificationID(through)
	const (
		acked = `CASE WHEN id < ?1 THEN pairs ELSE min(pairs, ?2 + 1) END`
		which = ` WHERE acked < pairs AND (?3 = 0 OR diff = ?3) AND id <= ?1 AND (id < ?1 OR acked <= ?2)`
	)
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(`+acked+` - acked), 0) FROM notification_groups`+which,
			group, k, diff).Scan(&n); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE notification_groups SET acked = `+acked+`, delivered_at = ?4`+which,
			group, k, diff, formatTime(now()))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: ack notifications of diff %d through %d: %w", diff, through, err)
	}
	return n, nil
}

// VulnerabilitiesByID returns the records whose ID or an alias is one of
// ids, sorted by updater and key: one search of vulnerability_ids per id.
func (s *Store) VulnerabilitiesByID(ctx context.Context, ids ...string) ([]strata.Vulnerability, error) {
	list, ids, err := idsJSON(ids)
	if len(ids) == 0 || err != nil {
		return nil, err
	}
	vs, err := s.appendRecords(ctx, nil, `SELECT v.record FROM vulnerabilities v
		WHERE (v.updater, v.key) IN (SELECT x.updater, x.key FROM json_each(?1) AS i
			CROSS JOIN vulnerability_ids AS x WHERE x.id = i.value)
		ORDER BY v.updater, v.key`, list)
	if err != nil {
		return nil, fmt.Errorf("sqlite: vulnerabilities of %s: %w", store.IDList(ids), err)
	}
	return vs, nil
}
