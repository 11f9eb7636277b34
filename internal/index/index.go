// Package index is the indexer: it reads each layer of an image once,
// streaming, runs the scanners over the files they want, caches what they
// found by (layer digest, scanner name, scanner version), and merges the
// layers bottom to top into the image's index report.
//
// The layer digest is the diff_id, the digest of the uncompressed tar, so
// a layer is indexed once whether it comes gzip-compressed from a registry
// or an OCI layout or uncompressed from a docker archive; a cached layer is
// not even opened (nor downloaded). A layer known only by the digest of its
// blob (as a Clair manifest gives it) is found in the cache through the
// diff_id recorded when the blob was first read. When a scanner's version changes, the
// layers are read again for that scanner only. A layer is read a second
// time only when a wanted link leads to a file that came earlier in its
// tar (a package database hard-linked to a name a later layer deletes).
//
// A layer is read under the store's lock on it, shared by every process on
// the store, and the cache is looked at again once the lock is held, so
// that replicas asked for the same layer at once read it once.
package index

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/scanners"
)

// The tar walk's own report is cached like a scanner's, under this name
// and version. Its Whiteouts are the layer's whiteouts; its Opaques are
// the layer's opaque directories and its symbolic links: a link hides what
// lower layers put beneath its path exactly as an opaque directory does
// (a directory replaced by a link is gone), except that nothing can be
// beneath a link in its own layer.
const (
	walkName    = "layer"
	walkVersion = "2"
)

// Store is what the indexer needs of the store.
type Store interface {
	LayerReport(ctx context.Context, layer strata.Digest, scanner, version string) (*strata.LayerReport, error)
	PutLayerReport(ctx context.Context, r *strata.LayerReport) error
	PutLayerBlob(ctx context.Context, blob, diffID strata.Digest) error
	LayerDiffID(ctx context.Context, blob strata.Digest) (strata.Digest, error)
	Lock(ctx context.Context, key string) (unlock func(), err error)
	PutIndexReport(ctx context.Context, r *strata.IndexReport) error
}

// Indexer indexes images into a store.
type Indexer struct {
	Store    Store
	Scanners []scan.Scanner
	Limits   layer.Limits
	Log      *slog.Logger
	// Progress, when set, is told about each layer as it is handled.
	Progress func(i, n int, l strata.Digest, cached bool)
}

