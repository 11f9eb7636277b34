package layer

import (
	"archive/tar"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-scan/strata"
)

// ent is one tar entry of a test layer.
type ent struct {
	name string
	typ  byte   // tar.TypeReg when zero
	body string // contents of a regular file
	link string // target of a link
	mode int64  // 0o644 when zero
}

func reg(name, body string) ent       { return ent{name: name, typ: tar.TypeReg, body: body} }
func exe(name, body string) ent       { return ent{name: name, typ: tar.TypeReg, body: body, mode: 0o755} }
func dir(name string) ent             { return ent{name: name, typ: tar.TypeDir} }
func symlink(name, target string) ent { return ent{name: name, typ: tar.TypeSymlink, link: target} }
func hardlink(name, target string) ent {
	return ent{name: name, typ: tar.TypeLink, link: target}
}

// buildTar writes entries as an uncompressed tar.
func buildTar(t testing.TB, entries ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: cmp.Or(e.mode, 0o644), Size: int64(len(e.body))}
		if e.typ != tar.TypeReg {
			hdr.Size = 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("tar header %s: %v", e.name, err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatalf("tar body %s: %v", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha(b []byte) strata.Digest {
	s := sha256.Sum256(b)
	return strata.Digest("sha256:" + hex.EncodeToString(s[:]))
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	wantAll  = Wants{Path: func(string) bool { return true }}
	wantNone = Wants{}
)

// wantSet wants exactly the listed paths.
func wantSet(paths ...string) Wants {
	m := map[string]bool{}
	for _, p := range paths {
		m[p] = true
	}
	return Wants{Path: func(p string) bool { return m[p] }}
}
