package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/strata-scan/strata/internal/layer"
)

// maxMetadata bounds the JSON files read whole: manifests, indexes,
// configs.
const maxMetadata = 16 << 20

// files is the file tree of an image source: a directory or a tar archive.
type files interface {
	// open opens a regular file, following links inside the tree, and
	// returns its size.
	open(name string) (io.ReadCloser, int64, error)
}

// readSmall reads a whole metadata file.
func readSmall(a files, name string) ([]byte, error) {
	rc, size, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > maxMetadata {
		return nil, fmt.Errorf("%s: %d bytes is too large for metadata", name, size)
	}
	return io.ReadAll(rc)
}

// dirFiles is a directory; os.Root keeps every open inside it.
type dirFiles struct{ root *os.Root }

func (d dirFiles) open(name string) (io.ReadCloser, int64, error) {
	f, err := d.root.Open(name)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: not a regular file", name)
	}
	return f, fi.Size(), nil
}

// tarEntry is where one entry of an archive lies.
type tarEntry struct {
	typ    byte
	offset int64
	size   int64
	link   string
}

// tarFiles is a tar archive on disk, indexed once (the tar reader seeks
// over contents, reading only their last byte to detect truncation): its
// files are read in place, as sections of the archive.
type tarFiles struct {
	f       *os.File
	entries map[string]tarEntry
}

// indexTar reads the headers of the archive f. A file that does not start
// with a tar header is errNotImage.
func indexTar(ctx context.Context, f *os.File) (*tarFiles, error) {
	t := &tarFiles{f: f, entries: map[string]tarEntry{}}
	tr := tar.NewReader(f)
	last := ""
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		switch {
		case err == io.EOF:
			return t, nil
		case err != nil && last == "":
			return nil, errNotImage
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("truncated archive after entry %q: %w", last, err)
		case err != nil:
			return nil, fmt.Errorf("corrupt archive after entry %q: %w", last, err)
		}
		last = hdr.Name
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, err
		}
		t.entries[path.Clean(hdr.Name)] = tarEntry{typ: hdr.Typeflag, offset: off, size: hdr.Size, link: hdr.Linkname}
	}
}

func (t *tarFiles) has(name string) bool {
	_, ok := t.entries[name]
	return ok
}

func (t *tarFiles) open(name string) (io.ReadCloser, int64, error) {
	for range 40 {
		e, ok := t.entries[name]
		switch {
		case !ok:
			return nil, 0, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		case e.typ == tar.TypeReg:
			return io.NopCloser(io.NewSectionReader(t.f, e.offset, e.size)), e.size, nil
		case e.typ == tar.TypeSymlink:
			name = path.Join(path.Dir(name), e.link)
		case e.typ == tar.TypeLink:
			name = path.Clean(e.link)
		default:
			return nil, 0, fmt.Errorf("%s: not a regular file", name)
		}
	}
	return nil, 0, fmt.Errorf("%s: too many levels of links", name)
}

// openArchive opens the file im.Ref as a tar archive, first decompressing
// it to a temporary file when it is compressed.
func (im *Image) openArchive(ctx context.Context) (*tarFiles, error) {
	f, err := os.Open(im.Ref)
	if err != nil {
		return nil, err
	}
	im.closers = append(im.closers, f.Close)
	s, err := layer.Decompress(f, layer.Limits{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if s.Compression != layer.None {
		if f, err = im.spool(ctx, s); err != nil {
			return nil, err
		}
	} else if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return indexTar(ctx, f)
}

// spool writes the decompressed archive to a temporary file, removed by
// Close.
func (im *Image) spool(ctx context.Context, r io.Reader) (*os.File, error) {
	tmp, err := os.CreateTemp("", "strata-image-*.tar")
	if err != nil {
		return nil, err
	}
	im.closers = append(im.closers, func() error { return os.Remove(tmp.Name()) }, tmp.Close)
	if _, err := io.Copy(tmp, ctxReader{ctx, r}); err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return tmp, nil
}

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
