package java_test

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/scan/npm"
	"github.com/strata-scan/strata/internal/scan/python"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// sharedData is /work/shared/data seen from this package's directory.
var sharedData = filepath.FromSlash("../../../../shared/data")

// appsLayer is the blob of the third layer of the bookworm-apps image, the
// one that installs runc, python3-requests, the jackson jars and
// htmlcheck (see shared/data/PROVENANCE.md, section 1).
const appsLayer = "blobs/sha256/e2d2c2798788d8b3aa718d7d4ab43e797af73528d0f11f3d70c6d9c7ba96dbba"

// TestBookwormApps runs the four language scanners over the real third
// layer of the bookworm-apps image and compares what they find with the
// image's languages.tsv: Go binaries with their stdlib, Debian's Python
// distributions, and each jar once at its real path, not at the links that
// lead to it.
func TestBookwormApps(t *testing.T) {
	image := filepath.Join(sharedData, "images/debian-bookworm-apps.oci.tar.gz")
	listing := filepath.Join(sharedData, "images/debian-bookworm-apps.languages.tsv")
	for _, f := range []string{image, listing} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("%s not present: %s (shared data absent)", filepath.Base(f), f)
		}
	}
	scanners := []scan.Scanner{gobin.Scanner{}, python.Scanner{}, npm.Scanner{}, java.Scanner{}}
	files := readLayer(t, image, appsLayer, func(p string) bool {
		return slices.ContainsFunc(scanners, func(s scan.Scanner) bool { return s.Wants(p) })
	})
	var got []strata.Package
	for _, s := range scanners {
		rep, err := s.Scan(context.Background(), files)
		if err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
		got = append(got, rep.Packages...)
	}
	want := readLanguages(t, listing)
	byPlace := func(a, b strata.Package) int {
		return strings.Compare(a.PackageDB+" "+a.Name, b.PackageDB+" "+b.Name)
	}
	slices.SortFunc(got, byPlace)
	slices.SortFunc(want, byPlace)
	// The Go binaries' symbols are checked in internal/index.
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(strata.Package{}, "Symbols")); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// readLayer reads the gzip-compressed layer blob of an OCI layout tarball
// (itself gzip-compressed) and returns its wanted regular files, its
// executables and its symbolic links, resolved, that lead to one of them.
func readLayer(t *testing.T, image, blob string, wants func(string) bool) scantest.Linked {
	t.Helper()
	f, err := os.Open(image)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	outer := tarReader(t, f)
	for {
		hdr, err := outer.Next()
		if err != nil {
			t.Fatalf("%s: no %s: %v", image, blob, err)
		}
		if hdr.Name == blob {
			break
		}
	}
	files := scantest.Linked{Files: scantest.Files{}, Links: map[string]string{}}
	tr := tarReader(t, outer)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(path.Clean("/"+hdr.Name), "/")
		switch {
		case hdr.Typeflag == tar.TypeSymlink:
			files.Links[name] = strings.TrimPrefix(path.Join("/", path.Dir(name), hdr.Linkname), "/")
		case hdr.Typeflag == tar.TypeReg && (wants(name) || hdr.Mode&0o111 != 0): // gobin wants executables wherever they are
			if files.Files[name], err = io.ReadAll(tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	for p := range files.Links { // follow chains of links
		for i := 0; i < 40 && files.Links[files.Links[p]] != ""; i++ {
			files.Links[p] = files.Links[files.Links[p]]
		}
		if !wants(p) {
			delete(files.Links, p)
		}
	}
	return files
}

func tarReader(t *testing.T, r io.Reader) *tar.Reader {
	t.Helper()
	zr, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		t.Fatal(err)
	}
	return tar.NewReader(zr)
}

// readLanguages reads a *.languages.tsv: ecosystem, name, version, path,
// note. Versions are written as the tools print them: go1.26.8 and v0.7.0
// become 1.26.8 and 0.7.0, as OSV writes them, and "(none)", for a binary
// without module information, an empty version.
func readLanguages(t *testing.T, file string) []strata.Package {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ecosystems := map[string]strata.Ecosystem{"Go": strata.Go, "PyPI": strata.PyPI, "npm": strata.NPM, "Maven": strata.Maven}
	var pkgs []strata.Package
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		c := strings.Split(line, "\t")
		if len(c) != 5 || ecosystems[c[0]] == "" {
			t.Fatalf("%s: line %d: unexpected %q", file, i+2, line)
		}
		version := c[2]
		switch {
		case c[0] == "Go" && version == "(none)":
			version = ""
		case c[0] == "Go":
			version = strings.TrimPrefix(strings.TrimPrefix(version, "v"), "go")
		}
		pkgs = append(pkgs, strata.Package{Name: c[1], Version: version, Eco: ecosystems[c[0]],
			SourceName: c[1], SourceVersion: version, PackageDB: strings.TrimPrefix(c[3], "/")})
	}
	return pkgs
}
