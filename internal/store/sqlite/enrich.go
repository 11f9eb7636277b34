package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/strata-scan/strata"
)

// VulnerabilitiesByIDs returns updater's records whose ID is one of ids,
// sorted by key: one lookup of the primary key per id, the ids passed as
// one JSON array.
func (s *Store) VulnerabilitiesByIDs(ctx context.Context, updater string, ids []string) ([]strata.Vulnerability, error) {
	list, ids, err := idsJSON(ids)
	if len(ids) == 0 || err != nil {
		return nil, err
	}
	// A record's key is "ID|…": the keys of an ID are those from "ID|"
	// up to "ID}", '}' following '|'. CROSS JOIN keeps the ids the outer
	// loop, so that each is one search of the primary key rather than
	// the updater's every record a scan of the list.
	vs, err := s.appendRecords(ctx, nil, `SELECT v.record FROM json_each(?1) AS i
		CROSS JOIN vulnerabilities AS v
		WHERE v.updater = ?2 AND v.key >= i.value || '|' AND v.key < i.value || '}'
		ORDER BY v.key`, list, updater)
	if err != nil {
		return nil, fmt.Errorf("sqlite: vulnerabilities of updater %s by %d ids: %w", updater, len(ids), err)
	}
	return vs, nil
}

// idsJSON returns ids sorted, once each, and as a JSON array to pass to
// json_each.
func idsJSON(ids []string) (string, []string, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	b, err := json.Marshal(ids)
	return string(b), ids, err
}
