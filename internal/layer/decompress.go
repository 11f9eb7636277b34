package layer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/strata-scan/strata/internal/countio"
)

// ratioCheckAfter is the uncompressed size past which Limits.MaxRatio is
// checked: small layers of zeros compress very well and are harmless.
const ratioCheckAfter = 64 << 20

// maxZstdWindow bounds the memory of the zstd decoder; 128 MiB is the
// window of `zstd --long`, the largest common one.
const maxZstdWindow = 128 << 20

// Compression names the compression of a stream as sniffed from its first
// bytes. Media types are not trusted: they lie.
type Compression string

// The compressions Decompress recognises.
const (
	None Compression = "none"
	Gzip Compression = "gzip"
	Zstd Compression = "zstd"
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Stream is the uncompressed view of a stream, with Limits.MaxBytes and
// Limits.MaxRatio enforced as it is read.
type Stream struct {
	Compression Compression

	src   *countio.Reader // the compressed bytes
	dec   io.Reader
	close func()
	n     int64 // uncompressed bytes read
	lim   Limits
}

// Decompress sniffs the compression of r and returns its uncompressed
// contents. Zero fields of lim take their defaults. Close the stream to
// release the decoder.
func Decompress(r io.Reader, lim Limits) (*Stream, error) {
	s := &Stream{Compression: None, src: &countio.Reader{R: r}, lim: lim.withDefaults(), close: func() {}}
	br := bufio.NewReaderSize(s.src, 64<<10)
	magic, _ := br.Peek(len(zstdMagic)) // a short stream is simply not compressed
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated gzip header: %w", io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, err // already says "gzip: …"
		}
		s.Compression, s.dec = Gzip, zr
	case bytes.HasPrefix(magic, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		s.Compression, s.dec, s.close = Zstd, zr, zr.Close
	default:
		s.dec = br
	}
	return s, nil
}

// Read reads uncompressed bytes; it fails once the stream passes a limit.
func (s *Stream) Read(p []byte) (int, error) {
	n, err := s.dec.Read(p)
	s.n += int64(n)
	if s.n > s.lim.MaxBytes {
		return n, fmt.Errorf("decompressed size exceeds %s limit", FormatSize(s.lim.MaxBytes))
	}
	if s.n > ratioCheckAfter && s.n/max(s.src.N, 1) > s.lim.MaxRatio {
		return n, fmt.Errorf("compression ratio exceeds %d:1 (decompression bomb?)", s.lim.MaxRatio)
	}
	return n, err
}

// Uncompressed is the number of uncompressed bytes read so far.
func (s *Stream) Uncompressed() int64 { return s.n }

// Close releases the decoder. It does not close the underlying reader.
func (s *Stream) Close() error {
	s.close()
	return nil
}

// FormatSize writes n in the largest binary unit that divides it exactly
// ("64 MiB"), or in bytes.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
