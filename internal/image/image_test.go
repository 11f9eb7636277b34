package image

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
)

// opened is what a test checks of an opened image.
type opened struct {
	Kind           string
	ManifestDigest strata.Digest
	Config         string
	Layers         []openedLayer
}

type openedLayer struct {
	DiffID, Blob strata.Digest
	Size         int64
	Walk         walked
}

func openAndWalk(t *testing.T, ref string, opt Options) opened {
	t.Helper()
	im, err := Open(context.Background(), ref, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	got := opened{Kind: im.Kind, ManifestDigest: im.ManifestDigest, Config: string(im.Config)}
	for _, l := range im.Layers {
		got.Layers = append(got.Layers, openedLayer{l.DiffID, l.Blob, l.Size, walkLayer(t, l, "etc/os-release", "app/bin")})
	}
	return got
}

// expect is what Open should find for img stored as kind.
func expect(t *testing.T, img v1.Image, kind string) opened {
	t.Helper()
	cfg, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	want := opened{Kind: kind, Config: string(cfg)}
	id, err := img.Digest()
	if kind == KindDockerArchive {
		id, err = img.ConfigName()
	}
	if err != nil {
		t.Fatal(err)
	}
	want.ManifestDigest = strata.Digest(id.String())
	files := []map[string]string{{"etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n"}, {"app/bin": "ELF"}}
	whiteouts := [][]string{nil, {"etc/motd"}}
	for i, l := range m.Layers {
		ol := openedLayer{DiffID: strata.Digest(cf.RootFS.DiffIDs[i].String()), Size: l.Size, Walk: walked{Whiteouts: whiteouts[i], Files: files[i]}}
		if kind == KindOCILayout || kind == KindRegistry {
			ol.Blob = strata.Digest(l.Digest.String())
		}
		want.Layers = append(want.Layers, ol)
	}
	return want
}

func TestOpenKinds(t *testing.T) {
	dir := t.TempDir()
	plain, zipped := testImage(t, false), testImage(t, true)
	if err := testutil.WriteDockerArchive(filepath.Join(dir, "plain.docker"), "strata/test:1", plain); err != nil {
		t.Fatal(err)
	}
	if err := testutil.WriteDockerArchive(filepath.Join(dir, "zipped.docker"), "strata/test:1", zipped); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "plain.docker.gz"), testutil.Gzipped(t, readFile(t, filepath.Join(dir, "plain.docker"))))
	if err := testutil.WriteOCILayout(filepath.Join(dir, "layout"), zipped); err != nil {
		t.Fatal(err)
	}
	tarTree(t, filepath.Join(dir, "layout"), filepath.Join(dir, "layout.tar"), false)
	tarTree(t, filepath.Join(dir, "layout"), filepath.Join(dir, "layout.bin"), true) // the name does not matter
	for _, tc := range []struct {
		name string
		ref  string
		want opened
	}{
		{"docker archive, plain layers", "plain.docker", expect(t, plain, KindDockerArchive)},
		{"docker archive, gzip layers", "zipped.docker", expect(t, zipped, KindDockerArchive)},
		{"gzip docker archive", "plain.docker.gz", expect(t, plain, KindDockerArchive)},
		{"OCI layout directory", "layout", expect(t, zipped, KindOCILayout)},
		{"OCI layout tar", "layout.tar", expect(t, zipped, KindOCILayout)},
		{"OCI layout tar.gz", "layout.bin", expect(t, zipped, KindOCILayout)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, openAndWalk(t, filepath.Join(dir, tc.ref), Options{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestOpenCloseRemovesTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	if err := testutil.WriteOCILayout(filepath.Join(dir, "layout"), testImage(t, true)); err != nil {
		t.Fatal(err)
	}
	tarTree(t, filepath.Join(dir, "layout"), filepath.Join(dir, "layout.tar.gz"), true)
	im, err := Open(context.Background(), filepath.Join(dir, "layout.tar.gz"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	during, _ := os.ReadDir(tmp)
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadDir(tmp)
	if len(during) != 1 || len(after) != 0 {
		t.Errorf("temporary files: %d while open, %d after Close; want 1, 0", len(during), len(after))
	}
	if rc, err := im.Layers[0].Open(context.Background()); err == nil {
		if _, err := io.ReadAll(rc); err == nil {
			t.Error("a layer read after Close")
		}
	}
}
