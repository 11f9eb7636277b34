package testutil

import (
	"bytes"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Compression is how a layer blob is stored.
type Compression string

// The compressions Layer makes.
const (
	None Compression = "none"
	Gzip Compression = "gzip"
	Zstd Compression = "zstd"
)

// Layer makes a layer from an uncompressed tarball, its blob compressed as
// c. mediaType, when not empty, replaces the media type that goes with c,
// to make one that lies.
func Layer(tar []byte, c Compression, mediaType types.MediaType) (v1.Layer, error) {
	opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(tar)), nil }
	var l v1.Layer
	var err error
	switch c {
	case Gzip:
		l, err = tarball.LayerFromOpener(opener)
	case Zstd:
		l, err = tarball.LayerFromOpener(opener, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))
	case None:
		l, err = tarball.LayerFromOpener(opener, tarball.WithCompressedCaching)
		l = uncompressed{l}
	default:
		return nil, fmt.Errorf("unknown compression %q", c)
	}
	if err != nil || mediaType == "" {
		return l, err
	}
	return labelled{l, mediaType}, nil
}

// uncompressed makes a layer whose blob is the plain tar, as in docker
// save archives.
type uncompressed struct{ v1.Layer }

func (u uncompressed) Digest() (v1.Hash, error)            { return u.DiffID() }
func (u uncompressed) Compressed() (io.ReadCloser, error)  { return u.Uncompressed() }
func (u uncompressed) MediaType() (types.MediaType, error) { return types.DockerUncompressedLayer, nil }
func (u uncompressed) Size() (int64, error) {
	rc, err := u.Uncompressed()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

// labelled gives a layer another media type.
type labelled struct {
	v1.Layer
	mt types.MediaType
}

func (l labelled) MediaType() (types.MediaType, error) { return l.mt, nil }
