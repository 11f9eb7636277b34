package httpapi

import (
	"encoding/json"
	"net/url"
	"os"
	"testing"

	"github.com/strata-scan/strata"
)

// FuzzManifest checks that no body panics the manifest checks, and that a
// manifest they accept has well-formed digests, http(s) URIs and header
// names, as Clair's schema wants.
func FuzzManifest(f *testing.F) {
	seed, err := os.ReadFile("testdata/manifest.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"hash":"sha256:00","layers":[]}`))
	f.Add([]byte(`{"layers":[{"uri":"ftp://x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var m Manifest
		if json.Unmarshal(body, &m) != nil || m.validate() != nil {
			return
		}
		if _, err := strata.ParseDigest(string(m.Hash)); err != nil || len(m.Layers) == 0 {
			t.Fatalf("accepted manifest %q with %d layers", m.Hash, len(m.Layers))
		}
		for _, l := range m.Layers {
			u, err := url.Parse(l.URI)
			if _, derr := strata.ParseDigest(string(l.Hash)); derr != nil || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("accepted layer %+v", l)
			}
			for k := range l.Headers {
				if !isToken(k) {
					t.Fatalf("accepted header name %q", k)
				}
			}
		}
	})
}
