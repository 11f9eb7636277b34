package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/strata-scan/strata"
)

const dockerManifestFile = "manifest.json"

// openDocker reads a `docker save` archive of one image: manifest.json
// names the config file and the layer files, bottom first.
func (im *Image) openDocker(a files) error {
	b, err := readSmall(a, dockerManifestFile)
	if err != nil {
		return err
	}
	var m tarball.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", dockerManifestFile, err)
	}
	if len(m) != 1 {
		return fmt.Errorf("%s lists %d images, want 1", dockerManifestFile, len(m))
	}
	d := m[0]
	cfg, diffIDs, err := readConfig(a, d.Config)
	if err != nil {
		return err
	}
	if len(diffIDs) != len(d.Layers) {
		return fmt.Errorf("config %s lists %d diff_ids for %d layers", d.Config, len(diffIDs), len(d.Layers))
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

// readConfig reads and parses an image config and returns its diff_ids.
func readConfig(a files, name string) ([]byte, []strata.Digest, error) {
	b, err := readSmall(a, name)
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", name, err)
	}
	ids := make([]strata.Digest, len(cf.RootFS.DiffIDs))
	for i, h := range cf.RootFS.DiffIDs {
		ids[i] = strata.Digest(h.String())
	}
	return b, ids, nil
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
