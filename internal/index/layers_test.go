package index_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/testutil"
)

var bookwormPackages = []string{"bash 5.2.15-2+b2", "libssl3 3.0.15-1~deb12u1"}

// Links and type changes across layers, as the image's root file system
// shows them.
func TestLinksAcrossLayers(t *testing.T) {
	dir := func(p string) testutil.Entry { return testutil.Entry{Path: p, Dir: true} }
	link := func(p, target string) testutil.Entry { return testutil.Entry{Path: p, Link: target} }
	base := []testutil.Entry{osRelease, statusAt("var/lib/dpkg/status")}
	for _, tc := range []struct {
		name         string
		lower, upper []testutil.Entry
		wantPackages []string
	}{
		{
			name: "a database hard-linked to a name a later layer deletes",
			lower: []testutil.Entry{
				osRelease, statusAt("tmp/s"),
				{Path: "var/lib/dpkg/status", Hard: "tmp/s"},
			},
			upper:        []testutil.Entry{{Path: "tmp/.wh.s"}},
			wantPackages: bookwormPackages,
		},
		{
			name:  "the database's directory replaced by a link to an empty one",
			lower: base,
			upper: []testutil.Entry{dir("srv/empty/"), link("var/lib/dpkg", "/srv/empty")},
		},
		{
			name:  "a parent directory replaced by a link",
			lower: base,
			upper: []testutil.Entry{link("var/lib", "../srv")},
		},
		{
			name:         "a link elsewhere leaves the database",
			lower:        base,
			upper:        []testutil.Entry{link("var/lib/dpkg-old", "dpkg"), link("var/lib/dpkg/status-old", "status")},
			wantPackages: bookwormPackages,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix, _ := newIndexer(t)
			dir := ociLayout(t, layerOf(t, testutil.Gzip, tc.lower...), layerOf(t, testutil.Gzip, tc.upper...))
			r := indexImage(t, ix, dir, image.Options{})
			if diff := cmp.Diff(tc.wantPackages, nameVersions(r)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if r.LayersRead != 2 {
				t.Errorf("read %d layers, want 2", r.LayersRead)
			}
		})
	}
}

// Layers compressed with gzip, zstd or not at all are read from their
// bytes, whatever their media type says, in one image, whether an OCI
// layout or a docker archive holds it.
func TestMixedCompression(t *testing.T) {
	img, diffIDs := mixedImage(t)
	oci, archive := t.TempDir(), filepath.Join(t.TempDir(), "image.tar")
	if err := testutil.WriteOCILayout(oci, img); err != nil {
		t.Fatal(err)
	}
	if err := testutil.WriteDockerArchive(archive, "strata/mixed:1", img); err != nil {
		t.Fatal(err)
	}
	want := []strata.Package{{
		Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Arch: "amd64", Eco: strata.Deb, SourceName: "zlib", SourceVersion: "1:1.2.13.dfsg-1",
		PackageDB: "var/lib/dpkg/status.d/zlib1g", IntroducedIn: diffIDs[1],
	}}
	for _, ref := range []string{oci, archive} {
		t.Run(filepath.Base(ref), func(t *testing.T) {
			ix, _ := newIndexer(t)
			r := indexImage(t, ix, ref, image.Options{})
			if diff := cmp.Diff(want, r.Packages); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			var got []strata.Digest
			for _, l := range r.Layers {
				got = append(got, l.Digest)
			}
			if diff := cmp.Diff(diffIDs, got); diff != "" {
				t.Errorf("layer digests (-want +got):\n%s", diff)
			}
			if r.LayersRead != 3 {
				t.Errorf("read %d layers, want 3", r.LayersRead)
			}
		})
	}
}

// mixedImage is an image of three layers, all said to be tar+gzip: a
// gzip one with a dpkg status, a zstd one with a distroless status.d file,
// and an uncompressed one that whites out the status. It returns the
// layers' diff_ids too.
func mixedImage(t *testing.T) (v1.Image, []strata.Digest) {
	extra := testutil.Entry{Path: "var/lib/dpkg/status.d/zlib1g", Body: []byte(
		"Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n")}
	contents := [][]testutil.Entry{
		{osRelease, statusAt("var/lib/dpkg/status")},
		{extra},
		{{Path: "var/lib/dpkg/.wh.status"}},
	}
	var layers []v1.Layer
	var diffIDs []strata.Digest
	for i, c := range []testutil.Compression{testutil.Gzip, testutil.Zstd, testutil.None} {
		b, err := testutil.Tar(contents[i]...)
		if err != nil {
			t.Fatal(err)
		}
		l, err := testutil.Layer(b, c, types.OCILayer)
		if err != nil {
			t.Fatal(err)
		}
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		layers, diffIDs = append(layers, l), append(diffIDs, strata.Digest(d.String()))
	}
	img, err := testutil.ImageOf(layers...)
	if err != nil {
		t.Fatal(err)
	}
	return img, diffIDs
}
