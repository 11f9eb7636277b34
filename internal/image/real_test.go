package image

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
)

const bookwormOSRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`

// realImage is what the real images of shared/data must open as (digests
// from shared/data/PROVENANCE.md, section 1).
type realImage struct {
	Kind           string
	ManifestDigest strata.Digest
	ConfigDigest   strata.Digest
	Layers         []realLayer
}

type realLayer struct {
	DiffID, Blob strata.Digest
	Size         int64
	Walk         *walked // nil: not walked (read by another case already)
}

const (
	minbaseDiffID = "sha256:fadbf84c56478fed657379cf3fb294d46fcfd8d4d25a33a932a56d67fbc6ee70"
	minbaseConfig = "sha256:d0acacc0e993f750e2adc0ce48db5381b99ac2b609eeb3de44e7b4f0055d9c9b"
	opensslBlob1  = "sha256:bc187b7cc5af8b9f40470cdd15ff8e6706aced3ec5dd3a9b33cb15588649f2ca"
	opensslBlob2  = "sha256:74955c56eba65ebc7411998a7380c41d1c5cbd5a583b8dda466f21936ae68bf9"
	opensslDiff2  = "sha256:546121f2e4226a1afaf75066811f0cf028636160501c39acb7836d30f8908617"
)

func TestOpenRealImages(t *testing.T) {
	base := &walked{Files: map[string]string{"etc/os-release": bookwormOSRelease}}
	for _, tc := range []struct {
		file string
		want realImage
	}{
		{"debian-bookworm-minbase.docker.tar.gz", realImage{
			Kind: KindDockerArchive, ManifestDigest: minbaseConfig, ConfigDigest: minbaseConfig,
			Layers: []realLayer{{DiffID: minbaseDiffID, Size: 82237440, Walk: base}},
		}},
		{"debian-bookworm-openssl.oci.tar.gz", realImage{
			Kind:           KindOCILayout,
			ManifestDigest: "sha256:6e4ed288bc2282cec3648b41226ef38e91cdc61c064250fad472826de03f2e58",
			ConfigDigest:   "sha256:e2d6e9ce29fe8693af6447227357bb04638a25bcb06e3ba79192a8838db3730f",
			Layers: []realLayer{
				{DiffID: minbaseDiffID, Blob: opensslBlob1, Size: 28469280, Walk: base},
				{DiffID: opensslDiff2, Blob: opensslBlob2, Size: 5619301, Walk: &walked{
					// shared/data/images/debian-bookworm-openssl.layer2-whiteouts.txt
					Whiteouts: []string{"etc/apt/sources.list", "etc/motd", "usr/share/doc/debconf"},
					Files:     map[string]string{},
				}},
			},
		}},
		{"debian-bookworm-apps.oci.tar.gz", realImage{
			Kind:           KindOCILayout,
			ManifestDigest: "sha256:367ebe5a91c8e02f82a0b982a332cf400b77dbbdaf2d27050d8ee474dd0f5811",
			ConfigDigest:   "sha256:dc6595d48e9e5d95f9ce3e5a06405f8f4a40167dfe7e6b8133df1a9b6feafc98",
			Layers: []realLayer{
				{DiffID: minbaseDiffID, Blob: opensslBlob1, Size: 28469280},
				{DiffID: opensslDiff2, Blob: opensslBlob2, Size: 5619301},
				{
					DiffID: "sha256:f9522d59bafb88f0bffe3d3ee9a37ffd770d68e78f7c252b4f65a3fc319688b5",
					Blob:   "sha256:e2d2c2798788d8b3aa718d7d4ab43e797af73528d0f11f3d70c6d9c7ba96dbba",
					Size:   21380707, Walk: &walked{Files: map[string]string{}},
				},
			},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			checkRealImage(t, sharedImage(t, tc.file), tc.want)
		})
	}
}

// checkRealImage opens ref and checks that it is want, walking the layers
// want says to walk.
func checkRealImage(t *testing.T, ref string, want realImage) {
	t.Helper()
	im, err := Open(context.Background(), ref, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	got := realImage{Kind: im.Kind, ManifestDigest: im.ManifestDigest, ConfigDigest: sha256Digest(im.Config)}
	for i, l := range im.Layers {
		rl := realLayer{DiffID: l.DiffID, Blob: l.Blob, Size: l.Size}
		if i < len(want.Layers) && want.Layers[i].Walk != nil {
			w := walkLayer(t, l, "etc/os-release")
			rl.Walk = &w
		}
		got.Layers = append(got.Layers, rl)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// A directory a `docker save` archive was unpacked to opens as the
// archive does.
func TestOpenUnpackedDockerArchive(t *testing.T) {
	dir := t.TempDir()
	if err := testutil.Untar(sharedImage(t, "debian-bookworm-minbase.docker.tar.gz"), dir); err != nil {
		t.Fatal(err)
	}
	checkRealImage(t, dir, realImage{
		Kind: KindDockerArchive, ManifestDigest: minbaseConfig, ConfigDigest: minbaseConfig,
		Layers: []realLayer{{DiffID: minbaseDiffID, Size: 82237440, Walk: &walked{Files: map[string]string{"etc/os-release": bookwormOSRelease}}}},
	})
}

// The small docker save archives of osv-scalibr: every layer opens and
// verifies; the empty archive is not an image.
func TestOpenScalibrArchives(t *testing.T) {
	for _, tc := range []struct {
		file   string
		layers int
	}{
		{"basic.tar", 2}, {"multiple-files.tar", 2}, {"overwrite-file.tar", 2}, {"single-file.tar", 1},
		{"symlink-attack.tar", 1}, {"symlink-basic.tar", 1}, {"symlink-cycle.tar", 1},
		{"symlink-dangling.tar", 2}, {"symlink-depth-exceeded.tar", 1}, {"two-files.tar", 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			im, err := Open(context.Background(), sharedImage(t, filepath.Join("third-party/osv-scalibr", tc.file)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			if len(im.Layers) != tc.layers {
				t.Errorf("%d layers, want %d", len(im.Layers), tc.layers)
			}
			for _, l := range im.Layers {
				if w := walkLayer(t, l); w.Verify != "" {
					t.Error(w.Verify)
				}
			}
		})
	}
	t.Run("empty.tar", func(t *testing.T) {
		_, err := Open(context.Background(), sharedImage(t, "third-party/osv-scalibr/empty.tar"), Options{})
		if !errors.Is(err, errNotImage) {
			t.Errorf("Open: %v, want %v", err, errNotImage)
		}
	})
}
