package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/testutil"
)

// osRelease is the layer most tests use: os-release reached through a
// symbolic link, as in Debian.
var osRelease = []testutil.Entry{
	{Path: "etc/", Dir: true},
	{Path: "etc/os-release", Link: "../usr/lib/os-release"},
	{Path: "usr/lib/os-release", Body: []byte("ID=debian\nVERSION_ID=\"12\"\n")},
}

func mustTar(t *testing.T, entries ...testutil.Entry) []byte {
	t.Helper()
	b, err := testutil.Tar(entries...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testImage is a two-layer image built in process.
func testImage(t *testing.T, compressed bool) v1.Image {
	t.Helper()
	img, err := testutil.Image(compressed,
		mustTar(t, osRelease...),
		mustTar(t, testutil.Entry{Path: "etc/.wh.motd"}, testutil.Entry{Path: "app/bin", Body: []byte("ELF")}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// tarTree writes the directory dir as a tar file at out, gzip-compressed
// when zip is set.
func tarTree(t testing.TB, dir, out string, zip bool) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if zip {
		b = testutil.Gzipped(t, b)
	}
	testutil.WriteFile(t, out, b)
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// walked is what a test checks of one layer after walking it.
type walked struct {
	Whiteouts []string
	Files     map[string]string // the wanted paths read
	Verify    string            // VerifyDigests' error, "" for none
}

// walkLayer walks l, wanting the given paths, and verifies its digests.
func walkLayer(t *testing.T, l Layer, wants ...string) walked {
	t.Helper()
	rc, err := l.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	want := map[string]bool{}
	for _, p := range wants {
		want[p] = true
	}
	res, err := layer.Walk(context.Background(), string(l.DiffID), rc, layer.Wants{Path: func(p string) bool { return want[p] }}, layer.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	w := walked{Whiteouts: res.Whiteouts, Files: map[string]string{}}
	for _, p := range wants {
		b, err := res.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if err == nil {
			w.Files[p] = string(b)
		}
	}
	if err := VerifyDigests(l, res); err != nil {
		w.Verify = err.Error()
	}
	return w
}

// sharedImage is a path to the real images of shared/data, skipping the
// test when they are absent.
func sharedImage(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("../../../shared/data/images", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real image not present: %s (shared data absent)", p)
	}
	return p
}
