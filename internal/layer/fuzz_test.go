package layer

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzWalk walks arbitrary bytes: no panic, bounded memory (small limits),
// and the properties of a successful walk: a second read for pending link
// targets succeeds on the same bytes, every listed path then reads, paths
// are clean and relative, and an uncompressed layer's two digests agree.
func FuzzWalk(f *testing.F) {
	testutil.AddTestdata(f, "*.layer")
	seed := buildTar(f,
		reg("etc/passwd", "root"),
		symlink("etc/os-release", "../usr/lib/os-release"),
		reg("usr/lib/os-release", "ID=debian"),
		hardlink("usr/bin/x", "etc/passwd"),
		reg("tmp/s", "Package: a"),
		hardlink("var/lib/dpkg/status", "tmp/s"),
		symlink("loop", "loop"),
		reg("var/.wh..wh..opq", ""),
		reg("var/.wh.cache", ""),
		exe("opt/app/server", "\x7fELF\x02\x01\x01"),
		exe("opt/app/start", "#!/bin/sh\n"),
		exe("opt/app/short", "\x7f"),
	)
	f.Add(seed)
	f.Add(testutil.Gzipped(f, seed))
	f.Add(testutil.Zstded(f, seed))
	lim := Limits{MaxBytes: 16 << 20, MaxFileSize: 1 << 20, MaxEntries: 10_000}
	f.Fuzz(func(t *testing.T, b []byte) {
		wants := Wants{Path: func(p string) bool { return p == "var/lib/dpkg/status" || strings.HasPrefix(p, "etc/") }, Executables: true}
		res, err := Walk(context.Background(), "fuzz", bytes.NewReader(b), wants, lim)
		if err != nil {
			return
		}
		defer res.Close()
		if err := res.ReadPending(context.Background(), "fuzz", bytes.NewReader(b), lim); err != nil {
			t.Fatalf("ReadPending of the same bytes: %v", err)
		}
		for _, p := range append(res.Paths(), res.Symlinks...) {
			if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") || cleanRel(p) != p {
				t.Errorf("path %q is not clean and relative", p)
			}
		}
		for _, p := range res.Paths() {
			if _, err := res.ReadFile(p); err != nil {
				t.Errorf("ReadFile(%q) of a listed path: %v", p, err)
			}
		}
		if _, err := res.ReadFile("no/such/file"); !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errLoop) {
			t.Errorf("ReadFile of an absent path: %v", err)
		}
		if len(b) > 0 && !bytes.HasPrefix(b, gzipMagic) && !bytes.HasPrefix(b, zstdMagic) && res.DiffID != res.BlobDigest {
			t.Errorf("uncompressed layer: DiffID %s != BlobDigest %s", res.DiffID, res.BlobDigest)
		}
	})
}
