package layer

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/strata-scan/strata"
)

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh." // aufs metadata, such as .wh..wh.plnk
	whiteoutOpaque = ".wh..wh..opq"
)

// Walk reads one layer once, streaming, to EOF (trailing padding included,
// so that both digests are right). It keeps the contents of the regular
// files for which wants(path) is true, records every whiteout, opaque
// directory, symbolic and hard link, and computes the diff_id and the blob
// digest. name identifies the layer in errors, usually by its digest.
// Context cancellation is checked between entries. Zero fields of lim take
// their defaults.
func Walk(ctx context.Context, name string, r io.Reader, wants func(path string) bool, lim Limits) (*Result, error) {
	lim = lim.withDefaults()
	blob := sha256.New()
	src := io.TeeReader(r, blob)
	s, err := Decompress(src, lim)
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", name, err)
	}
	defer s.Close()
	diff := sha256.New()
	var sink io.Writer = diff
	if s.Compression == None {
		sink = io.Discard // an uncompressed layer is its own tar: one hash serves both digests
	}
	w := &walker{wants: wants, lim: lim, res: newResult(), extra: map[string]bool{}}
	if err := w.walk(ctx, tar.NewReader(io.TeeReader(s, sink))); err != nil {
		return nil, fmt.Errorf("layer %s: %w", name, err)
	}
	if _, err := io.Copy(sink, s); err != nil {
		return nil, fmt.Errorf("layer %s: after the end of the tar: %w", name, err)
	}
	if _, err := io.Copy(io.Discard, src); err != nil {
		return nil, fmt.Errorf("layer %s: %w", name, err)
	}
	res := w.res
	res.DiffID, res.BlobDigest, res.Bytes = digest(diff), digest(blob), s.Uncompressed()
	if sink == io.Discard {
		res.DiffID = res.BlobDigest
	}
	slices.Sort(res.Whiteouts)
	slices.Sort(res.Opaques)
	res.Whiteouts, res.Opaques = slices.Compact(res.Whiteouts), slices.Compact(res.Opaques)
	return res, nil
}

func digest(h hash.Hash) strata.Digest {
	return strata.Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
}

// walker is the state of one walk.
type walker struct {
	wants func(string) bool
	lim   Limits
	res   *Result
	extra map[string]bool // targets of wanted symbolic links
	last  string          // the last entry read, for errors
}

func (w *walker) walk(ctx context.Context, tr *tar.Reader) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return w.readError(err)
		}
		if w.res.Entries++; w.res.Entries > w.lim.MaxEntries {
			return fmt.Errorf("more than %d tar entries", w.lim.MaxEntries)
		}
		w.last = hdr.Name
		p, keep, err := w.entry(hdr)
		if err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		if keep {
			b, err := io.ReadAll(tr)
			if err != nil {
				return w.readError(err)
			}
			w.res.files[p] = b
		}
	}
}

// readError says what a failure to read the next header means.
func (w *walker) readError(err error) error {
	truncated := errors.Is(err, io.ErrUnexpectedEOF)
	switch {
	case w.res.Entries == 0 && (errors.Is(err, tar.ErrHeader) || truncated):
		return errors.New("not a tar archive")
	case truncated:
		return fmt.Errorf("truncated tar: %w", err)
	case errors.Is(err, tar.ErrHeader):
		return fmt.Errorf("corrupt tar after entry %q: %w", w.last, err)
	}
	return err
}

// entry records one header; keep says the entry's contents, at path p,
// are to be kept.
func (w *walker) entry(hdr *tar.Header) (p string, keep bool, err error) {
	p, err = cleanEntry(hdr.Name)
	if err != nil || p == "." {
		return "", false, err
	}
	dir, base := path.Split(p)
	if strings.HasPrefix(base, whiteoutPrefix) {
		w.whiteout(path.Clean(dir), base)
		return "", false, nil
	}
	w.res.forget(p)
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse:
		keep, err = w.keep(p, hdr.Size)
		return p, keep, err
	case tar.TypeSymlink:
		w.symlink(p, hdr.Linkname)
	case tar.TypeLink:
		t, err := cleanEntry(hdr.Linkname)
		if err != nil {
			return "", false, fmt.Errorf("hard link target %q: %w", hdr.Linkname, err)
		}
		w.res.hardlinks[p] = t
	}
	return "", false, nil
}

func (w *walker) whiteout(dir, base string) {
	switch {
	case base == whiteoutOpaque:
		w.res.Opaques = append(w.res.Opaques, dir)
	case strings.HasPrefix(base, whiteoutMeta), base == whiteoutPrefix:
	default:
		w.res.Whiteouts = append(w.res.Whiteouts, path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix)))
	}
}

func (w *walker) wanted(p string) bool {
	return w.extra[p] || w.wants(p)
}

// keep says whether a regular file's contents are to be kept: it is
// wanted, and not too large.
func (w *walker) keep(p string, size int64) (bool, error) {
	if !w.wanted(p) {
		return false, nil
	}
	if size > w.lim.MaxFileSize {
		return false, fmt.Errorf("wanted file of %d bytes exceeds the %s limit", size, formatSize(w.lim.MaxFileSize))
	}
	return true, nil
}

// symlink records a symbolic link. When the link is wanted, what it points
// to (as far as the links seen so far tell) becomes wanted too; and a link
// to a directory holding a wanted target moves that target where the link
// leads.
func (w *walker) symlink(p, target string) {
	w.res.symlinks[p] = target
	var more []string
	if w.wanted(p) {
		more = append(more, p)
	}
	for e := range w.extra {
		if strings.HasPrefix(e, p+"/") {
			more = append(more, e)
		}
	}
	for _, e := range more {
		if t, err := w.res.resolve(e); err == nil {
			w.extra[t] = true
		}
	}
}
