package image

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
)

const (
	ociLayoutFile = "oci-layout"
	ociIndexFile  = "index.json"
	maxIndexDepth = 4 // nested image indexes followed
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
	descs, err := o.images(ctx, idx, 0)
	if err != nil {
		return err
	}
	desc, err := choose(descs, opt.Platform, o.platform)
	if err != nil {
		return err
	}
	m, err := o.manifest(desc.Digest)
	if err != nil {
		return err
	}
	cfg, diffIDs, err := readConfig(a, blobPath(m.Config.Digest))
	if err != nil {
		return err
	}
	if len(diffIDs) != len(m.Layers) {
		return fmt.Errorf("manifest %s: config lists %d diff_ids for %d layers", desc.Digest, len(diffIDs), len(m.Layers))
	}
	im.Kind, im.Config, im.ManifestDigest = KindOCILayout, cfg, strata.Digest(desc.Digest.String())
	for i, l := range m.Layers {
		im.Layers = append(im.Layers, Layer{
			DiffID: diffIDs[i], Blob: strata.Digest(l.Digest.String()), Size: l.Size,
			Open: opener(a, blobPath(l.Digest)),
		})
	}
	return nil
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

// images lists the image manifests of an index, following nested indexes.
func (o ociBlobs) images(ctx context.Context, idx *v1.IndexManifest, depth int) ([]v1.Descriptor, error) {
	var out []v1.Descriptor
	for _, d := range idx.Manifests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		switch {
		case d.MediaType.IsImage():
			out = append(out, d)
		case d.MediaType.IsIndex() && depth < maxIndexDepth:
			b, err := o.blob(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("index: %w", err)
			}
			child, err := v1.ParseIndexManifest(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("index %s: %w", d.Digest, err)
			}
			more, err := o.images(ctx, child, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}

// platform is the platform of an image: its descriptor's, else its
// config's.
func (o ociBlobs) platform(d v1.Descriptor) (v1.Platform, error) {
	if d.Platform != nil {
		return *d.Platform, nil
	}
	m, err := o.manifest(d.Digest)
	if err != nil {
		return v1.Platform{}, err
	}
	b, err := o.blob(m.Config.Digest)
	if err != nil {
		return v1.Platform{}, fmt.Errorf("config: %w", err)
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(b))
	if err != nil {
		return v1.Platform{}, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	return v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant, OSVersion: cf.OSVersion}, nil
}

// choose picks the image for the platform want ("" for the default: the
// only image, or the host's platform). platformOf tells an image's
// platform. The first match wins; no match is an error listing the
// platforms there are.
func choose(descs []v1.Descriptor, want string, platformOf func(v1.Descriptor) (v1.Platform, error)) (v1.Descriptor, error) {
	switch {
	case len(descs) == 0:
		return v1.Descriptor{}, fmt.Errorf("no image manifest in the index")
	case len(descs) == 1 && want == "":
		return descs[0], nil
	case want == "":
		want = hostPlatform()
	}
	spec, err := v1.ParsePlatform(want)
	if err != nil || spec.OS == "" || spec.Architecture == "" {
		return v1.Descriptor{}, fmt.Errorf("platform %q: want os/arch[/variant]", want)
	}
	var have []string
	for _, d := range descs {
		p, err := platformOf(d)
		if err != nil {
			return v1.Descriptor{}, err
		}
		if p.Satisfies(*spec) {
			return d, nil
		}
		have = append(have, p.String())
	}
	return v1.Descriptor{}, fmt.Errorf("no image for platform %s (available: %s)", want, strings.Join(have, ", "))
}
