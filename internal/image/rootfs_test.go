package image

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/testutil"
)

// makeRootFS lays out a small root file system, with links that would
// reach the host's files if they were followed outside the directory.
func makeRootFS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "usr/lib/os-release"), []byte("ID=debian\n"))
	testutil.WriteFile(t, filepath.Join(dir, "var/lib/dpkg/status"), []byte("Package: bash\n"))
	for link, target := range map[string]string{
		"etc/os-release": "../usr/lib/os-release",
		"escape":         "../../../../../../etc/passwd",
		"abs":            "/etc/passwd",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, link)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOpenRootFS(t *testing.T) {
	dir := makeRootFS(t)
	im, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if len(im.Layers) != 1 {
		t.Fatalf("%d layers, want 1", len(im.Layers))
	}
	l := im.Layers[0]
	got := []any{im.Kind, im.Config == nil, l.DiffID == im.ManifestDigest, l.Blob, l.Size}
	if diff := cmp.Diff([]any{KindRootFS, true, true, strata.Digest(""), int64(-1)}, got); diff != "" {
		t.Errorf("kind, no config, diff_id = manifest digest, blob, size (-want +got)\n%s", diff)
	}
	rc, err := l.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	res, err := layer.Walk(context.Background(), "rootfs", rc, layer.Wants{Path: func(string) bool { return true }}, layer.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyDigests(l, res); err != nil {
		t.Error(err)
	}
	want := []string{"etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status"}
	if diff := cmp.Diff(want, res.Paths()); diff != "" {
		t.Errorf("Paths (-want +got)\n%s", diff)
	}
	if b, err := res.ReadFile("etc/os-release"); err != nil || string(b) != "ID=debian\n" {
		t.Errorf("ReadFile(etc/os-release) = %q, %v", b, err)
	}
}

func TestRootFSDigest(t *testing.T) {
	dir := makeRootFS(t)
	digest := func() string {
		im, err := Open(context.Background(), dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer im.Close()
		return string(im.ManifestDigest)
	}
	first, again := digest(), digest()
	testutil.WriteFile(t, filepath.Join(dir, "var/lib/dpkg/status"), []byte("Package: dash\n"))
	changed := digest()
	if first != again || first == changed {
		t.Errorf("digests: %s, reopened %s, after a change %s; want the first two equal, the third different", first, again, changed)
	}
}

func TestRootFSStopsWhenClosedEarly(t *testing.T) {
	im, err := Open(context.Background(), makeRootFS(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	rc, err := im.Layers[0].Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(rc, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Read(make([]byte, 10)); err != io.ErrClosedPipe {
		t.Errorf("read after Close: %v, want %v", err, io.ErrClosedPipe)
	}
}

// A root file system with a manifest.json of its own (a web app's, an
// empty list, a list naming no layers) is no unpacked docker archive.
func TestRootFSWithManifestJSON(t *testing.T) {
	for _, manifest := range []string{
		`{"name": "app", "version": "1.0"}`,
		`[]`,
		`[{"Config": "c.json", "Layers": []}]`,
		`[{"Layers": ["l.tar"]}]`,
		`not json`,
	} {
		t.Run(manifest, func(t *testing.T) {
			dir := makeRootFS(t)
			testutil.WriteFile(t, filepath.Join(dir, "manifest.json"), []byte(manifest))
			im, err := Open(context.Background(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			if im.Kind != KindRootFS {
				t.Errorf("kind = %s, want %s", im.Kind, KindRootFS)
			}
		})
	}
}
