package scan

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/strata-scan/strata"
)

// Resolver is implemented by file sets that know their links: Resolve
// returns the path that path names once every symbolic and hard link is
// followed.
type Resolver interface {
	Resolve(path string) (string, error)
}

// RealFiles drops from paths those that lead to a file already counted:
// another of the paths, or the target of an earlier link. So a file
// reached through links (usr/bin/runc → ../sbin/runc, or
// usr/share/java/x-1.0.jar → x.jar) is read once, at its own path when
// that is listed. A file set that cannot resolve links has every path
// counted.
func RealFiles(files FileSet, paths []string) []string {
	r, ok := files.(Resolver)
	if !ok {
		return paths
	}
	listed := make(map[string]bool, len(paths))
	for _, p := range paths {
		listed[p] = true
	}
	seen := make(map[string]bool, len(paths))
	var out []string
	for _, p := range paths {
		t, err := r.Resolve(p)
		if err != nil {
			t = p
		}
		if (t != p && listed[t]) || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, p)
	}
	return out
}

// Sectioner is implemented by file sets that can read part of a file
// without holding all of it in memory: Section returns a reader of a
// wanted file's bytes (links followed, as ReadFile does) that reads only
// the bytes asked for, from wherever the file set keeps them.
type Sectioner interface {
	Section(path string) (*io.SectionReader, error)
}

// Section returns a reader of a file of files: the file set's own when it
// is a Sectioner, else one over the bytes of ReadFile.
func Section(files FileSet, path string) (*io.SectionReader, error) {
	if s, ok := files.(Sectioner); ok {
		return s.Section(path)
	}
	b, err := files.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b))), nil
}

// RealDatabases lists every file of files that wants accepts in the
// report's Databases, so that it replaces what lower layers found at the
// same path, and hands each of their RealFiles, in order, to read to turn
// into packages, as a Section: read takes from it only the bytes it
// needs. read logs what it skips. name prefixes errors. More packages
// than the file set's MaxPackages (PackageLimiter) fail the scan, as in
// Databases.
func RealDatabases(ctx context.Context, name string, files FileSet, wants func(string) bool, read func(path string, r *io.SectionReader) []strata.Package) (*strata.LayerReport, error) {
	rep := &strata.LayerReport{}
	for _, p := range files.Paths() {
		if wants(p) {
			rep.Databases = append(rep.Databases, p)
		}
	}
	max := maxPackages(files)
	for _, p := range RealFiles(files, rep.Databases) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := Section(files, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := addPackages(rep, name, p, read(p, r), max); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
