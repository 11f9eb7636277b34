package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"github.com/strata-scan/strata/internal/spool"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/bundle"
	"github.com/strata-scan/strata/internal/store"
)

const dbHelp = `Usage: strata db COMMAND [flags]

Commands:
  strata db export FILE   write all the feed data of the store to FILE, a bundle
  strata db import FILE   load a bundle's feed data into the store
  strata db status        show each feed's age, record count and last error

For installations without network access: "strata update" and "strata
db export" where the feeds can be fetched, carry the bundle over, and
"strata db import" there. Run "strata help db COMMAND" (or "strata db
COMMAND -h") for a command's flags.
`

const dbExportHelp = `Usage: strata db export [flags] FILE

Writes every feed's records, with the feed's status (the fingerprint of
its upstream documents and when they were last fetched), to FILE: one
zstd-compressed, checksummed bundle. FILE is replaced only once the bundle
is complete (a new FILE has mode 0644 less the umask; a replaced one keeps
its mode); a symbolic link is followed and kept. A FIFO or a device is
written directly. FILE "-" is standard output, and the messages go to
standard error. The SHA-256 of the bundle is printed: compare it with the
one "strata db import" prints to make sure the file that arrived is the
one that left.
`

const dbImportHelp = `Usage: strata db import [flags] FILE

Loads the feeds of a bundle made by "strata db export" into the store
(SQLite or PostgreSQL, whatever the exporting store was). The whole
bundle is read and its checksum verified before anything is written: a
truncated, corrupt or altered bundle is an error and leaves the store as
it was. Then each feed's records replace that feed's current ones in one
transaction, as an update does, and the feed keeps the age it had in the
exporting store. Feeds the bundle does not hold are left as they are.

As after "strata update", the notifications of what changed are recorded
and summarised; a feed's first load is its baseline and notifies nothing.

FILE "-" is standard input (copied to a temporary file first: a bundle is
read twice, to verify it, then to load it).
`

func runDB(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, dbHelp)
		return errors.New("want a command: export, import or status")
	}
	switch args[0] {
	case "export":
		return runDBExport(ctx, e, args[1:])
	case "import":
		return runDBImport(ctx, e, args[1:])
	case "status":
		return runDBStatus(ctx, e, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprint(e.stderr, dbHelp)
		return flag.ErrHelp
	}
	fmt.Fprint(e.stderr, dbHelp)
	return fmt.Errorf("unknown command %q (want export, import or status)", args[0])
}

// fileArg parses a db command's flags and returns its one FILE argument,
// which is not empty.
func fileArg(fs *flagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", fmt.Errorf("want exactly one FILE, have %d arguments", fs.NArg())
	}
	if fs.Arg(0) == "" {
		fs.Usage()
		return "", errors.New("empty bundle path")
	}
	return fs.Arg(0), nil
}

func runDBExport(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "db export", dbExportHelp)
	file, err := fileArg(fs, args)
	if err != nil {
		return err
	}
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	sts, err := st.UpdaterStatuses(ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, s := range sts {
		if !s.LastSuccess.IsZero() {
			names = append(names, s.Updater)
		}
	}
	if len(names) == 0 {
		return errors.New("the store holds no feed data to export: load feeds with \"strata update\" first")
	}
	loc, err := common.location()
	if err != nil {
		return err
	}
	sqlite := loc.db
	if isPostgres(sqlite) {
		sqlite = ""
	}
	// With "-", standard output is the bundle's alone.
	msgs, name := e.stdout, file
	if file == "-" {
		msgs, name = e.stderr, "standard output"
	}
	out, err := openExport(file, sqlite, e.stdout)
	if err != nil {
		return err
	}
	defer out.discard()
	sum := sha256.New()
	n, err := writeBundle(ctx, msgs, st, names, io.MultiWriter(out, sum))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := out.commit(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(msgs, "wrote %s: %d feeds, %d records, sha256 %s\n", name, len(names), n, hex.EncodeToString(sum.Sum(nil)))
	return nil
}

// writeBundle writes the feeds names of st as a bundle to w, each feed's
// progress to msgs, and returns the number of records written. Each feed
// is read under its update lock, so that its status and records are of
// the same update.
func writeBundle(ctx context.Context, msgs io.Writer, st store.Store, names []string, w io.Writer) (int, error) {
	bw, err := bundle.NewWriter(w, time.Now())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		s, vs, err := readFeed(ctx, st, name)
		if err != nil {
			return 0, err
		}
		f := bundle.Feed{Updater: name, Fingerprint: s.Fingerprint, LastSuccess: s.LastSuccess}
		if err := bw.WriteFeed(f, vs); err != nil {
			return 0, err
		}
		n += len(vs)
		fmt.Fprintf(msgs, "%s: %d records, fetched %s\n", name, len(vs), when(s.LastSuccess, time.Now()))
	}
	return n, bw.Close()
}

