package scantest

import (
	"archive/tar"
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/layer"
	"github.com/strata-scan/strata/internal/scan"
)

// PaddedTar streams an uncompressed layer holding one regular file at
// name: head, then pad zero bytes, then tail. It is written as it is read,
// so that a file of any size costs no memory.
func PaddedTar(name string, head []byte, pad int64, tail []byte) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Typeflag: tar.TypeReg,
			Size: int64(len(head)) + pad + int64(len(tail))})
		if err == nil {
			_, err = tw.Write(head)
		}
		if err == nil {
			_, err = io.CopyN(tw, Zeros{}, pad)
		}
		if err == nil {
			_, err = tw.Write(tail)
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// Zeros reads zero bytes, endlessly.
type Zeros struct{}

func (Zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// ScanLayer walks the layer r as the indexer does (one layer.Walk with the
// default limits, keeping the files s wants, by path and, for a
// scan.ExecutableScanner, as executable ELF files, a large one in the
// walk's temporary file) and scans the result with s. It also returns the
// bytes allocated meanwhile, by every goroutine (runtime.MemStats.TotalAlloc):
// a bound of the memory the walk and the scan held at any time.
func ScanLayer(t testing.TB, s scan.Scanner, r io.Reader) (*strata.LayerReport, uint64) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir()) // where the walk keeps large files
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	wants := layer.Wants{Path: s.Wants, Executables: scan.WantsExecutables(s)}
	res, err := layer.Walk(context.Background(), "L", r, wants, layer.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	rep, err := s.Scan(context.Background(), res)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return rep, after.TotalAlloc - before.TotalAlloc
}
