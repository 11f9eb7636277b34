package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
)

// namesPerQuery bounds the IN list of one Vulnerabilities query.
const namesPerQuery = 500

// Vulnerabilities returns the records, of every updater, of the ecosystem
// and release whose package is one of names, sorted by package, id and
// updater.
func (s *Store) Vulnerabilities(ctx context.Context, eco strata.Ecosystem, release string, names []string) ([]strata.Vulnerability, error) {
	names = slices.Compact(slices.Sorted(slices.Values(names)))
	var out []strata.Vulnerability
	for part := range slices.Chunk(names, namesPerQuery) {
		q := `SELECT record FROM vulnerabilities WHERE ecosystem = ? AND release = ? AND package IN (?` +
			strings.Repeat(", ?", len(part)-1) + `)`
		args := []any{string(eco), release}
		for _, n := range part {
			args = append(args, n)
		}
		var err error
		if out, err = s.appendRecords(ctx, out, q, args...); err != nil {
			return nil, fmt.Errorf("sqlite: vulnerabilities of %s %q: %w", eco, release, err)
		}
	}
	store.SortRecords(out)
	return out, nil
}

// UpdaterVulnerabilities returns updater's set, sorted by key.
func (s *Store) UpdaterVulnerabilities(ctx context.Context, updater string) ([]strata.Vulnerability, error) {
	vs, err := s.appendRecords(ctx, nil, `SELECT record FROM vulnerabilities WHERE updater = ? ORDER BY key`, updater)
	if err != nil {
		return nil, fmt.Errorf("sqlite: vulnerabilities of updater %s: %w", updater, err)
	}
	return vs, nil
}

// appendRecords appends to vs the records that query q returns.
func (s *Store) appendRecords(ctx context.Context, vs []strata.Vulnerability, q string, args ...any) ([]strata.Vulnerability, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		var v strata.Vulnerability
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// Covered reports whether any updater has a record for the ecosystem and
// release.
func (s *Store) Covered(ctx context.Context, eco strata.Ecosystem, release string) (bool, error) {
	var ok bool
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM vulnerabilities WHERE ecosystem = ? AND release = ?)`,
		string(eco), release).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("sqlite: covered %s %q: %w", eco, release, err)
	}
	return ok, nil
}

// UpdaterStatus returns what is known about updater; a feed never run has a
// zero status.
func (s *Store) UpdaterStatus(ctx context.Context, updater string) (*store.UpdaterStatus, error) {
	st := &store.UpdaterStatus{Updater: updater}
	var success, attempt sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT fingerprint, last_success, last_attempt, last_error, records
		FROM updaters WHERE name = ?`, updater).Scan(&st.Fingerprint, &success, &attempt, &st.LastError, &st.Records)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err == nil {
		st.LastSuccess, err = parseTime(success)
	}
	if err == nil {
		st.LastAttempt, err = parseTime(attempt)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: updater status of %s: %w", updater, err)
	}
	return st, nil
}

// RecordUpdateFailure notes a failed run of updater, keeping its data.
func (s *Store) RecordUpdateFailure(ctx context.Context, updater string, msg string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO updaters (name, last_attempt, last_error) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error`,
		updater, formatTime(now()), msg)
	if err != nil {
		return fmt.Errorf("sqlite: record update failure of %s: %w", updater, err)
	}
	return nil
}
