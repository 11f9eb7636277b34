package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/strata-scan/strata/internal/store"
)

// The schema migrations, "NNNN_name.sql", numbered from 1 without gaps. The
// PostgreSQL store uses the same numbers.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies, in one transaction, the migrations the database has not
// had yet. A database migrated by a newer program is refused.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := store.Migrations(migrationFiles)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if cur > len(ms) {
		return fmt.Errorf("migrate: schema version %d is newer than this program's (%d)", cur, len(ms))
	}
	at := formatTime(now())
	for _, m := range ms[cur:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.Version, at); err != nil {
			return fmt.Errorf("migrate: %s: %w", m.Name, err)
		}
	}
	return tx.Commit()
}
