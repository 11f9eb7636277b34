package java_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/java"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

// paddedJar is a jar holding jackson-core's pom.properties, then a stored
// entry of pad zero bytes, then its central directory: the jar is head,
// then the pad bytes, then tail.
func paddedJar(t testing.TB, pad int64) (head, tail []byte) {
	t.Helper()
	var w splitWriter
	zw := zip.NewWriter(&w)
	pom, err := zw.Create("META-INF/maven/com.fasterxml.jackson.core/jackson-core/pom.properties")
	if err == nil {
		_, err = pom.Write(testutil.ReadTestdata(t, "jackson-core.pom.properties"))
	}
	var padding io.Writer
	if err == nil {
		padding, err = zw.CreateHeader(&zip.FileHeader{Name: "padding.bin", Method: zip.Store})
	}
	if err == nil {
		err = zw.Flush()
	}
	if err == nil {
		w.skip = true
		_, err = io.CopyN(padding, scantest.Zeros{}, pad)
		w.skip = false
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return w.head.Bytes(), w.tail.Bytes()
}

// splitWriter keeps what is written before skip is set in head, drops what
// is written while it is set, and keeps what comes after in tail.
type splitWriter struct {
	head, tail bytes.Buffer
	skip, done bool
}

func (w *splitWriter) Write(b []byte) (int, error) {
	switch {
	case w.skip:
		w.done = true
		return len(b), nil
	case w.done:
		return w.tail.Write(b)
	}
	return w.head.Write(b)
}

// A 200 MiB jar whose central directory lies at its end, past 200 MiB of
// a stored entry, is read from the walk's temporary file a piece at a
// time: its central directory and its pom.properties. The walk and the
// scan together allocate about 200 KB, as for a 2 MiB jar (read whole,
// the file alone would take 200 MiB): memory does not grow with the file.
func TestScanLargeJar(t *testing.T) {
	const path = "opt/app/lib/big.jar"
	allocs := map[int64]uint64{}
	for _, pad := range []int64{2 << 20, 200 << 20} {
		head, tail := paddedJar(t, pad)
		rep, n := scantest.ScanLayer(t, java.Scanner{}, scantest.PaddedTar(path, head, pad, tail))
		allocs[pad] = n
		want := []strata.Package{mvn("com.fasterxml.jackson.core:jackson-core", "2.14.1", path)}
		if diff := cmp.Diff(want, rep.Packages); diff != "" {
			t.Errorf("%d-byte padding: packages (-want +got):\n%s", pad, diff)
		}
	}
	t.Logf("bytes allocated by the walk and the scan: %d (2 MiB padding), %d (200 MiB padding)", allocs[2<<20], allocs[200<<20])
	if big := allocs[200<<20]; big > 1<<20 {
		t.Errorf("the walk and the scan of a 200 MiB jar allocated %d bytes, want at most 1 MiB", big)
	}
}
