// Package scantest holds helpers for testing scanners: an in-memory
// scan.FileSet.
package scantest

import (
	"io/fs"
	"slices"
)

// Files is an in-memory scan.FileSet: image path (relative, no leading
// slash) → contents. It follows no links.
type Files map[string][]byte

// Paths lists the paths, sorted.
func (f Files) Paths() []string {
	ps := make([]string, 0, len(f))
	for p := range f {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// ReadFile returns the contents of path, or an error wrapping
// fs.ErrNotExist.
func (f Files) ReadFile(path string) ([]byte, error) {
	b, ok := f[path]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fs.ErrNotExist}
	}
	return b, nil
}
