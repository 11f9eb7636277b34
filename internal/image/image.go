// Package image opens the sources of container images: `docker save`
// archives, OCI image layouts (directories or tar files), unpacked root
// file systems and registry references, and yields each image's manifest
// digest, config and layer openers, bottom layer first. What a local source
// is comes from its contents, never its file name; a gzip-compressed
// archive is decompressed to a temporary file first. A multi-platform index
// is resolved to one platform.
//
// Test helpers aside, it is the only package that imports
// go-containerregistry. Layers are not read here: layer.Walk reads each one
// once, and VerifyDigests checks the digests it computed against those the
// image declares.
package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/layer"
)

// The kinds of image sources.
const (
	KindDockerArchive = "docker-archive"
	KindOCILayout     = "oci-layout"
	KindRootFS        = "rootfs"
	KindRegistry      = "registry"
)

// Options tune Open.
type Options struct {
	// Platform ("os/arch[/variant]") selects the image of a multi-platform
	// index. When empty, an index of one image yields it whatever its
	// platform, and otherwise "linux/" + the host's architecture is chosen.
	Platform string
	// Insecure allows plain HTTP to a registry (go-containerregistry
	// already uses it for localhost and private addresses).
	Insecure bool
	// Username and Password, when Username is set, are the registry
	// credentials (HTTP basic, or exchanged for a bearer token as the
	// registry asks), used instead of the docker config's.
	Username, Password string
}

// Image is one opened image. Close it to release its files.
type Image struct {
	Ref  string
	Kind string // KindDockerArchive, KindOCILayout, KindRootFS or KindRegistry
	// ManifestDigest identifies the image. For an OCI layout or a registry
	// it is the image manifest's digest (of the chosen platform's image). A docker archive has no manifest: it is the
	// digest of the image config, the image ID that docker shows, which
	// needs no layer to be read (the manifest go-containerregistry would
	// make up for it needs every layer gzipped or hashed). For a root file
	// system it is the diff_id of the tar generated from the directory
	// (so that Open reads the files once, to hash them).
	ManifestDigest strata.Digest
	Layers         []Layer // bottom to top
	Config         []byte  // raw config JSON (nil for a root file system)

	closers []func() error
}

// Layer is one layer of an image.
type Layer struct {
	// DiffID is the digest of the uncompressed layer, from the config's
	// rootfs.diff_ids; for a root file system, the digest of the generated
	// tar as Open computed it.
	DiffID strata.Digest
	Blob   strata.Digest // digest of the stored blob, "" when not known
	Size   int64         // size of the stored blob, -1 when not known
	// Open returns the layer's bytes as stored, compressed or not. Close the
	// reader when done.
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// Name is how messages name a layer: its diff_id when known, else its
// blob digest.
func (l Layer) Name() string {
	if l.DiffID != "" {
		return string(l.DiffID)
	}
	return string(l.Blob)
}

var errNotImage = errors.New("not a docker archive, OCI layout or root filesystem directory")

// Open detects what ref is from its contents and opens it: a docker save
// archive (tar, gzip-compressed tar, or a directory it was unpacked to:
// one holding a manifest.json that lists a config and layers), an OCI
// image layout (a directory holding oci-layout and index.json, or a tar or
// gzip-compressed tar of one) or a root file system (any other directory). A ref that names no
// file and reads as a registry reference (see registryRef) is pulled from
// its registry: manifest and config now, layers when opened.
func Open(ctx context.Context, ref string, opt Options) (*Image, error) {
	im := &Image{Ref: ref}
	if err := im.open(ctx, opt); err != nil {
		im.Close()
		return nil, fmt.Errorf("open image %q: %w", ref, err)
	}
	return im, nil
}

func (im *Image) open(ctx context.Context, opt Options) error {
	fi, err := os.Stat(im.Ref)
	if errors.Is(err, fs.ErrNotExist) {
		if ref, ok := registryRef(im.Ref, opt); ok {
			return im.openRegistry(ctx, ref, opt)
		}
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return im.openDir(ctx, opt)
	}
	a, err := im.openArchive(ctx)
	if err != nil {
		return err
	}
	return im.openFiles(ctx, a, opt)
}

func (im *Image) openDir(ctx context.Context, opt Options) error {
	root, err := os.OpenRoot(im.Ref)
	if err != nil {
		return err
	}
	im.closers = append(im.closers, root.Close)
	a := dirFiles{root}
	if exists(root, ociLayoutFile) {
		return im.openOCI(ctx, a, opt)
	}
	if m, err := dockerManifest(a); isDockerManifest(m, err) {
		return im.openDocker(a, m)
	}
	return im.openRootFS(ctx, root)
}

// exists says whether name is in root.
func exists(root *os.Root, name string) bool {
	_, err := root.Lstat(name)
	return err == nil
}

// openFiles opens the image held in an archive's files.
func (im *Image) openFiles(ctx context.Context, a *tarFiles, opt Options) error {
	switch {
	case a.has(ociLayoutFile):
		return im.openOCI(ctx, a, opt)
	case a.has(dockerManifestFile):
		m, err := dockerManifest(a)
		if err != nil {
			return err
		}
		return im.openDocker(a, m)
	}
	return errNotImage
}

// Close releases the files the image holds open and its temporary files.
func (im *Image) Close() error {
	var errs []error
	for i := len(im.closers) - 1; i >= 0; i-- {
		errs = append(errs, im.closers[i]())
	}
	im.closers = nil
	return errors.Join(errs...)
}

// hostPlatform is the default platform: the host's architecture, on Linux.
func hostPlatform() string {
	return "linux/" + runtime.GOARCH
}

// VerifyDigests checks the digests that layer.Walk computed against those
// the image declares for the layer. A blob digest of an algorithm other
// than sha256 is not checked (Walk computes sha256 only).
func VerifyDigests(l Layer, res *layer.Result) error {
	name := l.Name()
	if l.DiffID != "" && l.DiffID != res.DiffID {
		return layer.Invalid(fmt.Errorf("layer %s: digest mismatch: config says %s, content is %s", name, l.DiffID, res.DiffID))
	}
	if strings.HasPrefix(string(l.Blob), "sha256:") && l.Blob != res.BlobDigest {
		return layer.Invalid(fmt.Errorf("layer %s: digest mismatch: manifest says blob %s, blob is %s", name, l.Blob, res.BlobDigest))
	}
	return nil
}
