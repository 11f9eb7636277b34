package index_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/index"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/scanners"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// sharedImages is the folder of the real bookworm images (see
// ../shared/data/PROVENANCE.md, section 1).
const sharedImages = "../../../shared/data/images"

func sharedImage(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(sharedImages, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real image not present: %s (shared data absent)", p)
	}
	return p
}

// newIndexer is an indexer of the given scanners (all of strata's when
// none) over a new SQLite store, which it also returns.
func newIndexer(t *testing.T, ss ...scan.Scanner) (*index.Indexer, *sqlite.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if ss == nil {
		ss = scanners.All()
	}
	return &index.Indexer{Store: st, Scanners: ss, Limits: layer.DefaultLimits()}, st
}

func indexImage(t *testing.T, ix *index.Indexer, ref string, opt image.Options) *strata.IndexReport {
	t.Helper()
	ctx := context.Background()
	im, err := image.Open(ctx, ref, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	r, err := ix.Index(ctx, im)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// expected reads a *.packages.tsv of the shared images: the image's true
// package list, made by dpkg-query over its root file system.
func expected(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedImages, name))
	if err != nil {
		t.Skipf("expected package list not present: %v (shared data absent)", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header: package version arch source source_version status
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 6 || c[5] != "install ok installed" {
			t.Fatalf("%s: unexpected line %q", name, sc.Text())
		}
		out = append(out, strings.Join(c[:5], "\t"))
	}
	return out
}

// listed is the dpkg package list of a report in the columns of expected
// (the *.packages.tsv lists hold dpkg's packages only).
func listed(r *strata.IndexReport) []string {
	var out []string
	for _, p := range r.Packages {
		if p.Eco != strata.Deb {
			continue
		}
		out = append(out, strings.Join([]string{p.Name, p.Version, p.Arch, p.SourceName, p.SourceVersion}, "\t"))
	}
	return out
}

// introducedIn maps package name to the index (1-based) of the layer that
// introduced it.
func introducedIn(r *strata.IndexReport) map[string]int {
	m := map[string]int{}
	for _, p := range r.Packages {
		for i, l := range r.Layers {
			if l.Digest == p.IntroducedIn {
				m[p.Name] = i + 1
			}
		}
	}
	return m
}

// nameVersions lists a report's packages as "name version".
func nameVersions(r *strata.IndexReport) []string {
	var out []string
	for _, p := range r.Packages {
		out = append(out, p.Name+" "+p.Version)
	}
	return out
}

// A dpkg status database and an os-release, as tar entries.
const bookwormStatus = `Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.15-1~deb12u1
`

var osRelease = testutil.Entry{Path: "etc/os-release", Body: []byte("ID=debian\nVERSION_ID=\"12\"\n")}

func statusAt(path string) testutil.Entry {
	return testutil.Entry{Path: path, Body: []byte(bookwormStatus)}
}

// layerOf is a layer of the entries, its blob compressed as c.
func layerOf(t *testing.T, c testutil.Compression, entries ...testutil.Entry) v1.Layer {
	t.Helper()
	b, err := testutil.Tar(entries...)
	if err != nil {
		t.Fatal(err)
	}
	l, err := testutil.Layer(b, c, "")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// ociLayout writes an image of the layers as an OCI layout and returns its
// directory.
func ociLayout(t *testing.T, layers ...v1.Layer) string {
	t.Helper()
	img, err := testutil.ImageOf(layers...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := testutil.WriteOCILayout(dir, img); err != nil {
		t.Fatal(err)
	}
	return dir
}

// digestsOf lists the blob digests of the layers.
func digestsOf(t *testing.T, layers ...v1.Layer) []string {
	t.Helper()
	var out []string
	for _, l := range layers {
		h, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, h.String())
	}
	return out
}

// fake is a scanner that reports one package named after it, at its
// version, when the layer holds the file it wants; it counts its scans.
type fake struct {
	name, version, wants string
	scans                *int
}

func (f fake) Name() string        { return f.name }
func (f fake) Version() string     { return f.version }
func (f fake) Wants(p string) bool { return p == f.wants }
func (f fake) Scan(_ context.Context, files scan.FileSet) (*strata.LayerReport, error) {
	*f.scans++
	r := &strata.LayerReport{}
	for _, p := range files.Paths() {
		if p != f.wants {
			return nil, fmt.Errorf("%s: shown %s, which it does not want", f.name, p)
		}
		r.Databases = append(r.Databases, p)
		r.Packages = append(r.Packages, strata.Package{Name: f.name, Version: f.version, Eco: strata.Deb, PackageDB: p})
	}
	return r, nil
}
