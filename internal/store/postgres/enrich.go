package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
)

// VulnerabilitiesByIDs returns updater's records whose ID is one of ids,
// sorted by key: one range of the primary key per id.
func (s *Store) VulnerabilitiesByIDs(ctx context.Context, updater string, ids []string) ([]strata.Vulnerability, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, nil
	}
	// A record's key is "ID|…": the keys of an ID are those from "ID|"
	// up to "ID}", '}' following '|' (key's collation is "C"). The
	// subquery is looked up once per ID (OFFSET 0 keeps the planner from
	// joining it, which it did by scanning every record once per ID: 5 s
	// for 1,000 IDs among 50,000 records, 4 ms this way).
	rows, _ := s.pool.Query(ctx, `SELECT v.record FROM unnest($2::text[]) AS i (id)
		CROSS JOIN LATERAL (SELECT record, key FROM vulnerabilities
			WHERE updater = $1 AND key >= i.id || '|' AND key < i.id || '}' OFFSET 0) AS v
		ORDER BY v.key`, updater, ids)
	vs, err := pgx.CollectRows(rows, decodeRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres: vulnerabilities of updater %s by %d ids: %w", updater, len(ids), err)
	}
	return vs, nil
}
