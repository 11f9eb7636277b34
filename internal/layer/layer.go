// Package layer reads one image layer in a single streaming pass: it
// detects the compression (gzip, zstd or none) from the bytes themselves,
// walks the tar, keeps the contents of the files a caller wants, records
// whiteouts, opaque directories, symbolic and hard links, and computes the
// layer's digests (the diff_id of the uncompressed tar and the digest of the
// bytes as read). Memory does not grow with the layer: only wanted files are
// kept, each at most Limits.MaxFileSize bytes.
//
// Links are resolved inside the layer as a container would see them: an
// absolute target starts at the layer root and ".." at the root stays at
// the root, so no link can reach outside the layer.
//
// Two limitations come from reading the stream once:
//   - When a wanted path is a symbolic link, its target becomes wanted for
//     the rest of the stream. If the target came earlier in the stream and
//     was not itself wanted, its contents were not kept and the link reads as
//     absent (fs.ErrNotExist).
//   - A wanted hard link reads its target's contents only if the target (an
//     earlier entry, as tar requires) was itself kept.
package layer

import (
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
	MaxFileSize int64 // max size of one wanted file kept in memory (default 256 MiB)
	MaxEntries  int   // max tar entries (default 5,000,000)
}

// DefaultLimits returns the limits strata uses unless told otherwise.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:    64 << 30,
		MaxRatio:    1000,
		MaxFileSize: 256 << 20,
		MaxEntries:  5_000_000,
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
	return l
}

// Result is what one walk of a layer found. It implements scan.FileSet.
type Result struct {
	DiffID     strata.Digest // sha256 of the uncompressed stream
	BlobDigest strata.Digest // sha256 of the bytes read from the input
	Whiteouts  []string      // "etc/motd" for "etc/.wh.motd", sorted
	Opaques    []string      // "var/cache/debconf" for "var/cache/debconf/.wh..wh..opq", sorted
	Entries    int           // tar entries
	Bytes      int64         // uncompressed bytes

	files     map[string][]byte // wanted regular files kept, by path
	symlinks  map[string]string // every symbolic link: path → target as written
	hardlinks map[string]string // every hard link: path → target entry path
}

func newResult() *Result {
	return &Result{
		files:     map[string][]byte{},
		symlinks:  map[string]string{},
		hardlinks: map[string]string{},
	}
}

// forget removes what an earlier entry recorded at p, which a later entry
// of the same layer replaces.
func (r *Result) forget(p string) {
	delete(r.files, p)
	delete(r.symlinks, p)
	delete(r.hardlinks, p)
}

// Paths lists the paths that ReadFile reads: the kept regular files and the
// symbolic and hard links that resolve to one, sorted. (A kept file under a
// directory that a later entry replaced with a link is not listed.)
func (r *Result) Paths() []string {
	var out []string
	for _, m := range []map[string]string{r.symlinks, r.hardlinks} {
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

// reaches reports whether p resolves to a kept file.
func (r *Result) reaches(p string) bool {
	t, err := r.resolve(p)
	if err != nil {
		return false
	}
	_, ok := r.files[t]
	return ok
}

// ReadFile returns the contents of a kept file, following symbolic and hard
// links inside the layer. The error wraps fs.ErrNotExist when the path, or
// what it links to, was not kept. The returned slice is shared: callers must
// not modify it.
func (r *Result) ReadFile(name string) ([]byte, error) {
	p := cleanRel(name)
	t, err := r.resolve(p)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	b, ok := r.files[t]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return b, nil
}

// cleanRel turns any slash path into a clean path relative to the layer
// root, ".." at the root staying at the root.
func cleanRel(name string) string {
	return strings.TrimPrefix(path.Clean("/"+name), "/")
}
