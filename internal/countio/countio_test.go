package countio

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	r := &Reader{R: strings.NewReader("hello, world")}
	var b bytes.Buffer
	w := &Writer{W: &b}
	if _, err := io.CopyN(w, r, 5); err != nil {
		t.Fatal(err)
	}
	if r.N != 5 || w.N != 5 || b.String() != "hello" {
		t.Errorf("read %d, wrote %d (%q); want 5, 5, \"hello\"", r.N, w.N, b.String())
	}
}
