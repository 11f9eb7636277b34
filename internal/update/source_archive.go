package update

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/strata-scan/strata/internal/tarend"

	"github.com/klauspost/compress/zstd"
)

// Magic numbers of the compression formats recognised.
var (
	gzipMagic  = []byte{0x1f, 0x8b}
	zstdMagic  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	bzip2Magic = []byte("BZh")
	xzMagic    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
)

// readDocuments hands fn the documents of one file named name: the file
// itself, decompressed if it is compressed, or the regular files of the
// tar or zip archive it holds.
func readDocuments(ctx context.Context, name string, r io.Reader, fn func(Document) error) error {
	in := bufio.NewReaderSize(r, 64<<10)
	dr, closeFn, err := decompress(in)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", name, err)
	}
	defer closeFn()
	br := bufio.NewReaderSize(dr, 64<<10)
	switch f, isFile := r.(*os.File); {
	case isTar(br):
		err = readTar(ctx, name, br, fn)
	case isZip(br) && isFile && dr == io.Reader(in):
		// An uncompressed zip file on disk (or spooled by fetchURL) is
		// read where it is.
		return readZipFile(ctx, name, f, fn)
	case isZip(br):
		err = spoolZip(ctx, name, br, fn)
	default:
		err = fn(Document{Name: name, Body: br})
	}
	if err != nil {
		return err
	}
	// Read to the end so that a compressed stream's checksum is verified
	// even when the tar archive or the parser stopped early.
	if _, err := io.Copy(io.Discard, br); err != nil {
		return fmt.Errorf("fetch %s: %w", name, err)
	}
	return nil
}

// decompress returns the decompressed stream of br and a function that
// releases the decompressor.
func decompress(br *bufio.Reader) (io.Reader, func(), error) {
	magic, _ := br.Peek(len(xzMagic))
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(magic, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, zr.Close, nil
	case bytes.HasPrefix(magic, bzip2Magic):
		return bzip2.NewReader(br), func() {}, nil
	case bytes.HasPrefix(magic, xzMagic):
		return nil, nil, errors.New("xz-compressed input is not supported: decompress it first")
	}
	return br, func() {}, nil
}

// isTar says whether br starts with a POSIX (ustar) or GNU tar header.
func isTar(br *bufio.Reader) bool {
	block, _ := br.Peek(512)
	return len(block) == 512 && bytes.Equal(block[257:262], []byte("ustar"))
}

func readTar(ctx context.Context, name string, r io.Reader, fn func(Document) error) error {
	end := tarend.New(r)
	tr := tar.NewReader(end)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF && !end.Complete() {
			return fmt.Errorf("fetch %s: read tar: truncated: no end-of-archive block: %w", name, io.ErrUnexpectedEOF)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("fetch %s: read tar: %w", name, err)
		}
		end.Entry(h)
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := fn(Document{Name: name + ":" + h.Name, Body: tr}); err != nil {
			return err
		}
	}
}
