package layer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/testutil"
)

var _ scan.FileSet = (*Result)(nil)

// summary is what a test compares of a Result.
type summary struct {
	DiffID, BlobDigest string
	Whiteouts, Opaques []string
	Symlinks, Pending  []string
	Entries            int
	Bytes              int64
	Paths              []string
	Files              map[string]string // ReadFile of each path in Paths
}

func summarize(t *testing.T, res *Result) summary {
	t.Helper()
	s := summary{
		DiffID: string(res.DiffID), BlobDigest: string(res.BlobDigest),
		Whiteouts: res.Whiteouts, Opaques: res.Opaques, Symlinks: res.Symlinks, Pending: res.Pending,
		Entries: res.Entries, Bytes: res.Bytes, Paths: res.Paths(), Files: map[string]string{},
	}
	for _, p := range s.Paths {
		b, err := res.ReadFile(p)
		if err != nil {
			t.Errorf("ReadFile(%q) of a listed path: %v", p, err)
		}
		s.Files[p] = string(b)
	}
	return s
}

func TestWalkCompressions(t *testing.T) {
	layer := buildTar(t,
		dir("etc/"),
		reg("etc/passwd", "root:x:0:0\n"),
		reg("./var/lib/dpkg/status", "Package: bash\n"),
		reg("/usr/bin/unwanted", "ELF"),
		symlink("usr/bin/sh", "dash"),
	)
	want := summary{
		DiffID:   string(sha(layer)),
		Symlinks: []string{"usr/bin/sh"},
		Entries:  5,
		Bytes:    int64(len(layer)),
		Paths:    []string{"etc/passwd", "var/lib/dpkg/status"},
		Files:    map[string]string{"etc/passwd": "root:x:0:0\n", "var/lib/dpkg/status": "Package: bash\n"},
	}
	for _, tc := range []struct {
		name string
		blob []byte
	}{
		{"none", layer},
		{"gzip", testutil.Gzipped(t, layer)},
		{"zstd", testutil.Zstded(t, layer)},
		{"gzip multistream", append(testutil.Gzipped(t, layer[:1000]), testutil.Gzipped(t, layer[1000:])...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Walk(context.Background(), "L", bytes.NewReader(tc.blob), wantSet("etc/passwd", "var/lib/dpkg/status"), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			want := want
			want.BlobDigest = string(sha(tc.blob))
			if diff := cmp.Diff(want, summarize(t, res)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestWalkTrailingPadding(t *testing.T) {
	layer := append(buildTar(t, reg("a", "x")), make([]byte, 10240)...)
	for _, blob := range [][]byte{layer, testutil.Gzipped(t, layer)} {
		res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantAll, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		got := []any{res.DiffID, res.BlobDigest, res.Bytes}
		want := []any{sha(layer), sha(blob), int64(len(layer))}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("digests and size (-want +got)\n%s", diff)
		}
	}
}

func TestWalkErrors(t *testing.T) {
	small := buildTar(t, reg("a", "hello"), reg("b", string(bytes.Repeat([]byte("x"), 2000))))
	zeros := buildTar(t, reg("z", string(make([]byte, 1000))), reg("y", "x"))
	var links, whiteouts []ent
	for i := range 200 {
		links = append(links, symlink(fmt.Sprintf("link-%05d", i), "target"))
		whiteouts = append(whiteouts, reg(fmt.Sprintf("dir/.wh.gone-%05d", i), ""))
	}
	manyLinks, manyWhiteouts := buildTar(t, links...), buildTar(t, whiteouts...)
	noise := make([]byte, 4000) // incompressible, so that half a gzip is half the tar
	rand.NewChaCha8([32]byte{}).Read(noise)
	gz := testutil.Gzipped(t, buildTar(t, reg("noise", string(noise))))
	for _, tc := range []struct {
		name  string
		blob  []byte
		wants Wants
		lim   Limits
		want  string
	}{
		{"truncated in a skipped file", small[:512+512+512+100], wantNone, Limits{}, "layer L: truncated tar: unexpected EOF"},
		{"truncated in a wanted file", small[:512+512+512+100], wantAll, Limits{}, "layer L: truncated tar: unexpected EOF"},
		{"truncated in a header", small[:512+512+200], wantNone, Limits{}, "layer L: truncated tar: unexpected EOF"},
		{"truncated at an entry boundary", small[:512+512], wantNone, Limits{}, `layer L: truncated tar: no end-of-archive block after entry "a": unexpected EOF`},
		{"truncated in padding", small[:512+100], wantAll, Limits{}, `layer L: truncated tar: no end-of-archive block after entry "a": unexpected EOF`},
		{"truncated after a zero-filled file", zeros[:512+1024], wantNone, Limits{}, `layer L: truncated tar: no end-of-archive block after entry "z": unexpected EOF`},
		{"truncated gzip", gz[:len(gz)/2], wantNone, Limits{}, "layer L: truncated tar: unexpected EOF"},
		{"truncated gzip header", gz[:5], wantNone, Limits{}, "layer L: truncated gzip header: unexpected EOF"},
		{"text file", []byte("hello, world\n"), wantNone, Limits{}, "layer L: not a tar archive"},
		{"long text file", bytes.Repeat([]byte("hello, world\n"), 100), wantNone, Limits{}, "layer L: not a tar archive"},
		{"gzipped text", testutil.Gzipped(t, bytes.Repeat([]byte("hello, world\n"), 100)), wantNone, Limits{}, "layer L: not a tar archive"},
		{"parent escape", buildTar(t, reg("../etc/passwd", "x")), wantNone, Limits{}, `layer L: entry "../etc/passwd": path escapes the layer root`},
		{"absolute escape", buildTar(t, reg("/../etc/passwd", "x")), wantNone, Limits{}, `layer L: entry "/../etc/passwd": path escapes the layer root`},
		{"inner escape", buildTar(t, reg("a/../../b", "x")), wantNone, Limits{}, `layer L: entry "a/../../b": path escapes the layer root`},
		{"hard link escape", buildTar(t, hardlink("a", "../../etc/shadow")), wantNone, Limits{}, `layer L: entry "a": hard link target "../../etc/shadow": path escapes the layer root`},
		{"wanted file too large", small, wantAll, Limits{MaxFileSize: 1024}, `layer L: entry "b": wanted file of 2000 bytes exceeds the 1 KiB limit`},
		{"too many entries", small, wantNone, Limits{MaxEntries: 1}, "layer L: more than 1 tar entries"},
		{"too large", small, wantNone, Limits{MaxBytes: 1000}, "layer L: decompressed size exceeds 1000 bytes limit"},
		{"too many link names", manyLinks, wantNone, Limits{MaxRecorded: 1000}, `layer L: entry "link-00062": links and whiteouts recorded exceed the 1000 bytes limit`},
		{"too many whiteout names", manyWhiteouts, wantNone, Limits{MaxRecorded: 1000}, `layer L: entry "dir/.wh.gone-00071": links and whiteouts recorded exceed the 1000 bytes limit`},
		{"garbage after gzip", append(testutil.Gzipped(t, small), "junk after the gzip stream"...), wantNone, Limits{}, "layer L: after the end of the tar: gzip: invalid header"},
		{"corrupt gzip", append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte{7}, 100)...), wantNone, Limits{}, "layer L: gzip: invalid header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Walk(context.Background(), "L", bytes.NewReader(tc.blob), tc.wants, tc.lim)
			if err == nil {
				t.Fatalf("Walk succeeded, want error %q", tc.want)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got)\n%s", diff)
			}
		})
	}
}

func TestWalkCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Walk(ctx, "L", bytes.NewReader(buildTar(t, reg("a", "x"))), wantAll, Limits{})
	if !errors.Is(err, context.Canceled) || err.Error() != "layer L: context canceled" {
		t.Errorf("Walk error = %v, want layer L: context canceled", err)
	}
}

