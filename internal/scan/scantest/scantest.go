// Package scantest holds helpers for testing scanners: an in-memory
// scan.FileSet, a logger whose output tests can compare, and checks every
// scanner must pass.
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

// Linked is an in-memory scan.FileSet with links: Links maps a link's path
// to the path it resolves to. Like a layer's file set, it lists a link only
// when its target is present, and it implements scan.Resolver.
type Linked struct {
	Files
	Links map[string]string
}

// Paths lists the files and the links whose target is present, sorted.
func (l Linked) Paths() []string {
	ps := l.Files.Paths()
	for p := range l.Links {
		if _, err := l.ReadFile(p); err == nil {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

// ReadFile returns the contents of path, following a link.
func (l Linked) ReadFile(p string) ([]byte, error) {
	t, _ := l.Resolve(p)
	return l.Files.ReadFile(t)
}

// Resolve returns the path a link resolves to; other paths resolve to
// themselves.
func (l Linked) Resolve(p string) (string, error) {
	if t, ok := l.Links[p]; ok {
		return t, nil
	}
	return p, nil
}

// Unreadable is an in-memory scan.FileSet that lists its files but fails
// to read them, with a *fs.PathError wrapping Err.
type Unreadable struct {
	Files
	Err error
}

// ReadFile fails: with fs.ErrNotExist for a path not listed, with Err for
// one that is.
func (u Unreadable) ReadFile(p string) ([]byte, error) {
	if _, err := u.Files.ReadFile(p); err != nil {
		return nil, err
	}
	return nil, &fs.PathError{Op: "read", Path: p, Err: u.Err}
}
