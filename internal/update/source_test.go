package update

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
)

// doc is a document as read by collect.
type doc struct{ Name, Body string }

// fetchAll runs Fetch and returns the documents it handed over.
func fetchAll(t *testing.T, loc string, prev Fingerprint) ([]doc, Fingerprint, error) {
	t.Helper()
	var docs []doc
	fp, err := Fetch(context.Background(), nil, loc, prev, func(d Document) error {
		b, err := io.ReadAll(d.Body)
		docs = append(docs, doc{d.Name, string(b)})
		return err
	})
	return docs, fp, err
}

func sha(b []byte) Fingerprint {
	sum := sha256.Sum256(b)
	return Fingerprint("sha256:" + hex.EncodeToString(sum[:]))
}

// feedTar is a small feed tarball: two documents, a directory and a
// symbolic link (which are not documents).
func feedTar(t *testing.T) []byte {
	t.Helper()
	b, err := testutil.Tar(
		testutil.Entry{Path: "feed/", Dir: true},
		testutil.Entry{Path: "feed/active/CVE-2020-0001", Body: []byte("one\n")},
		testutil.Entry{Path: "feed/active/link", Link: "CVE-2020-0001"},
		testutil.Entry{Path: "feed/active/CVE-2020-0002", Body: []byte("two\n")},
	)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFetchLocal(t *testing.T) {
	dir := t.TempDir()
	tarball := feedTar(t)
	bz2, err := os.ReadFile("testdata/doc.txt.bz2")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content []byte // written to dir/name
		want    func(path string) []doc
	}{
		{"plain.json", []byte(`{"a":1}`), func(p string) []doc { return []doc{{p, `{"a":1}`}} }},
		{"doc.json.gz", testutil.Gzipped(t, []byte("gzipped\n")), func(p string) []doc { return []doc{{p, "gzipped\n"}} }},
		{"doc.txt.bz2", bz2, func(p string) []doc { return []doc{{p, "bzip2 document\n"}} }},
		{"doc.zst", testutil.Zstded(t, []byte("zstd\n")), func(p string) []doc { return []doc{{p, "zstd\n"}} }},
		{"empty", nil, func(p string) []doc { return []doc{{p, ""}} }},
		{"feed.tar", tarball, tarDocs},
		{"feed.tgz", testutil.Gzipped(t, tarball), tarDocs},
		{"feed.tar.zst", testutil.Zstded(t, tarball), tarDocs},
		{"feed-no-suffix", testutil.Gzipped(t, tarball), tarDocs},
		{"feed.zip", feedZip(t), tarDocs},
		{"feed.zip.gz", testutil.Gzipped(t, feedZip(t)), tarDocs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := testutil.WriteFile(t, filepath.Join(dir, tt.name), tt.content)
			if tt.name == "feed.zip" {
				// A zip file on disk is read in place, never copied to a
				// temporary file (which could not be created here).
				t.Setenv("TMPDIR", filepath.Join(dir, "absent"))
			}
			docs, fp, err := fetchAll(t, path, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want(path), docs); diff != "" {
				t.Errorf("documents (-want +got):\n%s", diff)
			}
			if want := sha(tt.content); fp != want {
				t.Errorf("fingerprint = %q, want %q", fp, want)
			}
			docs, fp2, err := fetchAll(t, path, fp)
			if !errors.Is(err, ErrUnchanged) || fp2 != fp || len(docs) != 0 {
				t.Errorf("second fetch = %d documents, %q, %v; want none, %q, ErrUnchanged", len(docs), fp2, err, fp)
			}
		})
	}
}

// feedZip is feedTar's documents in a zip archive, with a directory.
func feedZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"feed/", ""}, {"feed/active/CVE-2020-0001", "one\n"}, {"feed/active/CVE-2020-0002", "two\n"},
	} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarDocs(p string) []doc {
	return []doc{
		{p + ":feed/active/CVE-2020-0001", "one\n"},
		{p + ":feed/active/CVE-2020-0002", "two\n"},
	}
}

