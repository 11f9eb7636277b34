package index_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/index"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan/scanners"
	"github.com/strata-scan/strata/internal/store/sqlite"
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

func newIndexer(t *testing.T) *index.Indexer {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &index.Indexer{Store: st, Scanners: scanners.All(), Limits: layer.DefaultLimits()}
}

func indexImage(t *testing.T, ix *index.Indexer, path string) *strata.IndexReport {
	t.Helper()
	ctx := context.Background()
	im, err := image.Open(ctx, path, image.Options{})
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

func listed(r *strata.IndexReport) []string {
	var out []string
	for _, p := range r.Packages {
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

func TestRealImagesIndexToTheirPackageLists(t *testing.T) {
	tests := []struct {
		image, packages string
		layers          int
		distribution    string
	}{
		{"debian-bookworm-minbase.docker.tar.gz", "debian-bookworm-minbase.packages.tsv", 1, "debian:12"},
		{"debian-bookworm-openssl.oci.tar.gz", "debian-bookworm-openssl.packages.tsv", 2, "debian:12"},
		{"debian-bookworm-apps.oci.tar.gz", "debian-bookworm-apps.packages.tsv", 3, "debian:12"},
	}
	for _, tt := range tests {
		t.Run(tt.image, func(t *testing.T) {
			r := indexImage(t, newIndexer(t), sharedImage(t, tt.image))
			if diff := cmp.Diff(expected(t, tt.packages), listed(r)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if len(r.Layers) != tt.layers || r.LayersRead != tt.layers {
				t.Errorf("layers = %d, read %d; want %d, all read", len(r.Layers), r.LayersRead, tt.layers)
			}
			if got := r.Distribution.Release(); got != tt.distribution {
				t.Errorf("distribution = %q, want %q", got, tt.distribution)
			}
		})
	}
}

// The packages the openssl image's second layer installs are attributed
// to that layer; all others to the base layer.
func TestIntroducedInSecondLayer(t *testing.T) {
	r := indexImage(t, newIndexer(t), sharedImage(t, "debian-bookworm-openssl.oci.tar.gz"))
	base := map[string]bool{}
	for _, l := range expected(t, "debian-bookworm-minbase.packages.tsv") {
		base[strings.Split(l, "\t")[0]] = true
	}
	want := map[string]int{}
	for _, l := range expected(t, "debian-bookworm-openssl.packages.tsv") {
		name := strings.Split(l, "\t")[0]
		want[name] = 2
		if base[name] {
			want[name] = 1
		}
	}
	if diff := cmp.Diff(want, introducedIn(r)); diff != "" {
		t.Errorf("introducing layer (-want +got):\n%s", diff)
	}
	if got := introducedIn(r)["openssl"]; got != 2 {
		t.Errorf("openssl introduced in layer %d, want 2", got)
	}
}

// A second scan reads no layer; an image sharing the first's layers reads
// only its own new one.
func TestLayerCacheAcrossImages(t *testing.T) {
	ix := newIndexer(t)
	openssl := sharedImage(t, "debian-bookworm-openssl.oci.tar.gz")
	apps := sharedImage(t, "debian-bookworm-apps.oci.tar.gz")
	steps := []struct {
		image    string
		wantRead int
	}{{openssl, 2}, {openssl, 0}, {apps, 1}, {apps, 0}}
	for _, s := range steps {
		r := indexImage(t, ix, s.image)
		if r.LayersRead != s.wantRead {
			t.Errorf("%s: read %d layers, want %d", filepath.Base(s.image), r.LayersRead, s.wantRead)
		}
	}
}
