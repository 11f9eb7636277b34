package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/strata-scan/strata"
)

const dockerManifestFile = "manifest.json"

// dockerManifest reads a's manifest.json.
func dockerManifest(a files) (tarball.Manifest, error) {
	b, err := readSmall(a, dockerManifestFile)
	if err != nil {
		return nil, err
	}
	var m tarball.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", dockerManifestFile, err)
	}
	return m, nil
}

// openDocker reads a `docker save` archive of one image, whose
// manifest.json (see dockerManifest), m, names the config file and the
// layer files, bottom first.
func (im *Image) openDocker(a files, m tarball.Manifest) error {
	if len(m) != 1 {
		return fmt.Errorf("%s lists %d images, want 1", dockerManifestFile, len(m))
	}
	d := m[0]
	cfg, err := readSmall(a, d.Config)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	diffIDs, err := parseDiffIDs(cfg, len(d.Layers))
	if err != nil {
		return fmt.Errorf("config %s: %w", d.Config, err)
	}
	im.Kind, im.Config, im.ManifestDigest = KindDockerArchive, cfg, sha256Digest(cfg)
	for i, p := range d.Layers {
		rc, size, err := a.open(p)
		if err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
		rc.Close()
		im.Layers = append(im.Layers, Layer{DiffID: diffIDs[i], Size: size, Open: opener(a, p)})
	}
	return nil
}

// isDockerManifest says whether m, read from a directory, is the
// manifest.json of a `docker save` archive: a list of images, each naming
// its config and layers. A root file system's own manifest.json is
// unlikely to be one.
func isDockerManifest(m tarball.Manifest, err error) bool {
	if err != nil || len(m) == 0 {
		return false
	}
	for _, d := range m {
		if d.Config == "" || len(d.Layers) == 0 {
			return false
		}
	}
	return true
}

// opener opens one file of a as a layer.
func opener(a files, name string) func(context.Context) (io.ReadCloser, error) {
	return func(ctx context.Context) (io.ReadCloser, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc, _, err := a.open(name)
		return rc, err
	}
}

func sha256Digest(b []byte) strata.Digest {
	s := sha256.Sum256(b)
	return strata.Digest("sha256:" + hex.EncodeToString(s[:]))
}
