// Package tarend tells a complete tar stream from one cut short.
// archive/tar takes a stream that stops at an entry boundary, or within an
// entry's padding, for a complete archive; a complete one ends with a zero
// block. Both the layer walk and the feed reader use it, so that a
// truncated input is an error and never a quiet partial result.
package tarend

import (
	"archive/tar"
	"io"
	"strings"
)

// endBlocks is the end-of-archive marker's size: two zero blocks. A lone
// zero block after an entry is a stream cut short and padded, which
// archive/tar (and GNU tar, with a warning) would take for a whole one.
const endBlocks = 2 * 512

// Reader watches the end of a tar stream: read the archive through it, and
// tell it of every header the tar reader returns.
type Reader struct {
	r       io.Reader
	n       int64 // bytes read
	dataEnd int64 // where the last entry's padded contents end, as far as known
	zeros   int   // trailing zero bytes read, up to two blocks
	eof     bool  // the stream ended under the tar reader
}

func (t *Reader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	i := n
	for i > 0 && p[i-1] == 0 && n-i < endBlocks {
		i--
	}
	if i == 0 {
		t.zeros = min(t.zeros+n, endBlocks)
	} else {
		t.zeros = n - i
	}
	t.eof = t.eof || err == io.EOF
	return n, err
}

// New returns a Reader over r.
func New(r io.Reader) *Reader { return &Reader{r: r} }

// Entry notes where the contents of the entry just read end. Links,
// devices, directories and fifos have none, whatever their size says; the
// stored size of a sparse file is not known: its contents end after its
// header, as far as this check goes.
func (t *Reader) Entry(hdr *tar.Header) {
	t.dataEnd = t.n
	switch hdr.Typeflag {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo, tar.TypeGNUSparse:
		return
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return
		}
	}
	t.dataEnd += (hdr.Size + 511) &^ 511
}

// Complete says whether the tar reader stopped at an end-of-archive block
// past the last entry's contents (or at a stream of no bytes at all, an
// empty layer).
func (t *Reader) Complete() bool {
	return !t.eof || t.n == 0 || (t.zeros >= endBlocks && t.n >= t.dataEnd+endBlocks)
}
