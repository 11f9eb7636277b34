package image

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-scan/strata"
)

// maxIndexDepth is how deep nested image indexes are followed.
const maxIndexDepth = 4

// manifests reads manifests by digest: from an OCI layout or a registry.
type manifests interface {
	index(ctx context.Context, h v1.Hash) (*v1.IndexManifest, error)
	// config returns the config of the image whose manifest is h.
	config(ctx context.Context, h v1.Hash) (*v1.ConfigFile, error)
}

// pick chooses the image of an index for the platform want (see
// Options.Platform).
func pick(ctx context.Context, m manifests, idx *v1.IndexManifest, want string) (v1.Descriptor, error) {
	descs, err := images(ctx, m, idx, 0)
	if err != nil {
		return v1.Descriptor{}, err
	}
	return choose(descs, want, func(d v1.Descriptor) (v1.Platform, error) {
		if d.Platform != nil {
			return *d.Platform, nil
		}
		cf, err := m.config(ctx, d.Digest)
		if err != nil {
			return v1.Platform{}, err
		}
		return v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant, OSVersion: cf.OSVersion}, nil
	})
}

// images lists the image manifests of an index, following nested indexes.
func images(ctx context.Context, m manifests, idx *v1.IndexManifest, depth int) ([]v1.Descriptor, error) {
	var out []v1.Descriptor
	for _, d := range idx.Manifests {
		switch {
		case d.MediaType.IsImage():
			out = append(out, d)
		case d.MediaType.IsIndex() && depth < maxIndexDepth:
			child, err := m.index(ctx, d.Digest)
			if err != nil {
				return nil, err
			}
			more, err := images(ctx, m, child, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}

// choose picks the image for the platform want ("" for the default: the
// only image, or the host's platform). platformOf tells an image's
// platform. No match is an error listing the platforms there are, and so
// is more than one image for the platform (an OCI layout holding several
// images): strata never picks one silently.
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
	var match []v1.Descriptor
	for _, d := range descs {
		p, err := platformOf(d)
		if err != nil {
			return v1.Descriptor{}, err
		}
		if p.Satisfies(*spec) && !slices.ContainsFunc(match, func(m v1.Descriptor) bool { return m.Digest == d.Digest }) {
			match = append(match, d)
		}
		have = append(have, p.String())
	}
	switch len(match) {
	case 0:
		return v1.Descriptor{}, fmt.Errorf("no image for platform %s (available: %s)", want, strings.Join(have, ", "))
	case 1:
		return match[0], nil
	}
	var names []string
	for _, d := range match {
		n := d.Annotations["org.opencontainers.image.ref.name"]
		if n == "" {
			n = d.Digest.String()
		}
		names = append(names, n)
	}
	return v1.Descriptor{}, fmt.Errorf("%d different images for platform %s (%s): strata scans one image at a time", len(match), want, strings.Join(names, ", "))
}

// setManifest fills im from an image manifest, its digest and its raw
// config; blob opens a layer blob by digest.
func (im *Image) setManifest(digest v1.Hash, m *v1.Manifest, cfg []byte, blob func(v1.Hash) func(context.Context) (io.ReadCloser, error)) error {
	diffIDs, err := parseDiffIDs(cfg, len(m.Layers))
	if err != nil {
		return fmt.Errorf("manifest %s: config %s: %w", digest, m.Config.Digest, err)
	}
	im.ManifestDigest, im.Config = strata.Digest(digest.String()), cfg
	for i, l := range m.Layers {
		im.Layers = append(im.Layers, Layer{
			DiffID: diffIDs[i],
			Blob:   strata.Digest(l.Digest.String()),
			Size:   l.Size,
			Open:   blob(l.Digest),
		})
	}
	return nil
}

// parseDiffIDs reads the diff_ids of an image config, which must describe
// the image's layers.
func parseDiffIDs(cfg []byte, layers int) ([]strata.Digest, error) {
	cf, err := v1.ParseConfigFile(bytes.NewReader(cfg))
	if err != nil {
		return nil, err
	}
	if len(cf.RootFS.DiffIDs) != layers {
		return nil, fmt.Errorf("lists %d diff_ids for %d layers", len(cf.RootFS.DiffIDs), layers)
	}
	ids := make([]strata.Digest, layers)
	for i, h := range cf.RootFS.DiffIDs {
		ids[i] = strata.Digest(h.String())
	}
	return ids, nil
}
