package index_test

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/testutil"
)

// blobImage is an image whose layers are known by their blob digests only,
// as a Clair manifest gives them, and counts the opens of each layer.
func blobImage(t *testing.T, manifest strata.Digest, opens map[strata.Digest]*atomic.Int32, layers ...v1.Layer) *image.Image {
	t.Helper()
	im := &image.Image{Ref: string(manifest), ManifestDigest: manifest}
	for _, l := range layers {
		h, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		blob := strata.Digest(h.String())
		if opens[blob] == nil {
			opens[blob] = &atomic.Int32{}
		}
		n := opens[blob]
		im.Layers = append(im.Layers, image.Layer{Blob: blob, Size: -1, Open: func(context.Context) (io.ReadCloser, error) {
			n.Add(1)
			return l.Compressed()
		}})
	}
	return im
}

func diffID(t *testing.T, l v1.Layer) strata.Digest {
	t.Helper()
	h, err := l.DiffID()
	if err != nil {
		t.Fatal(err)
	}
	return strata.Digest(h.String())
}

// A layer known by its blob digest alone is read once: the diff_id found
// in it is recorded, and another image with the same blob finds the cached
// reports through it without fetching the blob.
func TestBlobDiffID(t *testing.T) {
	base := layerOf(t, testutil.Gzip, osRelease, statusAt("var/lib/dpkg/status"))
	appA := layerOf(t, testutil.Gzip, testutil.Entry{Path: "app/a", Body: []byte("a")})
	appB := layerOf(t, testutil.Gzip, testutil.Entry{Path: "app/b", Body: []byte("b")})
	ix, _ := newIndexer(t)
	opens := map[strata.Digest]*atomic.Int32{}
	type result struct {
		LayersRead int
		Layers     []strata.Digest // the diff_ids of the report's layers
		Opens      []int32         // of base, appA, appB
	}
	steps := []struct {
		name string
		im   *image.Image
		want result
	}{
		{"first image", blobImage(t, "sha256:a1", opens, base, appA), result{2, []strata.Digest{diffID(t, base), diffID(t, appA)}, []int32{1, 1, 0}}},
		{"second image: base cached", blobImage(t, "sha256:b1", opens, base, appB), result{1, []strata.Digest{diffID(t, base), diffID(t, appB)}, []int32{1, 1, 1}}},
		{"a third: all cached", blobImage(t, "sha256:c1", opens, appB, base), result{0, []strata.Digest{diffID(t, appB), diffID(t, base)}, []int32{1, 1, 1}}},
	}
	for _, s := range steps {
		r, err := ix.Index(t.Context(), s.im)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got := result{LayersRead: r.LayersRead}
		for _, l := range r.Layers {
			got.Layers = append(got.Layers, l.Digest)
		}
		for _, l := range []v1.Layer{base, appA, appB} {
			h, _ := l.Digest()
			got.Opens = append(got.Opens, opens[strata.Digest(h.String())].Load())
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
}

// Images sharing a layer, indexed at once, read it once between them.
func TestConcurrentIndexReadsOnce(t *testing.T) {
	base := layerOf(t, testutil.Gzip, osRelease, statusAt("var/lib/dpkg/status"))
	ix, _ := newIndexer(t)
	opens := map[strata.Digest]*atomic.Int32{}
	const images = 8
	var ims []*image.Image
	for i := range images {
		app := layerOf(t, testutil.Gzip, testutil.Entry{Path: "app", Body: []byte{byte(i)}})
		ims = append(ims, blobImage(t, strata.Digest("sha256:0"+string(rune('a'+i))), opens, base, app))
	}
	var read atomic.Int32
	var wg sync.WaitGroup
	for _, im := range ims {
		wg.Go(func() {
			r, err := ix.Index(t.Context(), im)
			if err != nil {
				t.Error(err)
				return
			}
			read.Add(int32(r.LayersRead))
		})
	}
	wg.Wait()
	got := map[strata.Digest]int32{}
	for d, n := range opens {
		got[d] = n.Load()
	}
	want := map[strata.Digest]int32{}
	for d := range opens {
		want[d] = 1
	}
	if diff := cmp.Diff(want, got); diff != "" || read.Load() != images+1 {
		t.Errorf("layers read %d, want %d; opens per blob (-want +got):\n%s", read.Load(), images+1, diff)
	}
}
