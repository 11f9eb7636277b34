package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// flagSet is a verb's flag set. Its Parse takes flags before, between and
// after the positional arguments ("scan IMAGE --db F.db"); "--" ends the
// flags. Args, NArg and Arg are the positional arguments.
type flagSet struct {
	*flag.FlagSet
	args []string
}

// newFlags makes a verb's flag set, with the flags every verb shares. A
// flag error is printed once, after the usage, by Run.
func newFlags(e *env, name, help string) (*flagSet, *commonFlags) {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs.SetOutput(io.Discard) // the flag package would print the error before the usage
	fs.Usage = func() {
		fmt.Fprint(e.stderr, help, "\nFlags:\n")
		fs.SetOutput(e.stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	c := &commonFlags{}
	fs.StringVar(&c.db, "db", "", "store: an SQLite file or a postgres:// URL (default $STRATA_DB, else <user cache dir>/strata/strata.db)")
	fs.BoolVar(&c.verbose, "verbose", false, "log what happens (layers read or cached, feeds fetched) to stderr")
	return fs, c
}

// Parse parses the flags among args and keeps the other arguments, in
// order, for Args.
func (fs *flagSet) Parse(args []string) error {
	fs.args = []string{}
	for {
		if err := fs.FlagSet.Parse(args); err != nil {
			return err // after the usage; Run prints the error
		}
		rest := fs.FlagSet.Args()
		if fs.endedFlags(args, len(args)-len(rest)) {
			fs.args = append(fs.args, rest...)
			return nil
		}
		if len(rest) == 0 {
			return nil
		}
		fs.args = append(fs.args, rest[0])
		args = rest[1:]
	}
}

// endedFlags says whether the flag package stopped at a "--" after
// reading the first n of args: a "--" that is not the value of a flag.
func (fs *flagSet) endedFlags(args []string, n int) bool {
	if n == 0 || args[n-1] != "--" {
		return false
	}
	if n == 1 {
		return true
	}
	prev := strings.TrimLeft(args[n-2], "-")
	if !strings.HasPrefix(args[n-2], "-") || strings.Contains(prev, "=") {
		return true
	}
	f := fs.Lookup(prev)
	if f == nil {
		return true
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag() // a flag that takes a value took the "--"
}

// Args is the positional arguments.
func (fs *flagSet) Args() []string { return fs.args }

// NArg is the number of positional arguments.
func (fs *flagSet) NArg() int { return len(fs.args) }

// Arg is the i-th positional argument, "" when there is none.
func (fs *flagSet) Arg(i int) string {
	if i < 0 || i >= len(fs.args) {
		return ""
	}
	return fs.args[i]
}

type commonFlags struct {
	db      string
	verbose bool
	// creates says that the verb may create the store. Without it, an
	// SQLite file that does not exist is an error, not an empty store.
	creates bool
}

// setup configures logging and opens the store.
func (c *commonFlags) setup(ctx context.Context, e *env) (store.Store, error) {
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	e.log = newWarningLogger(e.stderr, level)
	loc, err := c.location()
	if err != nil {
		return nil, err
	}
	return openStore(ctx, loc, c.creates)
}

// storeLocation is the store's file or URL and what named it.
type storeLocation struct {
	db string
	// namedBy is the flag, variable or setting that named db ("--db",
	// "$STRATA_DB"); "" for the default file, whose directories are
	// created.
	namedBy string
}

func (c *commonFlags) location() (storeLocation, error) {
	if c.db != "" {
		return storeLocation{c.db, "--db"}, nil
	}
	if p := os.Getenv("STRATA_DB"); p != "" {
		return storeLocation{p, "$STRATA_DB"}, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return storeLocation{}, fmt.Errorf("no --db given, no $STRATA_DB and no user cache directory: %w", err)
	}
	return storeLocation{filepath.Join(dir, "strata", "strata.db"), ""}, nil
}

// isPostgres says whether the store location db is a PostgreSQL URL
// rather than an SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens a PostgreSQL store for a postgres:// (or postgresql://)
// URL, else the SQLite file at loc; a missing file is created only when
// creates is set, and in a directory that exists unless it is the default
// file.
func openStore(ctx context.Context, loc storeLocation, creates bool) (store.Store, error) {
	if isPostgres(loc.db) {
		s, err := postgres.Open(ctx, loc.db)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return s, nil
	}
	if err := loc.prepare(creates); err != nil {
		return nil, err
	}
	s, err := sqlite.Open(ctx, loc.db)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// createsStore says which verbs create a store.
const createsStore = `"strata scan", "strata index", "strata update" or "strata db import" creates one`

// prepare checks, before SQLite would create anything, that the file
// exists or may be created, and creates the default file's directories.
func (loc storeLocation) prepare(creates bool) error {
	fi, err := os.Stat(loc.db)
	if !creates && err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return fmt.Errorf("%s is empty, not a store (%s)", loc.db, createsStore)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or an error that opening it reports
	}
	dir := filepath.Dir(loc.db)
	if _, err := os.Stat(dir); loc.namedBy != "" && errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s %s: directory %s does not exist", loc.namedBy, loc.db, dir)
	}
	if !creates {
		return fmt.Errorf("no store at %s (%s)", loc.db, createsStore)
	}
	if loc.namedBy == "" {
		return os.MkdirAll(dir, 0o700)
	}
	return nil
}

// checkFormat refuses a --format other than the two every verb writes.
func checkFormat(format string) error {
	if format != "table" && format != "json" {
		return fmt.Errorf("unknown --format %q (want table or json)", format)
	}
	return nil
}

// either returns one when n is 1, else many.
func either(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// plural returns n followed by one or many, as either chooses: "1 image",
// "2 images".
func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, either(n, one, many))
}
