package update

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
)

// slurp is the lines feed read whole into memory first, as a parser of a
// JSON document does, with documents of at most limit bytes.
type slurp struct{ limit int64 }

func (slurp) Name() string             { return "slurp" }
func (slurp) Sources() []string        { return nil }
func (s slurp) MaxDocumentSize() int64 { return s.limit }
func (slurp) Parse(ctx context.Context, name string, r io.Reader) ([]strata.Vulnerability, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("slurp: %s: %w", name, err)
	}
	return lines{}.Parse(ctx, name, bytes.NewReader(b))
}

// zeros writes n zero bytes to w: a bomb of n bytes once compressed.
func zeros(t *testing.T, w io.Writer, n int64) {
	t.Helper()
	if _, err := io.CopyN(w, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// gzipBomb is n zero bytes, gzip-compressed.
func gzipBomb(t *testing.T, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zeros(t, zw, n)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a zip archive of one entry name of n zero bytes.
func zipBomb(t *testing.T, name string, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zeros(t, w, n)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A document larger than its updater's limit fails, naming it, the limit
// and the feed, after reading no more than the limit: a 64 MiB bomb is
// refused at 1 MiB.
func TestDocumentLimit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		file  string
		body  []byte
		limit int64
		want  string // the error; "" for one record read
	}{
		{"bomb.zip", zipBomb(t, "osv/GO-x.json", 64<<20), 1 << 20, "bomb.zip:osv/GO-x.json: document larger than 1 MiB (the slurp feed's limit)"},
		{"bomb.gz", gzipBomb(t, 64<<20), 1 << 20, "bomb.gz: document larger than 1 MiB (the slurp feed's limit)"},
		{"exact", []byte("CVE-1 pkg 1.0\n"), 14, ""},
		{"over", []byte("CVE-1 pkg 1.0\n"), 13, "over: document larger than 13 bytes (the slurp feed's limit)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			testutil.WriteFile(t, path, tc.body)
			st := openStore(t)
			_, err := (&Runner{Store: st}).Run(context.Background(), slurp{tc.limit}, []string{path})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(t, st, "pkg"); len(got) != 1 || got[0] != "CVE-1" {
					t.Errorf("records = %q, want [CVE-1]", got)
				}
				return
			}
			want := "update slurp: " + filepath.Join(dir, tc.want)
			if err == nil || err.Error() != want {
				t.Errorf("error = %v\nwant %s", err, want)
			}
		})
	}
}

// Updaters that do not say otherwise read documents of up to 1 GiB.
func TestMaxDocumentSizeDefault(t *testing.T) {
	if got := MaxDocumentSize(lines{}); got != 1<<30 {
		t.Errorf("MaxDocumentSize(lines{}) = %d, want %d", got, 1<<30)
	}
}
