package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// PackageVersions returns, in ID order, the package versions held under
// any of keys, by name or by source name.
func (s *Store) PackageVersions(ctx context.Context, keys []store.PackageKey) ([]store.PackageVersion, error) {
	ecos, releases, names := keyColumns(keys)
	rows, _ := s.pool.Query(ctx, `SELECT id, ecosystem, release, name, version, source_name, source_version, arch, module
		FROM packages WHERE id IN (
			SELECT p.id FROM unnest($1::text[], $2::text[], $3::text[]) AS k (e, r, n)
				JOIN packages p ON p.ecosystem = k.e AND p.release = k.r AND p.name = k.n
			UNION SELECT p.id FROM unnest($1::text[], $2::text[], $3::text[]) AS k (e, r, n)
				JOIN packages p ON p.ecosystem = k.e AND p.release = k.r AND p.source_name = k.n)
		ORDER BY id`, ecos, releases, names)
	vs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.PackageVersion, error) {
		var v store.PackageVersion
		p := &v.Package
		err := row.Scan(&v.ID, &p.Eco, &v.Release, &p.Name, &p.Version, &p.SourceName, &p.SourceVersion, &p.Arch, &p.Module)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: package versions of %d keys: %w", len(keys), err)
	}
	return vs, nil
}

// ManifestsWith calls fn with each manifest holding one of the package
// versions: by number, and by digest with the layer when digests is set.
// Without digests, the manifests of a version come as one array (a
// million images hold millions of versions: decoded row by row they took
// half as long again). With them, the digests and layers are read after,
// for the manifests found: joined in the first query, PostgreSQL would
// read every manifest to hash them.
func (s *Store) ManifestsWith(ctx context.Context, versions []int64, digests bool, fn func(store.Holding) error) error {
	var err error
	if digests {
		err = s.holdingsWithDigests(ctx, versions, fn)
	} else {
		rows, _ := s.pool.Query(ctx, `SELECT package, array_agg(manifest) FROM manifest_packages
			WHERE package = ANY ($1) GROUP BY package`, versions)
		var h store.Holding
		var ms []int64
		_, err = pgx.ForEachRow(rows, []any{&h.Version, &ms}, func() error {
			for _, h.Manifest = range ms {
				if err := fn(h); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("postgres: manifests of %d package versions: %w", len(versions), err)
	}
	return nil
}

// holdingsWithDigests calls fn with each manifest holding one of the
// package versions, by digest with the layer.
func (s *Store) holdingsWithDigests(ctx context.Context, versions []int64, fn func(store.Holding) error) error {
	rows, _ := s.pool.Query(ctx, `SELECT package, manifest, layer FROM manifest_packages WHERE package = ANY ($1)`, versions)
	var hs []store.Holding
	var layers []int
	var h store.Holding
	var l int
	_, err := pgx.ForEachRow(rows, []any{&h.Version, &h.Manifest, &l}, func() error {
		hs, layers = append(hs, h), append(layers, l)
		return nil
	})
	if err != nil {
		return err
	}
	return s.callWithDigests(ctx, hs, layers, fn)
}

// callWithDigests calls fn with each of hs, its digest and the digest of
// its layer (of index layers[i] in its manifest) filled in.
func (s *Store) callWithDigests(ctx context.Context, hs []store.Holding, layers []int, fn func(store.Holding) error) error {
	var ids []int64
	for _, h := range hs {
		ids = append(ids, h.Manifest)
	}
	type layer struct {
		manifest int64
		idx      int
	}
	names, ls := map[int64]strata.Digest{}, map[layer]strata.Digest{}
	rows, _ := s.pool.Query(ctx, `SELECT m.id, m.digest, coalesce(l.idx, -1), coalesce(l.layer, '')
		FROM manifests m LEFT JOIN manifest_layers l ON l.manifest = m.digest WHERE m.id = ANY ($1)`, ids)
	var id int64
	var digest, l strata.Digest
	var idx int
	_, err := pgx.ForEachRow(rows, []any{&id, &digest, &idx, &l}, func() error {
		names[id], ls[layer{id, idx}] = digest, l
		return nil
	})
	if err != nil {
		return err
	}
	for i, h := range hs {
		if h.Digest = names[h.Manifest]; h.Digest == "" {
			continue // deleted since
		}
		h.Layer = ls[layer{h.Manifest, layers[i]}]
		if err := fn(h); err != nil {
			return err
		}
	}
	return nil
}

// ManifestDigests returns the numbers and digests of the manifests ids
// still indexed, in number order. When the ids fill at least half of
// their range (a diff that affects most images), the range is read and
// the others dropped: a million ids looked up one by one took twice as
// long.
func (s *Store) ManifestDigests(ctx context.Context, ids []int64) ([]store.IndexedManifest, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, nil
	}
	lo, hi := ids[0], ids[len(ids)-1]
	q, args := `SELECT id, digest FROM manifests WHERE id = ANY ($1) ORDER BY id`, []any{ids}
	if int64(len(ids)) >= (hi-lo)/2 {
		q, args = `SELECT id, digest FROM manifests WHERE id BETWEEN $1 AND $2 ORDER BY id`, []any{lo, hi}
	}
	rows, _ := s.pool.Query(ctx, q, args...)
	var ms []store.IndexedManifest
	var m store.IndexedManifest
	i := 0
	_, err := pgx.ForEachRow(rows, []any{&m.ID, &m.Digest}, func() error {
		for i < len(ids) && ids[i] < m.ID {
			i++
		}
		if i < len(ids) && ids[i] == m.ID {
			ms = append(ms, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: manifests of %d numbers: %w", len(ids), err)
	}
	return ms, nil
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

// PutNotifications records that diff was processed, with n, unless it
// was processed before.
func (s *Store) PutNotifications(ctx context.Context, diff int64, updater string, n *store.DiffNotifications) (bool, error) {
	sets, err := store.SplitSets(n.Sets)
	if err != nil {
		return false, fmt.Errorf("postgres: put notifications of diff %d: %w", diff, err)
	}
	errDone := errors.New("processed before")
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO notified_diffs (diff, updater, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			diff, updater, now())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errDone
		}
		return copyGroups(ctx, tx, diff, n.Changes, sets)
	})
	if errors.Is(err, errDone) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: put notifications of diff %d: %w", diff, err)
	}
	return true, nil
}

// copyGroups writes the changes of a diff and a group per set.
func copyGroups(ctx context.Context, tx pgx.Tx, diff int64, changes []store.Change, sets []store.ChangeSet) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"notification_changes"},
		[]string{"diff", "idx", "vulnerability", "aliases", "package", "version", "reason", "severity"},
		pgx.CopyFromSlice(len(changes), func(i int) ([]any, error) {
			c := changes[i]
			return []any{diff, i, c.Vulnerability, store.FormatAliases(c.Aliases), c.Package, c.Version, c.Reason, int(c.Severity)}, nil
		}))
	if err != nil {
		return err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"notification_groups"}, []string{"diff", "manifests", "changes", "pairs"},
		pgx.CopyFromSlice(len(sets), func(i int) ([]any, error) {
			ms, cs, err := store.EncodeSet(sets[i], len(changes))
			return []any{diff, ms, cs, int64(len(sets[i].Manifests)) * int64(len(sets[i].Changes))}, err
		}))
	return err
}

