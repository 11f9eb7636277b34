package image

import (
	"bytes"
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
)

const (
	ociLayoutFile = "oci-layout"
	ociIndexFile  = "index.json"
)

// openOCI reads an OCI image layout: index.json lists manifests (or nested
// indexes); the one for the platform is chosen.
func (im *Image) openOCI(ctx context.Context, a files, opt Options) error {
	b, err := readSmall(a, ociIndexFile)
	if err != nil {
		return err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", ociIndexFile, err)
	}
	o := ociBlobs{a}
	desc, err := pick(ctx, o, idx, opt.Platform)
	if err != nil {
		return err
	}
	m, err := o.manifest(desc.Digest)
	if err != nil {
		return err
	}
	cfg, err := o.blob(m.Config.Digest)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	im.Kind = KindOCILayout
	return im.setManifest(desc.Digest, m, cfg, func(h v1.Hash) func(context.Context) (io.ReadCloser, error) {
		return opener(a, blobPath(h))
	})
}

// ociBlobs reads the content-addressed blobs of a layout.
type ociBlobs struct{ a files }

func blobPath(h v1.Hash) string {
	return "blobs/" + h.Algorithm + "/" + h.Hex
}

// blob reads a small blob and checks its digest.
func (o ociBlobs) blob(h v1.Hash) ([]byte, error) {
	b, err := readSmall(o.a, blobPath(h))
	if err != nil {
		return nil, err
	}
	if h.Algorithm == "sha256" && sha256Digest(b) != strata.Digest(h.String()) {
		return nil, fmt.Errorf("blob %s: digest mismatch: content is %s", h, sha256Digest(b))
	}
	return b, nil
}

func (o ociBlobs) manifest(h v1.Hash) (*v1.Manifest, error) {
	b, err := o.blob(h)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m, err := v1.ParseManifest(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", h, err)
	}
	return m, nil
}

func (o ociBlobs) index(_ context.Context, h v1.Hash) (*v1.IndexManifest, error) {
	b, err := o.blob(h)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", h, err)
	}
	return idx, nil
}

func (o ociBlobs) config(_ context.Context, h v1.Hash) (*v1.ConfigFile, error) {
	m, err := o.manifest(h)
	if err != nil {
		return nil, err
	}
	b, err := o.blob(m.Config.Digest)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	return cf, nil
}
