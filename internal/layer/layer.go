// Package layer reads one image layer in a streaming pass: it detects the
// compression (gzip, zstd or none) from the bytes themselves, walks the tar,
// keeps the contents of the files a caller wants, records whiteouts, opaque
// directories, symbolic and hard links, and computes the layer's digests
// (the diff_id of the uncompressed tar and the digest of the bytes as read).
// Memory does not grow with the layer: only wanted files are kept, small
// ones in memory and large ones in one temporary file (see Result.Close),
// and what is recorded of links and whiteouts is bounded by Limits.
// Files are wanted by their path, or wherever they are for being
// executable ELF files (see Wants): of the other executables, only the
// first four bytes are read.
//
// Links are resolved inside the layer as a container would see them: an
// absolute target starts at the layer root and ".." at the root stays at
// the root, so no link can reach outside the layer. Whether a file is
// wanted is asked of its entry's name: a file that a directory link shows
// under another name is wanted (or not) under its own.
//
// A layer is an error, never a partial result, when it is not a tar, is
// cut short (even at an entry boundary, which archive/tar takes for a
// clean end), names a path or hard link outside its root, or passes a
// limit (see Limits); the error names the layer, and the entry at fault
// where there is one.
//
// A wanted link whose target came earlier in the stream, and was not itself
// wanted, cannot be read in one pass: a hard link always names an earlier
// entry (a package database reached through a hard link whose first name a
// later layer deletes), and a symbolic link may. Walk lists such targets in
// Result.Pending, and ReadPending reads the layer a second time for just
// those files. Only layers with such links, or with wanted links to files
// they do not hold (a target in a lower layer), pay for the second read.
package layer

import (
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

// Limits bound what one layer may cost. A zero field means its default.
type Limits struct {
	MaxBytes    int64 // max uncompressed bytes per layer (default 64 GiB)
	MaxRatio    int64 // max uncompressed/compressed ratio, checked past 64 MiB uncompressed (default 1000)
	MaxFileSize int64 // max size of one wanted file (default 256 MiB)
	MaxEntries  int   // max tar entries (default 5,000,000)
	// MaxRecorded bounds the bytes of the paths and link targets recorded
	// per layer: links, whiteouts and opaque directories (default 64 MiB).
	MaxRecorded int64
	// MaxPackages bounds the packages one scanner may report for one
	// layer (default 200,000), which the indexer hands to the scanners
	// (scan.PackageLimiter). Real databases list a few thousand (a full
	// Debian desktop about 5,000; Debian's whole archive about 65,000
	// binary packages); each package costs memory all along the way to
	// the report, so a database padded to millions is refused early.
	MaxPackages int
}

// DefaultLimits returns the limits strata uses unless told otherwise.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:    64 << 30,
		MaxRatio:    1000,
		MaxFileSize: 256 << 20,
		MaxEntries:  5_000_000,
		MaxRecorded: 64 << 20,
		MaxPackages: 200_000,
	}
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxRecorded <= 0 {
		l.MaxRecorded = d.MaxRecorded
	}
	if l.MaxPackages <= 0 {
		l.MaxPackages = d.MaxPackages
	}
	return l
}

// Wants says which regular files a walk keeps.
type Wants struct {
	// Path reports whether the file at path (clean, relative: "etc/passwd")
	// is wanted whatever it holds; it must be cheap. A file it wants that
	// is larger than Limits.MaxFileSize fails the walk. Nil wants none.
	Path func(path string) bool
	// Executables asks for every executable ELF file too, wherever it is:
	// a regular file whose mode has an execute bit and whose contents
	// start with the ELF magic. Result.Executable tells them apart. One
	// larger than Limits.MaxFileSize is not kept but listed in
	// Result.Skipped: a large program is no reason to refuse a layer.
	Executables bool
}

// Result is what one walk of a layer found. It implements scan.FileSet.
// Close it to release the temporary file that holds large kept files.
type Result struct {
	DiffID     strata.Digest // sha256 of the uncompressed stream
	BlobDigest strata.Digest // sha256 of the bytes read from the input
	Whiteouts  []string      // "etc/motd" for "etc/.wh.motd", sorted
	Opaques    []string      // "var/cache/debconf" for "var/cache/debconf/.wh..wh..opq", sorted
	// Symlinks lists the paths that are symbolic links when the layer
	// ends, sorted. A link hides whatever lower layers put beneath its
	// path: a directory replaced by a link is gone.
	Symlinks []string
	// Pending lists the targets of wanted links that were not kept because
	// they came earlier in the stream, sorted; ReadPending reads them.
	Pending []string
	// Skipped lists the executable ELF files wanted (Wants.Executables)
	// but not kept for being larger than Limits.MaxFileSize, sorted.
	Skipped []string
	Entries int   // tar entries
	Bytes   int64 // uncompressed bytes

	files       map[string]kept   // wanted regular files kept, by path
	symTargets  map[string]string // every symbolic link: path → target as written
	hardTargets map[string]string // every hard link: path → target entry path
	spill       *spill
}

