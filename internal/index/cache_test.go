package index_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/testutil"
)

// When one scanner's version changes, the layers are read again for that
// scanner alone; the others' cached reports are used as they are, and the
// index report's state changes.
func TestScannerVersionChange(t *testing.T) {
	dir := ociLayout(t,
		layerOf(t, testutil.Gzip, testutil.Entry{Path: "a", Body: []byte("a")}, testutil.Entry{Path: "b", Body: []byte("b")}),
		layerOf(t, testutil.Gzip, testutil.Entry{Path: "b", Body: []byte("b2")}),
	)
	var aScans, bScans int
	a1, b1, b2 := fake{"a", "1", "a", &aScans}, fake{"b", "1", "b", &bScans}, fake{"b", "2", "b", &bScans}
	ix, _ := newIndexer(t, a1, b1)
	type result struct {
		State              string
		LayersRead         int
		ScansOfA, ScansOfB int
		Packages           []string
	}
	steps := []struct {
		name     string
		scanners []scan.Scanner
		want     result
	}{
		{"first index", []scan.Scanner{a1, b1}, result{"a@1,b@1,layer@2", 2, 2, 2, []string{"a 1", "b 1"}}},
		{"again", []scan.Scanner{a1, b1}, result{"a@1,b@1,layer@2", 0, 0, 0, []string{"a 1", "b 1"}}},
		{"b at version 2", []scan.Scanner{a1, b2}, result{"a@1,b@2,layer@2", 2, 0, 2, []string{"a 1", "b 2"}}},
		{"again at version 2", []scan.Scanner{a1, b2}, result{"a@1,b@2,layer@2", 0, 0, 0, []string{"a 1", "b 2"}}},
		{"back to version 1: still cached", []scan.Scanner{b1, a1}, result{"a@1,b@1,layer@2", 0, 0, 0, []string{"a 1", "b 1"}}},
	}
	for _, s := range steps {
		aScans, bScans = 0, 0
		ix.Scanners = s.scanners
		r := indexImage(t, ix, dir, image.Options{})
		got := result{r.State, r.LayersRead, aScans, bScans, nameVersions(r)}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
}

// Deleting an image removes the reports of the layers only it used: its
// shared base layer stays indexed for the other image.
func TestDeleteImage(t *testing.T) {
	base := layerOf(t, testutil.Gzip, osRelease, statusAt("var/lib/dpkg/status"))
	imgA := ociLayout(t, base, layerOf(t, testutil.Gzip, testutil.Entry{Path: "app/a", Body: []byte("a")}))
	imgB := ociLayout(t, base, layerOf(t, testutil.Gzip, testutil.Entry{Path: "app/b", Body: []byte("b")}))
	ix, st := newIndexer(t)
	ctx := context.Background()
	ids := map[string]strata.Digest{}
	steps := []struct {
		delete   []string // images to delete before indexing
		image    string
		wantRead int
	}{
		{nil, imgA, 2},
		{nil, imgB, 1},
		{[]string{imgA}, imgB, 0},
		{nil, imgA, 1},
		{[]string{imgB}, imgB, 1},
		{[]string{imgA, imgB}, imgA, 2},
	}
	for i, s := range steps {
		for _, d := range s.delete {
			if err := st.DeleteIndexReport(ctx, ids[d]); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		r := indexImage(t, ix, s.image, image.Options{})
		ids[s.image] = r.ManifestDigest
		if r.LayersRead != s.wantRead {
			t.Errorf("step %d: read %d layers, want %d", i+1, r.LayersRead, s.wantRead)
		}
	}
}

// Two images sharing a base layer, pulled from a registry that wants a
// bearer token: the second pull downloads only its own new layer (and its
// config), and a pull of an indexed image only its config.
func TestRegistryDownloadsOnlyNewLayers(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.Bearer)
	base := layerOf(t, testutil.Gzip, osRelease, statusAt("var/lib/dpkg/status"))
	topA := layerOf(t, testutil.Zstd, testutil.Entry{Path: "app/a", Body: []byte("a")})
	topB := layerOf(t, testutil.Gzip, testutil.Entry{Path: "app/b", Body: []byte("b")})
	configs := map[string]string{}
	for tag, layers := range map[string][]v1.Layer{"team/a:1": {base, topA}, "team/b:1": {base, topB}} {
		img, err := testutil.ImageOf(layers...)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Push(tag, img); err != nil {
			t.Fatal(err)
		}
		h, err := img.ConfigName()
		if err != nil {
			t.Fatal(err)
		}
		configs[tag] = h.String()
	}
	reg.BlobGets()
	blobs := digestsOf(t, base, topA, topB)
	ix, _ := newIndexer(t)
	opt := image.Options{Username: testutil.RegistryUser, Password: testutil.RegistryPassword}
	steps := []struct {
		tag      string
		wantRead int
		wantGets map[string]int
	}{
		{"team/a:1", 2, map[string]int{configs["team/a:1"]: 1, blobs[0]: 1, blobs[1]: 1}},
		{"team/b:1", 1, map[string]int{configs["team/b:1"]: 1, blobs[2]: 1}},
		{"team/a:1", 0, map[string]int{configs["team/a:1"]: 1}},
	}
	for _, s := range steps {
		r := indexImage(t, ix, reg.Host+"/"+s.tag, opt)
		if diff := cmp.Diff(bookwormPackages, nameVersions(r)); diff != "" {
			t.Errorf("%s: packages (-want +got):\n%s", s.tag, diff)
		}
		if r.LayersRead != s.wantRead {
			t.Errorf("%s: read %d layers, want %d", s.tag, r.LayersRead, s.wantRead)
		}
		if diff := cmp.Diff(s.wantGets, reg.BlobGets()); diff != "" {
			t.Errorf("%s: blobs downloaded (-want +got):\n%s", s.tag, diff)
		}
	}
}
