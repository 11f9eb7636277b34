// Package testutil builds test inputs: layer tarballs from file lists, and
// docker-archive and OCI-layout images from layers, in process (no docker);
// it reads OCI layout archives and serves images from an in-process
// registry that may want authentication and counts the blobs it serves.
// It also lists what reports hold, for tests to compare. The generator
// under scripts/gen/testimages uses it too.
package testutil

import (
	"archive/tar"
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Entry is one tar entry: a regular file (Body), a symbolic link (Link), a
// hard link (Hard) or a directory (Dir).
type Entry struct {
	Path string
	Body []byte
	Link string
	Hard string
	Dir  bool
	Mode int64 // of a regular file, 0o644 when zero
}

// epoch is the modification time of every entry, so builds are repeatable.
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Tar returns an uncompressed layer tarball holding entries in order.
func Tar(entries ...Entry) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.Path, Mode: 0o644, ModTime: epoch, Format: tar.FormatPAX}
		switch {
		case e.Dir:
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		case e.Link != "":
			h.Typeflag, h.Linkname = tar.TypeSymlink, e.Link
		case e.Hard != "":
			h.Typeflag, h.Linkname = tar.TypeLink, e.Hard
		default:
			h.Typeflag, h.Size, h.Mode = tar.TypeReg, int64(len(e.Body)), cmp.Or(e.Mode, 0o644)
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("tar %s: %w", e.Path, err)
		}
		if _, err := tw.Write(e.Body); err != nil {
			return nil, fmt.Errorf("tar %s: %w", e.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Image assembles an image from uncompressed layer tarballs, bottom first.
// compressed selects gzip-compressed layer blobs (as registries and OCI
// layouts hold them) instead of plain tars (as docker save writes them).
func Image(compressed bool, layers ...[]byte) (v1.Image, error) {
	c := None
	if compressed {
		c = Gzip
	}
	var ls []v1.Layer
	for i, tar := range layers {
		l, err := Layer(tar, c, "")
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
		ls = append(ls, l)
	}
	return ImageOf(ls...)
}

// ImageOf assembles an image from layers, bottom first, with a linux/amd64
// config and a fixed creation time.
func ImageOf(layers ...v1.Layer) (v1.Image, error) {
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Created = "linux", "amd64", v1.Time{Time: epoch}
	return mutate.ConfigFile(img, cfg)
}

// WriteDockerArchive writes img as a docker save archive tagged tag.
func WriteDockerArchive(path, tag string, img v1.Image) error {
	ref, err := name.NewTag(tag)
	if err != nil {
		return err
	}
	return tarball.WriteToFile(path, ref, img)
}

// WriteOCILayout writes img as an OCI image layout directory.
func WriteOCILayout(dir string, img v1.Image) error {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
}

// DpkgLayer builds a layer tar from a folder holding a real system's dpkg
// "status" and "os-release" files, placed where Debian and Ubuntu keep
// them: var/lib/dpkg/status, usr/lib/os-release, and etc/os-release as a
// symbolic link to ../usr/lib/os-release.
func DpkgLayer(dir string) ([]byte, error) {
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return nil, err
	}
	osRelease, err := os.ReadFile(filepath.Join(dir, "os-release"))
	if err != nil {
		return nil, err
	}
	return Tar(
		Entry{Path: "etc/", Dir: true},
		Entry{Path: "etc/os-release", Link: "../usr/lib/os-release"},
		Entry{Path: "usr/lib/os-release", Body: osRelease},
		Entry{Path: "var/lib/dpkg/status", Body: status},
	)
}
