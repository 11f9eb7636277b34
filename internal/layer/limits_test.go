package layer

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
)

// bomb is a compressed stream of a tar holding one file of n MiB of
// zeros, made of one gzip member or zstd frame per MiB (readers of both
// read concatenated ones as one stream), so that the test compresses only
// 1 MiB.
func bomb(t *testing.T, n int, compress func(testing.TB, []byte) []byte) []byte {
	t.Helper()
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	if err := tw.WriteHeader(&tar.Header{Name: "zeros", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(n) << 20}); err != nil {
		t.Fatal(err)
	}
	mib := compress(t, make([]byte, 1<<20))
	out := compress(t, hdr.Bytes())
	for range n {
		out = append(out, mib...)
	}
	return append(out, compress(t, make([]byte, 1024))...) // the tar's end blocks
}

func TestWalkBomb(t *testing.T) {
	blob := bomb(t, 100, testutil.Gzipped)
	for _, tc := range []struct {
		name string
		blob []byte
		lim  Limits
		want string
	}{
		{"ratio", blob, Limits{MaxRatio: 100}, "layer sha256:ab: compression ratio exceeds 100:1 (decompression bomb?)"},
		{"zstd ratio", bomb(t, 100, testutil.Zstded), Limits{MaxRatio: 100}, "layer sha256:ab: compression ratio exceeds 100:1 (decompression bomb?)"},
		{"size", blob, Limits{MaxBytes: 8 << 20}, "layer sha256:ab: decompressed size exceeds 8 MiB limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Walk(context.Background(), "sha256:ab", bytes.NewReader(tc.blob), wantNone, tc.lim)
			if err == nil {
				t.Fatalf("Walk of a %d-byte gzip of 100 MiB succeeded", len(blob))
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got)\n%s", diff)
			}
		})
	}
	t.Run("within limits", func(t *testing.T) {
		res, err := Walk(context.Background(), "sha256:ab", bytes.NewReader(blob), wantNone, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(100<<20 + 512 + 1024); res.Bytes != want {
			t.Errorf("Bytes = %d, want %d", res.Bytes, want)
		}
	})
}

