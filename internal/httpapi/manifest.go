package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
)

// Manifest is Clair's manifest: an image's manifest digest and its layers,
// bottom first, each with where to fetch its blob and the headers to send.
type Manifest struct {
	Hash   strata.Digest   `json:"hash"`
	Layers []ManifestLayer `json:"layers"`
}

// ManifestLayer is one layer of a Clair manifest.
type ManifestLayer struct {
	Hash      strata.Digest       `json:"hash"` // the blob digest
	URI       string              `json:"uri"`
	Headers   map[string][]string `json:"headers,omitempty"`
	MediaType string              `json:"media_type,omitempty"`
}

// validate checks what Clair's schema requires, so that a bad manifest is
// a 400 before any layer is fetched.
func (m *Manifest) validate() error {
	if _, err := strata.ParseDigest(string(m.Hash)); err != nil {
		return fmt.Errorf("%w: manifest hash: %v", errBadRequest, err)
	}
	if len(m.Layers) == 0 {
		return fmt.Errorf("%w: manifest %s: no layers", errBadRequest, m.Hash)
	}
	for i, l := range m.Layers {
		if err := l.validate(); err != nil {
			return fmt.Errorf("%w: manifest %s: layer %d: %v", errBadRequest, m.Hash, i+1, err)
		}
	}
	return nil
}

func (l *ManifestLayer) validate() error {
	if _, err := strata.ParseDigest(string(l.Hash)); err != nil {
		return fmt.Errorf("hash: %w", err)
	}
	u, err := url.Parse(l.URI)
	if err != nil {
		return fmt.Errorf("uri: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("uri %q: want an http or https URL", redact(u))
	}
	for k, vs := range l.Headers {
		if !isToken(k) {
			return fmt.Errorf("header name %q: want letters, digits, '-' and '_'", k)
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return fmt.Errorf("header %s: a value holds a control character", k)
			}
		}
	}
	return nil
}

// isToken reports whether s matches Clair's header-name pattern,
// ^[a-zA-Z0-9\-_]+$.
func isToken(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return s != ""
}

// manifestImage makes the image the indexer reads: each layer is fetched from
// its URI when opened, and its blob digest is verified as it is read. A
// Clair manifest gives no diff_ids: the indexer finds a layer's cached
// reports through the diff_id it recorded for the blob when it first read
// it, and then does not fetch the layer at all.
func (s *Server) manifestImage(m *Manifest) *image.Image {
	im := &image.Image{Ref: string(m.Hash), ManifestDigest: m.Hash}
	for _, l := range m.Layers {
		im.Layers = append(im.Layers, image.Layer{Blob: l.Hash, Size: -1, Open: s.fetcher(l)})
	}
	return im
}

// fetcher returns a function that GETs the layer's URI with its headers.
func (s *Server) fetcher(l ManifestLayer) func(context.Context) (io.ReadCloser, error) {
	return func(ctx context.Context) (io.ReadCloser, error) {
		u, _ := url.Parse(l.URI) // validated
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.URI, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: GET %s: %v", errLayerFetch, redact(u), err)
		}
		for k, vs := range l.Headers {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		resp, err := s.client.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) { // its message repeats the whole URL, query and all
				err = ue.Err
			}
			return nil, fmt.Errorf("%w: GET %s: %v", errLayerFetch, redact(u), err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("%w: GET %s: %s", errLayerFetch, redact(u), resp.Status)
		}
		return resp.Body, nil
	}
}

// redact drops the credentials and query (often a signature) from a URL
// for messages.
func redact(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery = nil, "", false
	return c.String()
}
