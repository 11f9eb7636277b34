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
	if eco == "" {
		return nil, nil // records of no ecosystem match no package
	}
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
	if eco == "" {
		return false, nil // records of no ecosystem cover nothing
	}
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
	st, err := scanStatus(s.r.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM updaters WHERE name = ?`, updater))
	if errors.Is(err, sql.ErrNoRows) {
		return &store.UpdaterStatus{Updater: updater}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: updater status of %s: %w", updater, err)
	}
	return &st, nil
}

// UpdaterStatuses returns the status of every feed ever run, by name.
func (s *Store) UpdaterStatuses(ctx context.Context) ([]store.UpdaterStatus, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+statusColumns+` FROM updaters ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: updater statuses: %w", err)
	}
	defer rows.Close()
	var sts []store.UpdaterStatus
	for rows.Next() {
		st, err := scanStatus(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: updater statuses: %w", err)
		}
		sts = append(sts, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: updater statuses: %w", err)
	}
	return sts, nil
}

// statusColumns are the columns of the updaters table that scanStatus reads.
const statusColumns = `name, fingerprint, last_success, last_attempt, last_error, records`

func scanStatus(row interface{ Scan(dest ...any) error }) (store.UpdaterStatus, error) {
	var st store.UpdaterStatus
	var success, attempt sql.NullString
	err := row.Scan(&st.Updater, &st.Fingerprint, &success, &attempt, &st.LastError, &st.Records)
	if err == nil {
		st.LastSuccess, err = parseTime(success)
	}
	if err == nil {
		st.LastAttempt, err = parseTime(attempt)
	}
	return st, err
}

// RecordUpdateUnchanged notes a run that found updater's feed unchanged
// upstream: a success that keeps its data. A feed never loaded is left
// as it is.
func (s *Store) RecordUpdateUnchanged(ctx context.Context, updater string) error {
	t := formatTime(now())
	_, err := s.w.ExecContext(ctx, `UPDATE updaters SET last_success = ?, last_attempt = ?, last_error = ''
		WHERE name = ? AND last_success IS NOT NULL AND last_success != ''`, t, t, updater)
	if err != nil {
		return fmt.Errorf("sqlite: record unchanged update of %s: %w", updater, err)
	}
	return nil
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
