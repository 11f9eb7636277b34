// Package postgres is the store for `strata serve` at scale: PostgreSQL
// through pgx, shared by several stateless replicas. Its schema is made by
// the numbered files of migrations/, the same numbers as store/sqlite's,
// run at Open under an advisory lock so that replicas starting together
// migrate once. Its named locks (Lock, TryLock) are session advisory locks,
// which PostgreSQL frees when a replica holding one dies.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/strata-scan/strata/internal/store"
)

// Store is a store.Store over a PostgreSQL database. It is safe for use by
// many goroutines and many processes.
type Store struct {
	pool  *pgxpool.Pool
	locks *pgxpool.Pool // the sessions that hold named locks (see Lock)
}

// Open connects to the database that connString names (a URL or keyword/value
// string, as libpq takes) and brings its schema up to date.
func Open(ctx context.Context, connString string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err) // the error may quote the string's password: do not repeat it
	}
	where := cfg.ConnConfig.Host + "/" + cfg.ConnConfig.Database
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", where, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", where, err)
	}
	locks, err := pgxpool.NewWithConfig(ctx, cfg.Copy()) // connects when first used
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", where, err)
	}
	return &Store{pool: pool, locks: locks}, nil
}

// Close closes the connections, releasing the locks still held.
func (s *Store) Close() error {
	s.locks.Close()
	s.pool.Close()
	return nil
}

// The schema migrations, "NNNN_name.sql", numbered from 1 without gaps.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key held while migrating.
const migrationLock = 0x5374726174614d // "strataM"

// migrate applies, in one transaction, the migrations the database has not
// had yet. A database migrated by a newer program is refused.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := store.Migrations(migrationFiles)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if cur > len(ms) {
			return fmt.Errorf("migrate: schema version %d is newer than this program's (%d)", cur, len(ms))
		}
		for _, m := range ms[cur:] {
			if _, err := tx.Exec(ctx, m.SQL); err != nil { // no arguments: the simple protocol, several statements
				return fmt.Errorf("migrate: %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, m.Version, now()); err != nil {
				return fmt.Errorf("migrate: %s: %w", m.Name, err)
			}
		}
		return nil
	})
}

// now is the current time at the precision PostgreSQL keeps.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
