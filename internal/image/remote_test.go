package image

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/strata-scan/strata/internal/testutil"
)

// noCredentials points the docker config at an empty directory.
func noCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("DOCKER_CONFIG", filepath.Join(home, ".docker"))
}

func TestOpenRegistry(t *testing.T) {
	noCredentials(t)
	reg := testutil.StartRegistry(t, testutil.Anonymous)
	host := reg.Host
	img := testImage(t, true)
	if err := reg.Push("strata/test:1", img); err != nil {
		t.Fatal(err)
	}
	amd, arm := forArch(t, "amd64"), forArch(t, "arm64")
	plat := func(arch string) v1.Descriptor {
		return v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}
	}
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: plat("amd64")},
		mutate.IndexAddendum{Add: arm, Descriptor: plat("arm64")},
	)
	if err := reg.PushIndex("strata/multi:1", idx); err != nil {
		t.Fatal(err)
	}
	want := expect(t, img, KindRegistry)
	t.Run("tag", func(t *testing.T) {
		if diff := cmp.Diff(want, openAndWalk(t, host+"/strata/test:1", Options{})); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	t.Run("digest", func(t *testing.T) {
		if diff := cmp.Diff(want, openAndWalk(t, host+"/strata/test@"+string(want.ManifestDigest), Options{})); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	for _, tc := range []struct{ platform, want string }{
		{"linux/arm64", digestOf(t, arm)},
		{"linux/amd64", digestOf(t, amd)},
		{"linux/riscv64", `open image "HOST/strata/multi:1": no image for platform linux/riscv64 (available: linux/amd64, linux/arm64)`},
	} {
		t.Run("index "+tc.platform, func(t *testing.T) {
			got := openDigest(t, host+"/strata/multi:1", Options{Platform: tc.platform})
			if diff := cmp.Diff(tc.want, strings.ReplaceAll(got, host, "HOST")); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	t.Run("unknown tag", func(t *testing.T) {
		got := openDigest(t, host+"/strata/test:nope", Options{})
		if !strings.Contains(got, "MANIFEST_UNKNOWN") || !strings.HasPrefix(got, `open image "`+host+`/strata/test:nope": `) {
			t.Errorf("Open error: %s", got)
		}
	})
}

// openDigest opens ref and returns its manifest digest, or the error.
func openDigest(t *testing.T, ref string, opt Options) string {
	t.Helper()
	im, err := Open(context.Background(), ref, opt)
	if err != nil {
		return err.Error()
	}
	defer im.Close()
	return string(im.ManifestDigest)
}

// A registry that wants basic or bearer-token authentication is read with
// the credentials of the options, else of the docker config; one that
// wants none, with or without them.
func TestOpenRegistryAuth(t *testing.T) {
	img := testImage(t, true)
	want := digestOf(t, img)
	for _, tc := range []struct {
		name string
		auth testutil.Auth
		// the results without credentials, with the docker config's, with
		// the options', and with a wrong password in the options
		want [4]string
	}{
		{"anonymous", testutil.Anonymous, [4]string{want, want, want, want}},
		{"basic", testutil.Basic, [4]string{"401 Unauthorized", want, want, "401 Unauthorized"}},
		{"bearer", testutil.Bearer, [4]string{"401 Unauthorized", want, want, "401 Unauthorized"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := testutil.StartRegistry(t, tc.auth)
			if err := reg.Push("strata/test:1", img); err != nil {
				t.Fatal(err)
			}
			ref := reg.Host + "/strata/test:1"
			user, wrong := Options{Username: testutil.RegistryUser, Password: testutil.RegistryPassword}, Options{Username: testutil.RegistryUser, Password: "nope"}
			var got [4]string
			noCredentials(t)
			got[0] = openDigest(t, ref, Options{})
			got[2] = openDigest(t, ref, user)
			got[3] = openDigest(t, ref, wrong)
			auth := base64.StdEncoding.EncodeToString([]byte(testutil.RegistryUser + ":" + testutil.RegistryPassword))
			testutil.WriteFile(t, filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"), []byte(`{"auths": {"`+reg.Host+`": {"auth": "`+auth+`"}}}`))
			got[1] = openDigest(t, ref, Options{})
			for i, g := range got {
				if strings.Contains(g, "401 Unauthorized") {
					got[i] = "401 Unauthorized"
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestRegistryRef(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		want bool
	}{
		{"debian:12", true},
		{"ghcr.io/org/app", true},
		{"localhost:5000/app", true},
		{"app@sha256:" + strings.Repeat("a", 64), true},
		{"image.tar", false},
		{"dir/image.tar", false},
		{"./x:1", false},
		{"/abs/path", false},
	} {
		if _, got := registryRef(tc.ref, Options{}); got != tc.want {
			t.Errorf("registryRef(%q) = %v, want %v", tc.ref, got, tc.want)
		}
	}
}
