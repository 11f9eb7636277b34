package image

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/strata-scan/strata/internal/testutil"
)

// forArch is a one-layer image whose config says linux/arch.
func forArch(t *testing.T, arch string) v1.Image {
	t.Helper()
	img, err := testutil.Image(true, mustTar(t, testutil.Entry{Path: "arch", Body: []byte(arch)}))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Architecture = arch
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}

func digestOf(t *testing.T, img v1.Image) string {
	t.Helper()
	h, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestOpenPlatform(t *testing.T) {
	dir := t.TempDir()
	amd, arm, s390 := forArch(t, "amd64"), forArch(t, "arm64"), forArch(t, "s390x")
	plat := func(arch, variant string) v1.Descriptor {
		return v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch, Variant: variant}}
	}
	// A multi-platform index, with the arm64 image in a nested index.
	nested := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: arm, Descriptor: plat("arm64", "v8")})
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: plat("amd64", "")},
		mutate.IndexAddendum{Add: nested},
	)
	if _, err := layout.Write(filepath.Join(dir, "multi"), idx); err != nil {
		t.Fatal(err)
	}
	// Descriptors without platforms: the configs tell.
	p, err := layout.Write(filepath.Join(dir, "bare"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range []v1.Image{s390, arm} {
		if err := p.AppendImage(img); err != nil {
			t.Fatal(err)
		}
	}
	// One image, of another platform than the host's.
	p, err = layout.Write(filepath.Join(dir, "single"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(s390); err != nil {
		t.Fatal(err)
	}
	host := map[string]v1.Image{"amd64": amd, "arm64": arm}[strings.TrimPrefix(hostPlatform(), "linux/")]

	for _, tc := range []struct {
		name, layout, platform string
		want                   string // manifest digest or error
	}{
		{"amd64", "multi", "linux/amd64", digestOf(t, amd)},
		{"arm64 in a nested index", "multi", "linux/arm64", digestOf(t, arm)},
		{"arm64 variant", "multi", "linux/arm64/v8", digestOf(t, arm)},
		{"no match", "multi", "linux/s390x", `open image "DIR/multi": no image for platform linux/s390x (available: linux/amd64, linux/arm64/v8)`},
		{"from configs", "bare", "linux/arm64", digestOf(t, arm)},
		{"from configs, no match", "bare", "windows/amd64", `open image "DIR/bare": no image for platform windows/amd64 (available: linux/s390x, linux/arm64)`},
		{"single image, default platform", "single", "", digestOf(t, s390)},
		{"single image, other platform asked", "single", "linux/amd64", `open image "DIR/single": no image for platform linux/amd64 (available: linux/s390x)`},
		{"bad platform", "multi", "linux/", `open image "DIR/multi": platform "linux/": want os/arch[/variant]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := Open(context.Background(), filepath.Join(dir, tc.layout), Options{Platform: tc.platform})
			got := ""
			if err != nil {
				got = strings.ReplaceAll(err.Error(), dir, "DIR")
			} else {
				got = string(im.ManifestDigest)
				im.Close()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if host != nil {
		t.Run("host platform by default", func(t *testing.T) {
			im, err := Open(context.Background(), filepath.Join(dir, "multi"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			if diff := cmp.Diff(digestOf(t, host), string(im.ManifestDigest)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
