package image

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
)

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	text := []byte(strings.Repeat("hello, world\n", 100))
	testutil.WriteFile(t, at("x.txt"), text)
	testutil.WriteFile(t, at("x.txt.gz"), testutil.Gzipped(t, text))
	testutil.WriteFile(t, at("empty.tar"), make([]byte, 10240))
	testutil.WriteFile(t, at("short"), []byte("hi"))

	if err := testutil.WriteDockerArchive(at("good.tar"), "strata/test:1", testImage(t, false)); err != nil {
		t.Fatal(err)
	}
	good := readFile(t, at("good.tar"))
	testutil.WriteFile(t, at("truncated.tar"), good[:len(good)-1500])
	gz := testutil.Gzipped(t, good)
	testutil.WriteFile(t, at("truncated.tar.gz"), gz[:len(gz)/2])

	// A docker archive whose manifest.json lists two images.
	if err := testutil.WriteDockerArchive(at("unpacked.tar"), "strata/test:1", testImage(t, false)); err != nil {
		t.Fatal(err)
	}
	unpack(t, at("unpacked.tar"), at("two"))
	var m []json.RawMessage
	if err := json.Unmarshal(readFile(t, at("two/manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	two, _ := json.Marshal(append(m, m[0]))
	testutil.WriteFile(t, at("two/manifest.json"), two)
	tarTree(t, at("two"), at("two.tar"), false)

	for _, tc := range []struct {
		ref  string
		want string
	}{
		{"x.txt", `open image "DIR/x.txt": not a docker archive, OCI layout or root filesystem directory`},
		{"x.txt.gz", `open image "DIR/x.txt.gz": not a docker archive, OCI layout or root filesystem directory`},
		{"empty.tar", `open image "DIR/empty.tar": not a docker archive, OCI layout or root filesystem directory`},
		{"short", `open image "DIR/short": not a docker archive, OCI layout or root filesystem directory`},
		{"missing.tar", `open image "DIR/missing.tar": stat DIR/missing.tar: no such file or directory`},
		{"truncated.tar", `open image "DIR/truncated.tar": truncated archive after entry "manifest.json": unexpected EOF`},
		{"truncated.tar.gz", `open image "DIR/truncated.tar.gz": decompress: unexpected EOF`},
		{"two.tar", `open image "DIR/two.tar": manifest.json lists 2 images, want 1`},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			im, err := Open(context.Background(), at(tc.ref), Options{})
			if err == nil {
				im.Close()
				t.Fatalf("Open succeeded, want %s", tc.want)
			}
			if diff := cmp.Diff(tc.want, strings.ReplaceAll(err.Error(), dir, "DIR")); diff != "" {
				t.Errorf("error (-want +got)\n%s", diff)
			}
		})
	}
}

// unpack extracts the regular files of a tar made by the tests.
func unpack(t *testing.T, archive, dir string) {
	t.Helper()
	a, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tf, err := indexTar(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	for name := range tf.entries {
		rc, _, err := tf.open(name)
		if err != nil {
			continue // directories
		}
		b := make([]byte, tf.entries[name].size)
		if _, err := rc.Read(b); err != nil && len(b) > 0 {
			t.Fatal(err)
		}
		testutil.WriteFile(t, filepath.Join(dir, name), b)
	}
}
