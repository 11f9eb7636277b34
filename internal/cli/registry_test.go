package cli

import (
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// scan pulls an image from a registry that wants a bearer token, with the
// credentials from the environment; a second image sharing the layer does
// not download it again.
func TestScanFromRegistry(t *testing.T) {
	reg := testutil.StartRegistry(t, testutil.Bearer)
	layer, err := testutil.DpkgLayer(sharedPath(t, "pkgdb/dpkg/debian-old/buster-drupal-2021"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := testutil.Image(true, layer)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"team/drupal:1", "team/drupal-copy:1"} {
		if err := reg.Push(tag, img); err != nil {
			t.Fatal(err)
		}
	}
	db := loadedDB(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials there

	_, errOut, code := run(t, "scan", "--db", db, reg.Host+"/team/drupal:1")
	if code != 1 || !strings.Contains(errOut, "401") && !strings.Contains(strings.ToLower(errOut), "unauthorized") {
		t.Errorf("without credentials: exit %d, stderr %q; want 1 and an authorization error", code, errOut)
	}

	reg.BlobGets() // forget the downloads of the pushes and the refused scan
	t.Setenv("STRATA_REGISTRY_USERNAME", testutil.RegistryUser)
	t.Setenv("STRATA_REGISTRY_PASSWORD", testutil.RegistryPassword)
	out := mustRun(t, "scan", "--db", db, reg.Host+"/team/drupal:1")
	if !strings.Contains(out, "DSA-4855-1") || !strings.Contains(out, "findings in 38 of 195 packages") {
		t.Errorf("registry scan output lacks the expected findings:\n%s", out)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	blob, err := layers[0].Digest()
	if err != nil {
		t.Fatal(err)
	}
	if n := reg.BlobGets()[blob.String()]; n != 1 {
		t.Errorf("layer blob downloaded %d times after the first scan, want 1", n)
	}
	mustRun(t, "scan", "--db", db, reg.Host+"/team/drupal-copy:1")
	if n := reg.BlobGets()[blob.String()]; n != 0 {
		t.Errorf("second image: layer blob downloaded %d times, want 0 (its layer is cached)", n)
	}
}
