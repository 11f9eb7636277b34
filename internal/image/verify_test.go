package image

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/testutil"
)

func TestVerifyDigests(t *testing.T) {
	a := strata.Digest("sha256:" + strings.Repeat("a", 64))
	b := strata.Digest("sha256:" + strings.Repeat("b", 64))
	res := &layer.Result{DiffID: a, BlobDigest: b}
	for _, tc := range []struct {
		name string
		l    Layer
		want string
	}{
		{"both match", Layer{DiffID: a, Blob: b}, ""},
		{"nothing declared", Layer{}, ""},
		{"diff_id differs", Layer{DiffID: b, Blob: b}, "layer sha256:bbbb…: digest mismatch: config says sha256:bbbb…, content is sha256:aaaa…"},
		{"blob differs", Layer{DiffID: a, Blob: a}, "layer sha256:aaaa…: digest mismatch: manifest says blob sha256:aaaa…, blob is sha256:bbbb…"},
		{"blob only, differs", Layer{Blob: a}, "layer sha256:aaaa…: digest mismatch: manifest says blob sha256:aaaa…, blob is sha256:bbbb…"},
		{"sha512 blob not checked", Layer{DiffID: a, Blob: "sha512:" + strata.Digest(strings.Repeat("c", 128))}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := VerifyDigests(tc.l, res); err != nil {
				got = shorten(err.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// shorten writes each 64-digit sha256 as its first four digits and "…".
func shorten(s string) string {
	for _, c := range "abcdef" {
		s = strings.ReplaceAll(s, strings.Repeat(string(c), 64), strings.Repeat(string(c), 4)+"…")
	}
	return s
}

// A layer blob replaced in an OCI layout opens (layers are not read by
// Open) and fails verification after the walk.
func TestLayerDigestMismatch(t *testing.T) {
	dir := t.TempDir()
	img := testImage(t, true)
	if err := testutil.WriteOCILayout(dir, img); err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	blob, err := layers[0].Digest()
	if err != nil {
		t.Fatal(err)
	}
	diffID, err := layers[0].DiffID()
	if err != nil {
		t.Fatal(err)
	}
	other := mustTar(t, testutil.Entry{Path: "etc/os-release", Body: []byte("ID=evil\n")})
	p := filepath.Join(dir, "blobs", blob.Algorithm, blob.Hex)
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, p, testutil.Gzipped(t, other))

	im, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	got := walkLayer(t, im.Layers[0]).Verify
	want := "layer " + diffID.String() + ": digest mismatch: config says " + diffID.String() + ", content is " + string(sha256Digest(other))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