// queueDropNotifications queues, in batch, dropping the pending
// notifications of the image m, which is being deleted: it is marked
// deleted in the pending groups naming it, with their acked count
// (store.DeleteManifestEdit).
func queueDropNotifications(batch *pgx.Batch, m strata.Digest) error {
	old, prefix, suffix, err := store.DeleteManifestEdit(m)
	if err != nil {
		return err
	}
	batch.Queue(`UPDATE notification_groups SET manifests = replace(manifests, $1::text, $2::text || acked::text || $3::text)
		WHERE acked < pairs AND strpos(manifests, $1::text) > 0`, old, prefix, suffix)
	return nil
}

// NotificationGroups returns the groups f selects, in ID order.
func (s *Store) NotificationGroups(ctx context.Context, f store.GroupFilter) ([]store.NotificationGroup, error) {
	gs, err := s.groups(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: notification groups %+v: %w", f, err)
	}
	return gs, nil
}

// groups reads the groups f selects, then their changes.
func (s *Store) groups(ctx context.Context, f store.GroupFilter) ([]store.NotificationGroup, error) {
	q := `SELECT g.id, g.diff, d.updater, d.created, g.manifests, g.changes, g.acked, g.delivered_at
		FROM notification_groups g JOIN notified_diffs d ON d.diff = g.diff
		WHERE g.id >= $1 AND ($2 = 0 OR g.diff = $2)`
	if f.Pending {
		q += ` AND g.acked < g.pairs`
	}
	rows, _ := s.pool.Query(ctx, q+` ORDER BY g.id LIMIT $3`, f.From, f.Diff, f.Limit)
	var changes [][]int32
	gs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.NotificationGroup, error) {
		var g store.NotificationGroup
		var created, delivered *time.Time
		var ms, cs []byte
		if err := row.Scan(&g.ID, &g.Diff, &g.Updater, &created, &ms, &cs, &g.Acked, &delivered); err != nil {
			return g, err
		}
		if created != nil {
			g.Created = created.UTC()
		}
		if delivered != nil {
			g.Delivered = delivered.UTC()
		}
		var err error
		if g.Manifests, g.Deleted, err = store.DecodeManifests(ms); err != nil {
			return g, fmt.Errorf("group %d: manifests: %w", g.ID, err)
		}
		c, err := store.DecodeChanges(cs)
		if err != nil {
			return g, fmt.Errorf("group %d: %w", g.ID, err)
		}
		changes = append(changes, c)
		return g, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, store.FillChanges(ctx, gs, changes, s.changes)
}

