package image_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/testutil"
)

// An OCI layout holding two different images for one platform is refused
// rather than one of them scanned silently.
func TestLayoutWithTwoImages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "oci")
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"first", "second"} {
		tarball, err := testutil.Tar(testutil.Entry{Path: "etc/" + name, Body: []byte(name)})
		if err != nil {
			t.Fatal(err)
		}
		img, err := testutil.Image(true, tarball)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.AppendImage(img,
			layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}),
			layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": name})); err != nil {
			t.Fatal(err)
		}
	}
	_, err = image.Open(context.Background(), dir, image.Options{Platform: "linux/amd64"})
	want := "2 different images for platform linux/amd64 (first, second): strata scans one image at a time"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}