func TestFetchDirectory(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "b/CVE-2"), []byte("2"))
	testutil.WriteFile(t, filepath.Join(dir, "a-c"), []byte("ac"))
	testutil.WriteFile(t, filepath.Join(dir, "a/CVE-1"), []byte("1"))
	testutil.WriteFile(t, filepath.Join(dir, "a/z.gz"), testutil.Gzipped(t, []byte("unzipped")))
	if err := os.Symlink("a-c", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	docs, fp, err := fetchAll(t, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []doc{
		{filepath.Join(dir, "a-c"), "ac"},
		{filepath.Join(dir, "a/CVE-1"), "1"},
		{filepath.Join(dir, "a/z.gz"), "unzipped"},
		{filepath.Join(dir, "b/CVE-2"), "2"},
	}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if _, _, err := fetchAll(t, dir, fp); !errors.Is(err, ErrUnchanged) {
		t.Errorf("unchanged directory: err = %v, want ErrUnchanged", err)
	}
	// Moving content between files changes the fingerprint.
	testutil.WriteFile(t, filepath.Join(dir, "a-c"), []byte("a"))
	testutil.WriteFile(t, filepath.Join(dir, "a/CVE-1"), []byte("c1"))
	if _, fp2, err := fetchAll(t, dir, fp); err != nil || fp2 == fp {
		t.Errorf("changed directory: fingerprint %q, %v; want a new one", fp2, err)
	}
}

func TestFetchLocalErrors(t *testing.T) {
	dir := t.TempDir()
	tgz := testutil.Gzipped(t, feedTar(t))
	tests := []struct {
		name    string
		content []byte
		want    string // the error, with DIR for the directory
	}{
		{"truncated.tar.gz", tgz[:len(tgz)/2], "fetch DIR/truncated.tar.gz: read tar: unexpected EOF"},
		{"truncated.tar", feedTar(t)[:612], "fetch DIR/truncated.tar: read tar: unexpected EOF"},
		// Cut right after an entry: archive/tar alone would take it for whole.
		{"cut-at-entry.tar", feedTar(t)[:len(feedTar(t))-1024], "fetch DIR/cut-at-entry.tar: read tar: truncated: no end-of-archive block: unexpected EOF"},
		// The same, padded with one zero block: a lone zero block is no end.
		{"lone-zero-block.tar", append(feedTar(t)[:len(feedTar(t))-1024], make([]byte, 512)...), "fetch DIR/lone-zero-block.tar: read tar: truncated: no end-of-archive block: unexpected EOF"},
		{"corrupt.gz", append(testutil.Gzipped(t, []byte("text")), 0x1f, 0x8b, 0, 0), "fetch DIR/corrupt.gz: unexpected EOF"},
		{"bad-header.gz", []byte{0x1f, 0x8b, 0, 0}, "fetch DIR/bad-header.gz: gzip: unexpected EOF"},
		{"truncated.zip", feedZip(t)[:40], "fetch DIR/truncated.zip: read zip: zip: not a valid zip file"},
		{"doc.xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0, 1, 2}, "fetch DIR/doc.xz: xz-compressed input is not supported: decompress it first"},
	}
	skip := func(Document) error { return nil } // reads nothing: the errors are Fetch's own
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := testutil.WriteFile(t, filepath.Join(dir, tt.name), tt.content)
			_, err := Fetch(context.Background(), nil, path, "", skip)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := strings.ReplaceAll(err.Error(), dir, "DIR"); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, _, err := fetchAll(t, filepath.Join(dir, "nope"), "")
		if want := "fetch: stat " + filepath.Join(dir, "nope") + ": no such file or directory"; err == nil || err.Error() != want {
			t.Errorf("error = %v, want %q", err, want)
		}
	})
}

func TestFetchCallbackError(t *testing.T) {
	path := testutil.WriteFile(t, filepath.Join(t.TempDir(), "feed.tar"), feedTar(t))
	stop := errors.New("parse failed")
	var names []string
	_, err := Fetch(context.Background(), nil, path, "", func(d Document) error {
		names = append(names, d.Name)
		return stop
	})
	if err != stop {
		t.Errorf("error = %v, want the callback's error unwrapped", err)
	}
	if want := []string{path + ":feed/active/CVE-2020-0001"}; !cmp.Equal(want, names) {
		t.Errorf("documents = %q, want %q (stop at the first error)", names, want)
	}
}

func TestFetchCancelled(t *testing.T) {
	path := testutil.WriteFile(t, filepath.Join(t.TempDir(), "feed.tar"), feedTar(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, nil, path, "", func(Document) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}
