// Package sqlite is the default store: one SQLite file (modernc.org/sqlite,
// pure Go) in WAL mode, written through a single connection and read
// through a pool, so that readers never wait for a long feed update. The
// schema is made by the numbered files of migrations/, run at Open. Its
// named locks (Lock, TryLock) are held in this process: they exclude the
// Stores of one process on a file, not other processes.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Store is a store.Store over one SQLite file. It is safe for use by many
// goroutines.
type Store struct {
	path string
	abs  string  // the absolute path, naming the file's locks
	w    *sql.DB // the one writer connection
	r    *sql.DB // readers
}

// busyTimeout is how long a statement waits for another process's lock.
const busyTimeout = 10 * time.Second

// Open opens (creating it and its directory when needed) the database at
// path and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	s := &Store{path: path, abs: abs}
	// For the large feed updates: 16 KiB pages (set when the file is
	// created) and a 64 MiB page cache for the writer.
	s.w, err = openDB(ctx, abs, "_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1&_txlock=immediate"+
		"&_pragma=page_size(16384)&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, err
	}
	s.w.SetMaxOpenConns(1)
	if err := migrate(ctx, s.w); err != nil {
		s.w.Close()
		return nil, err
	}
	if s.r, err = openDB(ctx, abs, "_query_only=1&_pragma=mmap_size(1073741824)"); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return s, nil
}

// openDB opens a pool on the file at abs with the given DSN parameters and
// checks that a connection can be made.
func openDB(ctx context.Context, abs, params string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", OmitHost: true, Path: abs}
	dsn := u.String() + "?_busy_timeout=" + fmt.Sprint(busyTimeout.Milliseconds()) + "&" + params
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := errors.Join(s.r.Close(), s.w.Close()); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

// inTx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// timeLayout is how times are stored: UTC, fixed width, so that text order
// is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// now is the current time at the precision the store keeps.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored time; NULL is the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t, nil
}