// State is the scanner-set state that index reports are made with: each
// scanner's name@version and the tar walk's, sorted by name, such as
// "dpkg@1,layer@2,os-release@1".
func (ix *Indexer) State() string {
	parts := []string{walkName + "@" + walkVersion}
	if s := scanners.State(ix.Scanners); s != "" {
		parts = append(parts, strings.Split(s, ",")...)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// Index indexes every layer of im not yet in the cache, merges the layers
// and stores and returns the image's index report.
func (ix *Indexer) Index(ctx context.Context, im *image.Image) (*strata.IndexReport, error) {
	if im.ManifestDigest == "" {
		return nil, fmt.Errorf("image %s: no manifest digest", im.Ref)
	}
	rep := &strata.IndexReport{ManifestDigest: im.ManifestDigest, State: ix.State()}
	all := make([]layerReports, 0, len(im.Layers))
	for i, l := range im.Layers {
		lr, read, err := ix.layer(ctx, l)
		if err != nil {
			return nil, fmt.Errorf("image %s: layer %d of %d: %w", im.Ref, i+1, len(im.Layers), err)
		}
		if read {
			rep.LayersRead++
		}
		ix.logger().Debug("layer indexed", "layer", lr.digest, "position", i+1, "of", len(im.Layers), "cached", !read)
		if ix.Progress != nil {
			ix.Progress(i+1, len(im.Layers), lr.digest, !read)
		}
		rep.Layers = append(rep.Layers, strata.Layer{Digest: lr.digest, Blob: l.Blob})
		all = append(all, lr)
	}
	rep.Distribution, rep.Packages = merge(all)
	if err := ix.Store.PutIndexReport(ctx, rep); err != nil {
		return nil, fmt.Errorf("image %s: store index report: %w", im.Ref, err)
	}
	return rep, nil
}

// read walks the layer for the given scanners (a second time when wanted
// links lead to files the first walk could not keep: see layer.Walk),
// stores their reports and the walk's, and returns them.
func (ix *Indexer) read(ctx context.Context, l image.Layer, ss []scan.Scanner) (layerReports, error) {
	name := l.Name()
	wants := layer.Wants{Path: func(p string) bool {
		for _, s := range ss {
			if s.Wants(p) {
				return true
			}
		}
		return false
	}, Executables: slices.ContainsFunc(ss, scan.WantsExecutables)}
	res, err := ix.walk(ctx, l, name, wants)
	if err != nil {
		return layerReports{}, err
	}
	defer res.Close()
	ix.logger().Debug("layer read", "layer", res.DiffID, "entries", res.Entries, "bytes", res.Bytes)
	lr := layerReports{digest: res.DiffID}
	lr.walk = &strata.LayerReport{Whiteouts: res.Whiteouts, Opaques: union(res.Opaques, res.Symlinks)}
	if err := ix.put(ctx, res.DiffID, walkName, walkVersion, lr.walk); err != nil {
		return lr, err
	}
	for _, p := range res.Unresolved(wants.Path) {
		ix.logger().Warn("link skipped: it cannot be resolved in its layer (a loop); scanners see no file there", "layer", res.DiffID, "path", p)
	}
	for _, p := range res.Skipped {
		ix.logger().Warn("executable skipped: larger than the size limit of one file; scanners see no file there", "layer", res.DiffID, "path", p)
	}
	paths := res.Paths() // resolves every link of the layer: once, not per scanner
	maxPackages := ix.Limits.MaxPackages
	if maxPackages <= 0 {
		maxPackages = layer.DefaultLimits().MaxPackages
	}
	for _, s := range ss {
		r, err := s.Scan(ctx, onlyWanted{res, paths, s, scan.WantsExecutables(s), maxPackages})
		if err != nil {
			return lr, fmt.Errorf("layer %s: scanner %s: %w", res.DiffID, s.Name(), err)
		}
		if err := ix.put(ctx, res.DiffID, s.Name(), s.Version(), r); err != nil {
			return lr, err
		}
		lr.scanners = append(lr.scanners, r)
	}
	return lr, nil
}

// walk reads the layer, verifies its digests and, when the walk left link
// targets pending, opens the layer again to read them.
func (ix *Indexer) walk(ctx context.Context, l image.Layer, name string, wants layer.Wants) (*layer.Result, error) {
	rc, err := l.Open(ctx)
	if err != nil {
		return nil, fmt.Errorf("layer %s: open: %w", name, err)
	}
	res, err := layer.Walk(ctx, name, rc, wants, ix.Limits)
	rc.Close()
	if err == nil {
		err = image.VerifyDigests(l, res)
	}
	if err == nil && len(res.Pending) > 0 {
		ix.logger().Debug("layer read again for link targets", "layer", name, "targets", len(res.Pending))
		err = ix.readPending(ctx, l, name, res)
	}
	if err != nil {
		res.Close()
		return nil, err
	}
	return res, nil
}

func (ix *Indexer) readPending(ctx context.Context, l image.Layer, name string, res *layer.Result) error {
	rc, err := l.Open(ctx)
	if err != nil {
		return fmt.Errorf("layer %s: open again: %w", name, err)
	}
	defer rc.Close()
	return res.ReadPending(ctx, name, rc, ix.Limits)
}

// union returns the paths of a and b, sorted, without repeats.
func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func (ix *Indexer) put(ctx context.Context, d strata.Digest, name, version string, r *strata.LayerReport) error {
	r.Layer, r.Scanner, r.ScannerVersion = d, name, version
	if err := ix.Store.PutLayerReport(ctx, r); err != nil {
		return fmt.Errorf("layer %s: store %s report: %w", d, name, err)
	}
	return nil
}

func (ix *Indexer) logger() *slog.Logger {
	if ix.Log != nil {
		return ix.Log
	}
	return slog.New(slog.DiscardHandler)
}

// onlyWanted shows a scanner only the files it asked for, so that a
// scanner's report does not depend on which other scanners ran with it:
// those it wants by path and, when execs is set (scan.WantsExecutables),
// the executable ELF files. paths is files.Paths(), listed once for all
// the scanners; maxPackages bounds the packages the scanner may report
// (scan.PackageLimiter).
type onlyWanted struct {
	files       scan.FileSet
	paths       []string
	s           scan.Scanner
	execs       bool
	maxPackages int
}

// MaxPackages is the limit on the packages of the layer (scan.PackageLimiter).
func (o onlyWanted) MaxPackages() int { return o.maxPackages }

func (o onlyWanted) Paths() []string {
	var out []string
	for _, p := range o.paths {
		if o.wants(p) {
			out = append(out, p)
		}
	}
	return out
}

// wants reports whether the scanner asked for the file at p.
func (o onlyWanted) wants(p string) bool {
	return o.s.Wants(p) || o.Executable(p)
}

// Executable reports whether p is an executable ELF file that the scanner
// asked for (scan.ExecutableSet).
func (o onlyWanted) Executable(p string) bool {
	e, ok := o.files.(scan.ExecutableSet)
	return o.execs && ok && e.Executable(p)
}

// Resolve follows links as the layer does (scan.Resolver); a file set
// that knows no links resolves every path to itself.
func (o onlyWanted) Resolve(p string) (string, error) {
	if r, ok := o.files.(scan.Resolver); ok {
		return r.Resolve(p)
	}
	return p, nil
}

func (o onlyWanted) ReadFile(p string) ([]byte, error) {
	if err := o.wanted(p); err != nil {
		return nil, err
	}
	return o.files.ReadFile(p)
}

// Section reads a wanted file piece by piece (scan.Sectioner), when the
// file set can.
func (o onlyWanted) Section(p string) (*io.SectionReader, error) {
	if err := o.wanted(p); err != nil {
		return nil, err
	}
	return scan.Section(o.files, p)
}

func (o onlyWanted) wanted(p string) error {
	if !o.wants(strings.TrimPrefix(p, "/")) {
		return fmt.Errorf("%s: not wanted by scanner %s: %w", p, o.s.Name(), fs.ErrNotExist)
	}
	return nil
}
