package index_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/testutil"
)

// The blobs of the real images (shared/data/PROVENANCE.md, section 1).
const (
	opensslConfig = "sha256:e2d6e9ce29fe8693af6447227357bb04638a25bcb06e3ba79192a8838db3730f"
	opensslBlob2  = "sha256:74955c56eba65ebc7411998a7380c41d1c5cbd5a583b8dda466f21936ae68bf9"
	appsConfig    = "sha256:dc6595d48e9e5d95f9ce3e5a06405f8f4a40167dfe7e6b8133df1a9b6feafc98"
	appsBlob3     = "sha256:e2d2c2798788d8b3aa718d7d4ab43e797af73528d0f11f3d70c6d9c7ba96dbba"
)

// The real bookworm images, indexed one after the other into one store:
// each yields its true package list, and a layer already indexed is not
// read again, whichever form it came in. The base layer is indexed from
// the docker archive (an uncompressed tar) and recognised, by its diff_id,
// in the gzip-compressed blob of the registry; the registry serves only
// the layers not yet indexed (and the configs).
func TestRealImages(t *testing.T) {
	minbase := sharedImage(t, "debian-bookworm-minbase.docker.tar.gz")
	openssl := sharedImage(t, "debian-bookworm-openssl.oci.tar.gz")
	apps := sharedImage(t, "debian-bookworm-apps.oci.tar.gz")
	reg := testutil.StartRegistry(t, testutil.Anonymous)
	for _, p := range []struct{ archive, repoTag string }{{openssl, "debian/openssl:12"}, {apps, "debian/apps:12"}} {
		img, err := testutil.OCIArchiveImage(p.archive, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Push(p.repoTag, img); err != nil {
			t.Fatal(err)
		}
	}
	reg.BlobGets()
	ix, _ := newIndexer(t)
	steps := []struct {
		ref      string
		packages string
		wantRead int
		wantGets map[string]int // blobs downloaded from the registry
	}{
		{minbase, "debian-bookworm-minbase.packages.tsv", 1, map[string]int{}},
		{reg.Host + "/debian/openssl:12", "debian-bookworm-openssl.packages.tsv", 1, map[string]int{opensslConfig: 1, opensslBlob2: 1}},
		{reg.Host + "/debian/apps:12", "debian-bookworm-apps.packages.tsv", 1, map[string]int{appsConfig: 1, appsBlob3: 1}},
		{reg.Host + "/debian/apps:12", "debian-bookworm-apps.packages.tsv", 0, map[string]int{appsConfig: 1}},
		{openssl, "debian-bookworm-openssl.packages.tsv", 0, map[string]int{}},
	}
	reports := map[string]*strata.IndexReport{}
	for _, s := range steps {
		name := filepath.Base(s.ref)
		r := indexImage(t, ix, s.ref, image.Options{})
		reports[s.packages] = r
		if diff := cmp.Diff(expected(t, s.packages), listed(r)); diff != "" {
			t.Errorf("%s: packages (-want +got):\n%s", name, diff)
		}
		if got := r.Distribution.Release(); got != "debian:12" {
			t.Errorf("%s: distribution %q, want debian:12", name, got)
		}
		if r.LayersRead != s.wantRead {
			t.Errorf("%s: read %d layers, want %d", name, r.LayersRead, s.wantRead)
		}
		if diff := cmp.Diff(s.wantGets, reg.BlobGets()); diff != "" {
			t.Errorf("%s: blobs downloaded (-want +got):\n%s", name, diff)
		}
	}
	checkIntroducedIn(t, reports["debian-bookworm-openssl.packages.tsv"])
}

// checkIntroducedIn checks that the packages the openssl image's second
// layer installs are attributed to that layer; all others to the base.
func checkIntroducedIn(t *testing.T, r *strata.IndexReport) {
	t.Helper()
	base := map[string]bool{}
	for _, l := range expected(t, "debian-bookworm-minbase.packages.tsv") {
		base[strings.Split(l, "\t")[0]] = true
	}
	want := map[string]int{}
	for _, l := range expected(t, "debian-bookworm-openssl.packages.tsv") {
		name := strings.Split(l, "\t")[0]
		want[name] = 2
		if base[name] {
			want[name] = 1
		}
	}
	if diff := cmp.Diff(want, introducedIn(r)); diff != "" {
		t.Errorf("openssl image: introducing layer (-want +got):\n%s", diff)
	}
	if got := introducedIn(r)["openssl"]; got != 2 {
		t.Errorf("openssl introduced in layer %d, want 2", got)
	}
}
