package java

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/strata-scan/strata"
)

// Limits of one file's walk, so that a zip bomb costs little.
const (
	maxDepth  = 2         // levels of archives nested in the file
	maxNested = 64 << 20  // uncompressed bytes of one nested archive
	maxTotal  = 256 << 20 // uncompressed bytes of all the nested archives of one file
	maxMeta   = 1 << 20   // bytes of one pom.properties or MANIFEST.MF
)

// ParseArchive reads a .jar, .war or .ear of size bytes and the archives
// nested in it, at most two levels deep, and returns the libraries they
// hold (see the package documentation), each once. Of the file itself,
// only the parts asked for are read from r: its central directory and the
// entries read (pom.properties, MANIFEST.MF, nested archives, each
// bounded). path is the file's image path: it is every package's
// PackageDB, nested archives included, and a package of a nested archive
// has that archive's path inside the file as its Nested
// ("WEB-INF/lib/x.jar"). Errors name the part of the file they are about
// as Package.Location does ("app.war!/WEB-INF/lib/x.jar").
//
// err is an error when the file itself is not a readable archive. A
// nested archive that is not, or that is too deep or too large, or a
// pom.properties or MANIFEST.MF that cannot be read or says too little, is
// returned in skipped, and the walk goes on.
func ParseArchive(path string, r io.ReaderAt, size int64) (pkgs []strata.Package, skipped []Skip, err error) {
	w := &walker{db: path, budget: maxTotal, seen: map[string]bool{}}
	if err := w.archive(path, r, size, 0); err != nil {
		return nil, nil, err
	}
	return w.pkgs, w.skipped, nil
}

// Skip is a part of an archive that ParseArchive went past.
type Skip struct {
	Part string // what it is: "nested archive", "MANIFEST.MF" or "pom.properties"
	Err  error  // why, naming its path ("java: app.war!/WEB-INF/lib/x.jar: zip: not a valid zip file")
}

// walker is the state of one file's walk.
type walker struct {
	db      string // PackageDB of what is found
	budget  int64  // nested bytes left
	pkgs    []strata.Package
	seen    map[string]bool // name@version of pkgs
	skipped []Skip
}

// skip records a part of the archive named name that the walk goes past.
func (w *walker) skip(part, name string, err error) {
	w.skipped = append(w.skipped, Skip{Part: part, Err: fmt.Errorf("java: %s: %w", name, err)})
}

// archive reads one archive of size bytes, depth levels down, named name
// as Package.Location names it.
func (w *walker) archive(name string, r io.ReaderAt, size int64, depth int) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are only read, never written
		return fmt.Errorf("java: %s: %w", name, err)
	}
	var (
		found    []strata.Package
		manifest map[string]string
		nested   []*zip.File
	)
	for _, f := range zr.File {
		switch {
		case isPom(f.Name):
			p, err := pom(f)
			if err != nil {
				w.skip("pom.properties", name+"!/"+f.Name, err)
			} else {
				found = append(found, p)
			}
		case strings.EqualFold(f.Name, "META-INF/MANIFEST.MF") && manifest == nil:
			b, err := readEntry(f, maxMeta)
			if err != nil {
				w.skip("MANIFEST.MF", name+"!/"+f.Name, err)
			}
			manifest = parseManifest(b)
		case isArchive(f.Name) && !f.FileInfo().IsDir():
			nested = append(nested, f)
		}
	}
	if len(found) == 0 {
		found = identify(manifest, baseName(name))
	}
	for _, p := range found {
		p.PackageDB, p.Nested = w.db, strings.TrimPrefix(name[len(w.db):], "!/")
		w.add(p)
	}
	for _, f := range nested {
		w.nested(name+"!/"+f.Name, f, depth+1)
	}
	return nil
}

// nested reads an archive inside another, named name as
// Package.Location names it.
func (w *walker) nested(name string, f *zip.File, depth int) {
	switch limit := min(maxNested, w.budget); {
	case depth > maxDepth:
		w.skip("nested archive", name, fmt.Errorf("nested more than %d archives deep", maxDepth))
	case f.UncompressedSize64 > uint64(limit):
		w.skip("nested archive", name, fmt.Errorf("%d bytes exceed the %d left to read", f.UncompressedSize64, limit))
	default:
		b, err := readEntry(f, limit)
		if err != nil {
			w.skip("nested archive", name, err)
			return
		}
		w.budget -= int64(len(b))
		if err := w.archive(name, bytes.NewReader(b), int64(len(b)), depth); err != nil {
			w.skipped = append(w.skipped, Skip{Part: "nested archive", Err: err})
		}
	}
}

// add records p unless the same library was found before in the file.
func (w *walker) add(p strata.Package) {
	if k := p.Name + "@" + p.Version; !w.seen[k] {
		w.seen[k] = true
		w.pkgs = append(w.pkgs, p)
	}
}

// pom reads a META-INF/maven/GROUP/ARTIFACT/pom.properties.
func pom(f *zip.File) (strata.Package, error) {
	b, err := readEntry(f, maxMeta)
	if err != nil {
		return strata.Package{}, err
	}
	return fromPom(f.Name, parseProperties(b))
}

// isPom reports whether name is a META-INF/maven/GROUP/ARTIFACT/pom.properties.
func isPom(name string) bool {
	rest, ok := strings.CutPrefix(name, "META-INF/maven/")
	return ok && strings.Count(rest, "/") == 2 && strings.HasSuffix(rest, "/pom.properties")
}

// readEntry reads a file of an archive, if it has at most limit bytes.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes", limit)
	}
	return b, nil
}

// baseName is the last element of an archive's name: "x.jar" for
// "app.war!/WEB-INF/lib/x.jar".
func baseName(name string) string {
	return name[strings.LastIndexByte(name, '/')+1:]
}