func newResult(sp *spill) *Result {
	return &Result{
		files:       map[string]kept{},
		symTargets:  map[string]string{},
		hardTargets: map[string]string{},
		spill:       sp,
	}
}

// forget removes what an earlier entry recorded at p, which a later entry
// of the same layer replaces.
func (r *Result) forget(p string) {
	delete(r.files, p)
	delete(r.symTargets, p)
	delete(r.hardTargets, p)
}

// Paths lists the paths that ReadFile reads: the kept regular files and the
// symbolic and hard links that resolve to one, sorted. (A kept file under a
// directory that a later entry replaced with a link is not listed.)
func (r *Result) Paths() []string {
	var out []string
	for _, m := range []map[string]string{r.symTargets, r.hardTargets} {
		for p := range m {
			if r.reaches(p) {
				out = append(out, p)
			}
		}
	}
	for p := range r.files {
		if r.reaches(p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Unresolved lists the symbolic and hard links that wants accepts and
// that cannot be resolved in the layer (a loop), sorted. ReadFile takes
// them as absent; callers may warn of them.
func (r *Result) Unresolved(wants func(string) bool) []string {
	var out []string
	for _, m := range []map[string]string{r.symTargets, r.hardTargets} {
		for p := range m {
			if !wants(p) {
				continue
			}
			if _, err := r.resolve(p); err != nil {
				out = append(out, p)
			}
		}
	}
	return sortedUnique(out)
}

// reaches reports whether p resolves to a kept file.
func (r *Result) reaches(p string) bool {
	t, err := r.resolve(p)
	if err != nil {
		return false
	}
	_, ok := r.files[t]
	return ok
}

// Executable reports whether name leads, through its links, to a kept
// file that is an executable ELF file, when the walk wanted those
// (Wants.Executables).
func (r *Result) Executable(name string) bool {
	k, err := r.kept("open", name)
	return err == nil && k.exec
}

// ReadFile returns the contents of a kept file, following symbolic and hard
// links inside the layer. The error wraps fs.ErrNotExist when the path, or
// what it links to, was not kept. Callers must not modify the slice.
func (r *Result) ReadFile(name string) ([]byte, error) {
	k, err := r.kept("read", name)
	if err != nil {
		return nil, err
	}
	b, err := r.spill.read(k)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// Section returns a reader of a kept file's contents, following links as
// ReadFile does (scan.Sectioner). A large file, kept in the temporary
// file, is read from there only where the reader is asked to, so that a
// scanner that needs a few parts of a large file never holds all of it.
// The reader fails once the result is closed.
func (r *Result) Section(name string) (*io.SectionReader, error) {
	k, err := r.kept("open", name)
	if err != nil {
		return nil, err
	}
	sr, err := r.spill.section(k)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return sr, nil
}

// kept finds the kept file that name leads to; op names the operation in
// errors. A name whose links cannot be resolved in the layer (a loop) is
// absent: its error wraps fs.ErrNotExist as well as the reason.
func (r *Result) kept(op, name string) (kept, error) {
	t, err := r.resolve(cleanRel(name))
	if err != nil {
		return kept{}, &fs.PathError{Op: op, Path: name, Err: unresolved{err}}
	}
	k, ok := r.files[t]
	if !ok {
		return kept{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return k, nil
}

// unresolved is the error of a path whose links cannot be resolved in the
// layer: for scanners, the file is absent.
type unresolved struct{ err error }

func (u unresolved) Error() string { return u.err.Error() }

func (u unresolved) Unwrap() []error { return []error{u.err, fs.ErrNotExist} }

// Close releases the temporary file of the large kept files, if any;
// ReadFile fails on them afterwards. A nil Result may be closed.
func (r *Result) Close() error {
	if r == nil {
		return nil
	}
	return r.spill.close()
}

// cleanRel turns any slash path into a clean path relative to the layer
// root, ".." at the root staying at the root.
func cleanRel(name string) string {
	return strings.TrimPrefix(path.Clean("/"+name), "/")
}