// readFeed reads a feed's status and records under its update lock.
func readFeed(ctx context.Context, st store.Store, name string) (*store.UpdaterStatus, []strata.Vulnerability, error) {
	unlock, err := st.Lock(ctx, "updater:"+name)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	s, err := st.UpdaterStatus(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	vs, err := st.UpdaterVulnerabilities(ctx, name)
	return s, vs, err
}

func runDBImport(ctx context.Context, e *env, args []string) error {
	fs, common := newFlags(e, "db import", dbImportHelp)
	common.creates = true
	file, err := fileArg(fs, args)
	if err != nil {
		return err
	}
	open, name := fileOpener(file), file
	if file == "-" {
		spooled, err := spool.File(os.Stdin, "strata-bundle-*")
		if err != nil {
			return fmt.Errorf("standard input: %w (nothing was imported)", err)
		}
		defer spooled.Close()
		open, name = func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(spooled, 0, 1<<62)), nil
		}, "standard input"
	}
	sum := sha256.New()
	b, err := bundle.Open(hashingOpener(open, sum))
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was imported)", name, err)
	}
	fmt.Fprintf(e.stdout, "%s: sha256 %s, made %s: %d feeds, %d records, checksum verified\n",
		name, hex.EncodeToString(sum.Sum(nil)), b.Created.Format(time.RFC3339), len(b.Feeds), b.Records)
	st, err := common.setup(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	imported := 0
	err = b.Each(func(f bundle.Feed, vs []strata.Vulnerability) error {
		if err := importFeed(ctx, e, st, f, vs); err != nil {
			return err
		}
		imported++
		return nil
	})
	switch {
	case err == nil:
	case imported == 0 && ctx.Err() != nil:
		return fmt.Errorf("%s: interrupted: nothing was imported", name)
	case imported == 0:
		return fmt.Errorf("%s: %w (nothing was imported)", name, err)
	case ctx.Err() != nil:
		return fmt.Errorf("%s: interrupted after the %d feeds listed above were imported", name, imported)
	default:
		err = fmt.Errorf("%s: %w (the %d feeds listed above were imported)", name, err, imported)
	}
	return errors.Join(err, notifySummary(ctx, e, st, imported))
}

// importFeed replaces a feed's records with a bundle's, under the feed's
// update lock.
func importFeed(ctx context.Context, e *env, st store.Store, f bundle.Feed, vs []strata.Vulnerability) error {
	unlock, err := st.Lock(ctx, "updater:"+f.Updater)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := st.UpdaterStatus(ctx, f.Updater)
	if err != nil {
		return err
	}
	if cur.LastSuccess.After(f.LastSuccess) {
		fmt.Fprintf(e.stderr, "warning: %s: the store's data (fetched %s) is newer than the bundle's (fetched %s); it is replaced all the same\n",
			f.Updater, cur.LastSuccess.Format(time.RFC3339), f.LastSuccess.Format(time.RFC3339))
	}
	d, err := st.ImportVulnerabilities(ctx, f.Updater, f.Fingerprint, f.LastSuccess, vs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d records (%d added, %d removed), fetched %s\n",
		f.Updater, len(vs), len(d.Added), len(d.Removed), when(f.LastSuccess, time.Now()))
	return nil
}

// fileOpener opens file.
func fileOpener(file string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(file) }
}

// hashingOpener opens with open; the bytes of the first reading go to sum
// too.
func hashingOpener(open func() (io.ReadCloser, error), sum hash.Hash) func() (io.ReadCloser, error) {
	first := true
	return func() (io.ReadCloser, error) {
		f, err := open()
		if err != nil {
			return nil, err
		}
		if !first {
			return f, nil
		}
		first = false
		return struct {
			io.Reader
			io.Closer
		}{io.TeeReader(f, sum), f}, nil
	}
}