// changes returns the changes idx of diff.
func (s *Store) changes(ctx context.Context, diff int64, idx []int32) (map[int32]store.Change, error) {
	rows, _ := s.pool.Query(ctx, `SELECT idx, vulnerability, aliases, package, version, reason, severity
		FROM notification_changes WHERE diff = $1 AND idx = ANY ($2)`, diff, idx)
	out := make(map[int32]store.Change, len(idx))
	var i int32
	var c store.Change
	var aliases string
	_, err := pgx.ForEachRow(rows, []any{&i, &c.Vulnerability, &aliases, &c.Package, &c.Version, &c.Reason, &c.Severity}, func() error {
		c.Aliases = store.ParseAliases(aliases)
		out[i] = c
		return nil
	})
	return out, err
}

// AckNotifications marks delivered the pending notifications of diff (of
// every diff when 0) up to through, and counts them.
func (s *Store) AckNotifications(ctx context.Context, diff, through int64) (int64, error) {
	group, k := store.SplitNotificationID(through)
	var n int64
	err := s.pool.QueryRow(ctx, `WITH old AS (
			SELECT id, acked FROM notification_groups
			WHERE acked < pairs AND ($3 = 0 OR diff = $3) AND id <= $1 AND (id < $1 OR acked <= $2)
			FOR UPDATE),
		acked AS (
			UPDATE notification_groups g SET acked = CASE WHEN g.id < $1 THEN g.pairs ELSE least(g.pairs, $2 + 1) END,
				delivered_at = $4
			FROM old WHERE g.id = old.id RETURNING g.acked - old.acked AS n)
		SELECT coalesce(sum(n), 0)::bigint FROM acked`, group, k, diff, now()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: ack notifications of diff %d through %d: %w", diff, through, err)
	}
	return n, nil
}

// VulnerabilitiesByID returns the records whose ID or an alias is one of
// ids, sorted by updater and key: one range of the key index per id (see
// VulnerabilitiesByIDs) and one search of the aliases' GIN index.
func (s *Store) VulnerabilitiesByID(ctx context.Context, ids ...string) ([]strata.Vulnerability, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, nil
	}
	rows, _ := s.pool.Query(ctx, `WITH hit AS (
			SELECT v.updater, v.key FROM unnest($1::text[]) AS i (id)
				CROSS JOIN LATERAL (SELECT updater, key FROM vulnerabilities
					WHERE key >= i.id || '|' AND key < i.id || '}' OFFSET 0) AS v
			UNION
			SELECT updater, key FROM vulnerabilities WHERE (record -> 'aliases')::jsonb ?| $1::text[])
		SELECT v.record FROM hit JOIN vulnerabilities v ON v.updater = hit.updater AND v.key = hit.key
		ORDER BY v.updater, v.key`, ids)
	vs, err := pgx.CollectRows(rows, decodeRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres: vulnerabilities of %s: %w", store.IDList(ids), err)
	}
	return vs, nil
}