func TestDecompressSniffs(t *testing.T) {
	plain := buildTar(t, reg("a", "x"))
	for _, tc := range []struct {
		blob []byte
		want Compression
	}{
		{plain, None},
		{testutil.Gzipped(t, plain), Gzip},
		{testutil.Zstded(t, plain), Zstd},
		{[]byte{0x1f}, None},
		{nil, None},
	} {
		t.Run(string(tc.want), func(t *testing.T) {
			s, err := Decompress(bytes.NewReader(tc.blob), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			b, err := io.ReadAll(s)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != None && !bytes.Equal(b, plain) {
				t.Errorf("decompressed %d bytes differ from the %d-byte tar", len(b), len(plain))
			}
			if s.Compression != tc.want {
				t.Errorf("Compression = %q, want %q", s.Compression, tc.want)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	got := []string{FormatSize(64 << 30), FormatSize(256 << 20), FormatSize(3 << 10), FormatSize(1000), FormatSize(1<<20 + 1)}
	want := []string{"64 GiB", "256 MiB", "3 KiB", "1000 bytes", "1048577 bytes"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// manyFiles streams a tar of n empty files, never holding it in memory.
func manyFiles(t *testing.T, n int) io.ReadCloser {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		tw := tar.NewWriter(bw)
		for i := range n {
			hdr := &tar.Header{Name: fmt.Sprintf("usr/share/f/%07d", i), Typeflag: tar.TypeReg, Mode: 0o644}
			if err := tw.WriteHeader(hdr); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		err := tw.Close()
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	t.Cleanup(func() { pr.Close() })
	return pr
}

// A layer of many tiny files costs no memory per file; past MaxEntries it
// is an error.
func TestWalkManyFiles(t *testing.T) {
	const n = 200_000
	t.Run("within limits", func(t *testing.T) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := Walk(context.Background(), "L", manyFiles(t, n), wantSet("var/lib/dpkg/status"), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if res.Entries != n || res.Bytes != n*512+1024 {
			t.Errorf("Entries, Bytes = %d, %d; want %d, %d", res.Entries, res.Bytes, n, n*512+1024)
		}
		if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
			t.Errorf("heap grew by %d bytes over a walk of %d files, want < 4 MiB", grew, n)
		}
	})
	t.Run("too many", func(t *testing.T) {
		_, err := Walk(context.Background(), "L", manyFiles(t, n), wantNone, Limits{MaxEntries: n / 2})
		if want := "layer L: more than 100000 tar entries"; err == nil || err.Error() != want {
			t.Errorf("Walk error = %v, want %s", err, want)
		}
	})
}

// Large wanted files are kept in a temporary file that has no name left
// behind; Close releases it.
func TestWalkKeepsLargeFilesOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	big := make([]byte, 3<<20)
	rand.NewChaCha8([32]byte{1}).Read(big)
	blob := buildTar(t, reg("usr/bin/app", string(big)), reg("etc/os-release", "ID=debian\n"), hardlink("usr/bin/app2", "usr/bin/app"))
	res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantSet("usr/bin/app", "etc/os-release"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"usr/bin/app", "usr/bin/app2"} {
		if b, err := res.ReadFile(p); err != nil || !bytes.Equal(b, big) {
			t.Errorf("ReadFile(%s) = %d bytes, %v; want the %d bytes written", p, len(b), err, len(big))
		}
	}
	if names, err := os.ReadDir(tmp); err != nil || len(names) != 0 {
		t.Errorf("temporary directory holds %v (%v), want nothing", names, err)
	}
	if err := res.Close(); err != nil {
		t.Fatal(err)
	}
	got := []readResult{readFile(res, "usr/bin/app"), readFile(res, "etc/os-release")}
	want := []readResult{{Err: "read usr/bin/app: layer result closed"}, {Body: "ID=debian\n"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reads after Close (-want +got)\n%s", diff)
	}
}

// Section reads a kept file where asked, from memory or from the temporary
// file, following links as ReadFile does; a file on disk cannot be read
// once the result is closed.
func TestSection(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	big := make([]byte, 3<<20)
	rand.NewChaCha8([32]byte{2}).Read(big)
	blob := buildTar(t, reg("usr/bin/app", string(big)), reg("etc/os-release", "ID=debian\n"),
		hardlink("usr/bin/app2", "usr/bin/app"), symlink("usr/lib/os-release", "../../etc/os-release"))
	res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantSet("usr/bin/app", "etc/os-release", "usr/lib/os-release"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// part reads n bytes at off of the section of p, or says why it cannot.
	part := func(p string, off, n int64) string {
		sr, err := res.Section(p)
		if err != nil {
			return err.Error()
		}
		b := make([]byte, n)
		if _, err := sr.ReadAt(b, off); err != nil {
			return err.Error()
		}
		return fmt.Sprintf("%d bytes of %d: %x", n, sr.Size(), b)
	}
	tests := []struct{ path, want string }{
		{"usr/bin/app", fmt.Sprintf("4 bytes of %d: %x", len(big), big[2<<20:2<<20+4])},
		{"usr/bin/app2", fmt.Sprintf("4 bytes of %d: %x", len(big), big[2<<20:2<<20+4])},
		{"usr/lib/os-release", fmt.Sprintf("4 bytes of 10: %x", "ID=d")},
		{"etc/passwd", "open etc/passwd: file does not exist"},
	}
	for _, tt := range tests {
		off := int64(0)
		if strings.HasPrefix(tt.path, "usr/bin/") {
			off = 2 << 20
		}
		if got := part(tt.path, off, 4); got != tt.want {
			t.Errorf("Section(%q) at %d: %s, want %s", tt.path, off, got, tt.want)
		}
	}
	if err := res.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := part("usr/bin/app", 0, 4), "open usr/bin/app: layer result closed"; got != want {
		t.Errorf("Section after Close: %s, want %s", got, want)
	}
	if got, want := part("etc/os-release", 0, 4), fmt.Sprintf("4 bytes of 10: %x", "ID=d"); got != want {
		t.Errorf("Section of a file in memory after Close: %s, want %s", got, want)
	}
}
