package layer

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bomb is a gzip stream of a tar holding one file of n MiB of zeros, made
// of one gzip member per MiB (gzip readers read concatenated members as
// one stream), so that the test compresses only 1 MiB.
func bomb(t *testing.T, n int) []byte {
	t.Helper()
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	if err := tw.WriteHeader(&tar.Header{Name: "zeros", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(n) << 20}); err != nil {
		t.Fatal(err)
	}
	mib := gzipped(t, make([]byte, 1<<20))
	out := gzipped(t, hdr.Bytes())
	for range n {
		out = append(out, mib...)
	}
	return append(out, gzipped(t, make([]byte, 1024))...) // the tar's end blocks
}

func TestWalkBomb(t *testing.T) {
	blob := bomb(t, 100)
	for _, tc := range []struct {
		name string
		lim  Limits
		want string
	}{
		{"ratio", Limits{MaxRatio: 100}, "layer sha256:ab: compression ratio exceeds 100:1 (gzip bomb?)"},
		{"size", Limits{MaxBytes: 8 << 20}, "layer sha256:ab: decompressed size exceeds 8 MiB limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Walk(context.Background(), "sha256:ab", bytes.NewReader(blob), wantNone, tc.lim)
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
		{gzipped(t, plain), Gzip},
		{zstded(t, plain), Zstd},
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
	got := []string{formatSize(64 << 30), formatSize(256 << 20), formatSize(3 << 10), formatSize(1000), formatSize(1<<20 + 1)}
	want := []string{"64 GiB", "256 MiB", "3 KiB", "1000 bytes", "1048577 bytes"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
