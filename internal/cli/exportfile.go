package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// exportFile is where "strata db export" writes its bundle. Nothing is
// in place until commit returns nil; discard, deferred, undoes what
// commit did not complete.
type exportFile struct {
	io.Writer
	commit  func() error
	discard func()
}

// maxLinks bounds the symbolic links openExport follows, as Linux does.
const maxLinks = 40

// openExport opens file for a bundle:
//   - "-" is stdout;
//   - a symbolic link is followed, and the file it points to written as
//     below, the link kept;
//   - an existing FIFO or device is written directly (opening a FIFO
//     waits for its reader);
//   - a regular file, or none, is written to a temporary file in its
//     directory that commit renames over it, so that it is replaced only
//     by a complete bundle. A new file has mode 0644 less the umask, as
//     a shell's ">" makes it; a replaced file keeps its mode.
//
// The SQLite store's file (sqlite, "" for none) and its journals are
// refused, by name or through links, before anything is written.
func openExport(file, sqlite string, stdout io.Writer) (*exportFile, error) {
	if file == "-" {
		return &exportFile{stdout, func() error { return nil }, func() {}}, nil
	}
	target, info, err := followLinks(file)
	if err != nil {
		return nil, err
	}
	if sqlite != "" && isStoreFile(sqlite, target, info) {
		return nil, fmt.Errorf("%s: is the store itself (%s): export to another file", file, sqlite)
	}
	switch {
	case info == nil || info.Mode().IsRegular():
		return replaceFile(target, info)
	case info.IsDir():
		return nil, fmt.Errorf("%s: is a directory", file)
	}
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	closed := false
	commit := func() error { closed = true; return f.Close() }
	discard := func() {
		if !closed {
			f.Close()
		}
	}
	return &exportFile{f, commit, discard}, nil
}

// followLinks follows file's symbolic links, if any, to the file they
// point to, and returns its path and information, nil when it does not
// exist (a dangling link names the file to create).
func followLinks(file string) (string, fs.FileInfo, error) {
	for range maxLinks {
		info, err := os.Lstat(file)
		if errors.Is(err, fs.ErrNotExist) {
			return file, nil, nil
		}
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return file, info, err
		}
		dest, err := os.Readlink(file)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(file), dest)
		}
		file = dest
	}
	return "", nil, fmt.Errorf("%s: more than %d symbolic links", file, maxLinks)
}

// replaceFile writes a temporary file beside target, renamed over it on
// commit. Its mode is that of target, whose information is old, else
// 0644 less the umask.
func replaceFile(target string, old fs.FileInfo) (*exportFile, error) {
	tmp, err := createTemp(target)
	if err != nil {
		return nil, err
	}
	if old != nil {
		if err := tmp.Chmod(old.Mode().Perm()); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, err
		}
	}
	done := false
	commit := func() error {
		err := tmp.Sync()
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), target)
		}
		done = err == nil
		return err
	}
	discard := func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	return &exportFile{tmp, commit, discard}, nil
}

// createTemp creates a new file ".BASE.RANDOM" in target's directory.
// Unlike os.CreateTemp's 0600, its mode is 0644 less the umask. An error
// names target, not the temporary file the user never named.
func createTemp(target string) (*os.File, error) {
	dir, base := filepath.Split(target)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", target, pe.Err)
		}
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("%s: cannot create a temporary file beside it", target)
}

// isStoreFile says whether target, of information info (nil when it
// does not exist), is the SQLite store db or one of its journals. The
// journals need not exist yet: SQLite would take a file of theirs for its
// own.
func isStoreFile(db, target string, info fs.FileInfo) bool {
	abs, err1 := filepath.Abs(target)
	store, err2 := filepath.Abs(db)
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err1 == nil && err2 == nil && abs == store+suffix {
			return true
		}
		if fi, err := os.Stat(db + suffix); err == nil && info != nil && os.SameFile(fi, info) {
			return true
		}
	}
	return false
}
