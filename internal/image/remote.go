package image

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/strata-scan/strata"
)

// registryRef parses ref as a registry reference, if it plainly is one: it
// names a tag or digest ("debian:12", "…@sha256:…") or starts with a
// registry host ("ghcr.io/org/app", "localhost:5000/app"). A bare word or
// path ("image.tar", "dir/x", "./x:1") is not taken for one, so that a
// missing file is reported as missing.
func registryRef(ref string, opt Options) (name.Reference, bool) {
	if strings.HasPrefix(ref, ".") || strings.HasPrefix(ref, "/") {
		return nil, false
	}
	var opts []name.Option
	if opt.Insecure {
		opts = append(opts, name.Insecure)
	}
	r, err := name.ParseReference(ref, opts...)
	if err != nil {
		return nil, false
	}
	first, _, slash := strings.Cut(ref, "/")
	host := slash && (strings.ContainsAny(first, ".:") || first == "localhost")
	last := ref[strings.LastIndexByte(ref, '/')+1:]
	return r, host || strings.ContainsAny(last, ":@")
}

// openRegistry reads an image's manifest and config from a registry
// (OCI distribution API) with the credentials of the options, else those
// of the docker config (authn.DefaultKeychain: $DOCKER_CONFIG or
// ~/.docker/config.json, credential helpers), else anonymously. Layers are
// fetched when opened.
func (im *Image) openRegistry(ctx context.Context, ref name.Reference, opt Options) error {
	auth := remote.WithAuthFromKeychain(authn.DefaultKeychain)
	if opt.Username != "" {
		auth = remote.WithAuth(&authn.Basic{Username: opt.Username, Password: opt.Password})
	}
	p, err := remote.NewPuller(auth, remote.WithUserAgent(strata.UserAgent()))
	if err != nil {
		return err
	}
	r := repoReader{repo: ref.Context(), puller: p}
	desc, err := p.Get(ctx, ref)
	if err != nil {
		return err
	}
	d := desc.Descriptor
	if desc.MediaType.IsIndex() {
		idx, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return fmt.Errorf("index %s: %w", desc.Digest, err)
		}
		if d, err = pick(ctx, r, idx, opt.Platform); err != nil {
			return err
		}
	}
	img, err := r.image(ctx, d.Digest)
	if err != nil {
		return err
	}
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	im.Kind = KindRegistry
	return im.setManifest(d.Digest, m, cfg, r.layer)
}

// repoReader reads one repository, reusing one puller (and so its tokens).
type repoReader struct {
	repo   name.Repository
	puller *remote.Puller
}

// layer opens a layer blob; go-containerregistry checks its digest as it
// is read.
func (r repoReader) layer(h v1.Hash) func(context.Context) (io.ReadCloser, error) {
	return func(ctx context.Context) (io.ReadCloser, error) {
		l, err := r.puller.Layer(ctx, r.repo.Digest(h.String()))
		if err != nil {
			return nil, err
		}
		return l.Compressed()
	}
}

func (r repoReader) image(ctx context.Context, h v1.Hash) (v1.Image, error) {
	desc, err := r.puller.Get(ctx, r.repo.Digest(h.String()))
	if err != nil {
		return nil, err
	}
	return desc.Image()
}

func (r repoReader) index(ctx context.Context, h v1.Hash) (*v1.IndexManifest, error) {
	desc, err := r.puller.Get(ctx, r.repo.Digest(h.String()))
	if err != nil {
		return nil, err
	}
	return v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
}

func (r repoReader) config(ctx context.Context, h v1.Hash) (*v1.ConfigFile, error) {
	img, err := r.image(ctx, h)
	if err != nil {
		return nil, err
	}
	return img.ConfigFile()
}