func TestWalkEmpty(t *testing.T) {
	for name, blob := range map[string][]byte{"no bytes": nil, "end blocks only": buildTar(t)} {
		t.Run(name, func(t *testing.T) {
			res, err := Walk(context.Background(), "L", bytes.NewReader(blob), wantAll, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			want := summary{DiffID: string(sha(blob)), BlobDigest: string(sha(blob)), Bytes: int64(len(blob)), Files: map[string]string{}}
			if diff := cmp.Diff(want, summarize(t, res)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestWalkWhiteouts(t *testing.T) {
	layer := buildTar(t,
		dir("etc/"),
		reg("etc/.wh.motd", ""),
		reg("etc/apt/.wh.sources.list", ""),
		reg("usr/share/doc/.wh.debconf", ""),
		reg("var/cache/debconf/.wh..wh..opq", ""),
		reg("var/cache/debconf/config.dat", "x"),
		dir(".wh..wh.plnk/"),
		reg(".wh..wh.plnk/123.456", ""),
		reg("b/not.a.wh..wh..opq", ""),
		reg(".wh.top", ""),
		reg(".wh..wh..opq", ""),
	)
	res, err := Walk(context.Background(), "L", bytes.NewReader(layer), wantNone, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := [][]string{res.Whiteouts, res.Opaques}
	want := [][]string{
		{"etc/apt/sources.list", "etc/motd", "top", "usr/share/doc/debconf"},
		{".", "var/cache/debconf"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("whiteouts, opaques (-want +got)\n%s", diff)
	}
}

func TestWalkLaterEntryReplaces(t *testing.T) {
	layer := buildTar(t,
		reg("etc/os-release", "old"),
		symlink("etc/os-release", "../usr/lib/os-release"),
		reg("usr/lib/os-release", "ID=debian\n"),
		symlink("a", "usr/lib/os-release"),
		reg("a", "plain"),
	)
	res, err := Walk(context.Background(), "L", bytes.NewReader(layer), wantSet("etc/os-release", "a"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := summarize(t, res)
	want := map[string]string{"a": "plain", "etc/os-release": "ID=debian\n", "usr/lib/os-release": "ID=debian\n"}
	if diff := cmp.Diff(want, got.Files); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestReadFileAbsent(t *testing.T) {
	res, err := Walk(context.Background(), "L", bytes.NewReader(buildTar(t, reg("a", "x"))), wantNone, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = res.ReadFile("a")
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "read a: file does not exist" {
		t.Errorf("ReadFile of an unwanted file: %v, want read a: file does not exist", err)
	}
}
