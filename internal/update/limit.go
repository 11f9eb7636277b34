package update

import (
	"context"
	"fmt"
	"io"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/layer"
)

// DefaultMaxDocumentSize bounds the documents of an updater that does not
// say otherwise (see DocumentLimiter): 1 GiB, uncompressed.
const DefaultMaxDocumentSize int64 = 1 << 30

// DocumentLimiter is an Updater that bounds the size of its documents,
// uncompressed, so that a decompression bomb given as a feed fails early
// with bounded memory. An updater that is not one gets
// DefaultMaxDocumentSize.
type DocumentLimiter interface {
	// MaxDocumentSize is the size of the largest document read, in bytes.
	MaxDocumentSize() int64
}

// MaxDocumentSize is the size limit of u's documents.
func MaxDocumentSize(u Updater) int64 {
	if l, ok := u.(DocumentLimiter); ok {
		return l.MaxDocumentSize()
	}
	return DefaultMaxDocumentSize
}

// DocumentTooLargeError is the error for a document larger than its
// feed's limit.
type DocumentTooLargeError struct {
	Name  string // the document's name (see Document)
	Feed  string // the updater's name
	Limit int64
}

func (e *DocumentTooLargeError) Error() string {
	return fmt.Sprintf("%s: document larger than %s (the %s feed's limit)", e.Name, layer.FormatSize(e.Limit), e.Feed)
}

// ParseDocument has u parse d, reading no more than MaxDocumentSize(u)
// bytes of it: a larger document is a *DocumentTooLargeError, whatever
// Parse made of its truncated body.
func ParseDocument(ctx context.Context, u Updater, d Document) ([]strata.Vulnerability, error) {
	tooLarge := &DocumentTooLargeError{Name: d.Name, Feed: u.Name(), Limit: MaxDocumentSize(u)}
	lr := &limitedReader{r: d.Body, n: tooLarge.Limit, err: tooLarge}
	vs, err := u.Parse(ctx, d.Name, lr)
	if lr.over {
		return nil, tooLarge
	}
	return vs, err
}

// limitedReader reads up to n bytes of r, then fails with err if r holds
// more.
type limitedReader struct {
	r    io.Reader
	n    int64 // bytes left
	err  error
	over bool // r held more than n bytes
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, l.err
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.n {
		l.over = true
		return int(l.n), l.err
	}
	l.n -= int64(n)
	return n, err
}
