package layer

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// BenchmarkWalk walks an 8 MiB layer of 2,048 files, keeping one of them,
// as stored uncompressed, gzip- and zstd-compressed.
func BenchmarkWalk(b *testing.B) {
	var entries []ent
	body := string(bytes.Repeat([]byte("Package: x\nVersion: 1.0\n"), 4096/24))
	for i := range 2048 {
		entries = append(entries, reg(fmt.Sprintf("usr/share/doc/p%d/copyright", i), body))
	}
	entries = append(entries, reg("var/lib/dpkg/status", body))
	plain := buildTar(b, entries...)
	for _, tc := range []struct {
		name string
		blob []byte
	}{{"none", plain}, {"gzip", testutil.Gzipped(b, plain)}, {"zstd", testutil.Zstded(b, plain)}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				if _, err := Walk(context.Background(), "bench", bytes.NewReader(tc.blob), wantSet("var/lib/dpkg/status"), Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
