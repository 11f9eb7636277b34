package testutil

import (
	"encoding/json"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Auth is what a Registry asks of its clients.
type Auth int

// The kinds of registry authentication.
const (
	Anonymous Auth = iota
	// Basic wants HTTP basic authentication as RegistryUser.
	Basic
	// Bearer wants a token from the registry's token endpoint (/token, as
	// its WWW-Authenticate challenge says), which the endpoint hands out
	// for HTTP basic authentication as RegistryUser.
	Bearer
)

// The credentials a Registry with authentication accepts.
const (
	RegistryUser     = "strata"
	RegistryPassword = "s3cret"
)

const registryToken = "t0ken"

var blobPath = regexp.MustCompile(`^/v2/.+/blobs/(sha256:[0-9a-f]{64})$`)

// Registry is an in-process OCI distribution registry (go-containerregistry's
// pkg/registry behind httptest) that counts the blobs it serves.
type Registry struct {
	Host string // host:port

	auth  Auth
	mu    sync.Mutex
	blobs map[string]int // GET requests served per blob digest
}

// StartRegistry starts a registry that asks auth of its clients; the test's
// cleanup stops it.
func StartRegistry(t testing.TB, auth Auth) *Registry {
	t.Helper()
	r := &Registry{auth: auth, blobs: map[string]int{}}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(r.handler(reg))
	t.Cleanup(srv.Close)
	r.Host = strings.TrimPrefix(srv.URL, "http://")
	return r
}

func (r *Registry) handler(reg http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/token" {
			r.token(w, req)
			return
		}
		if !r.authorized(req) {
			r.challenge(w)
			return
		}
		if m := blobPath.FindStringSubmatch(req.URL.Path); m != nil && req.Method == http.MethodGet {
			r.mu.Lock()
			r.blobs[m[1]]++
			r.mu.Unlock()
		}
		reg.ServeHTTP(w, req)
	})
}

func (r *Registry) authorized(req *http.Request) bool {
	switch r.auth {
	case Basic:
		u, p, ok := req.BasicAuth()
		return ok && u == RegistryUser && p == RegistryPassword
	case Bearer:
		return req.Header.Get("Authorization") == "Bearer "+registryToken
	}
	return true
}

func (r *Registry) challenge(w http.ResponseWriter) {
	if r.auth == Bearer {
		w.Header().Set("WWW-Authenticate", `Bearer realm="http://`+r.Host+`/token",service="testutil"`)
	} else {
		w.Header().Set("WWW-Authenticate", `Basic realm="testutil"`)
	}
	http.Error(w, "authentication required", http.StatusUnauthorized)
}

// token is the token endpoint of a Bearer registry.
func (r *Registry) token(w http.ResponseWriter, req *http.Request) {
	if u, p, ok := req.BasicAuth(); r.auth != Bearer || !ok || u != RegistryUser || p != RegistryPassword {
		w.Header().Set("WWW-Authenticate", `Basic realm="testutil"`)
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"token": registryToken})
}

// BlobGets returns how many times each blob (by digest) was downloaded
// since the last call.
func (r *Registry) BlobGets() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := maps.Clone(r.blobs)
	clear(r.blobs)
	return out
}

// Push uploads an image as repoTag ("team/app:1"), with the registry's
// credentials.
func (r *Registry) Push(repoTag string, img v1.Image) error {
	ref, err := name.ParseReference(r.Host + "/" + repoTag)
	if err != nil {
		return err
	}
	return remote.Write(ref, img, r.credentials())
}

// PushIndex uploads a multi-platform index and its images as repoTag.
func (r *Registry) PushIndex(repoTag string, idx v1.ImageIndex) error {
	ref, err := name.ParseReference(r.Host + "/" + repoTag)
	if err != nil {
		return err
	}
	return remote.WriteIndex(ref, idx, r.credentials())
}

func (r *Registry) credentials() remote.Option {
	return remote.WithAuth(&authn.Basic{Username: RegistryUser, Password: RegistryPassword})
}
