package image

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzOpenArchive opens arbitrary bytes as an image archive, and every
// layer of what opens: no panic, no error from Close.
func FuzzOpenArchive(f *testing.F) {
	testutil.AddTestdata(f, "*.tar")
	dir := f.TempDir()
	layer, err := testutil.Tar(osRelease...)
	if err != nil {
		f.Fatal(err)
	}
	img, err := testutil.Image(true, layer)
	if err != nil {
		f.Fatal(err)
	}
	if err := testutil.WriteOCILayout(filepath.Join(dir, "layout"), img); err != nil {
		f.Fatal(err)
	}
	tarTree(f, filepath.Join(dir, "layout"), filepath.Join(dir, "layout.tar"), false)
	b, err := os.ReadFile(filepath.Join(dir, "layout.tar"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "archive")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		im, err := Open(context.Background(), p, Options{Platform: "linux/amd64"})
		if err != nil {
			return
		}
		for _, l := range im.Layers {
			if rc, err := l.Open(context.Background()); err == nil {
				io.Copy(io.Discard, io.LimitReader(rc, 1<<20))
				rc.Close()
			}
		}
		if err := im.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}
