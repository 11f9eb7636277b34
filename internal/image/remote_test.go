package image

import (
	"context"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// serveRegistry starts an in-process registry, wrapped by wrap when not
// nil, and returns its host:port.
func serveRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// noCredentials points the docker config at an empty directory.
func noCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("DOCKER_CONFIG", filepath.Join(home, ".docker"))
}

func push(t *testing.T, ref string, img v1.Image, opts ...remote.Option) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, opts...); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRegistry(t *testing.T) {
	noCredentials(t)
	host := serveRegistry(t, nil)
	img := testImage(t, true)
	push(t, host+"/strata/test:1", img)
	amd, arm := forArch(t, "amd64"), forArch(t, "arm64")
	plat := func(arch string) v1.Descriptor {
		return v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}
	}
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: plat("amd64")},
		mutate.IndexAddendum{Add: arm, Descriptor: plat("arm64")},
	)
	multi, err := name.ParseReference(host + "/strata/multi:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(multi, idx); err != nil {
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

// A registry that wants basic auth is read with the docker config's
// credentials.
func TestOpenRegistryAuth(t *testing.T) {
	host := serveRegistry(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, p, ok := r.BasicAuth(); !ok || u != "strata" || p != "s3cret" {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	img := testImage(t, true)
	push(t, host+"/strata/test:1", img, remote.WithAuth(&authn.Basic{Username: "strata", Password: "s3cret"}))
	want := digestOf(t, img)

	noCredentials(t)
	if got := openDigest(t, host+"/strata/test:1", Options{}); !strings.Contains(got, "401 Unauthorized") {
		t.Errorf("without credentials: %s, want a 401 Unauthorized error", got)
	}
	config := `{"auths": {"` + host + `": {"auth": "` + base64.StdEncoding.EncodeToString([]byte("strata:s3cret")) + `"}}}`
	writeFile(t, filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"), []byte(config))
	if got := openDigest(t, host+"/strata/test:1", Options{}); got != want {
		t.Errorf("with credentials: %s, want %s", got, want)
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
