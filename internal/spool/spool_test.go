package spool

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	f, err := File(strings.NewReader("bundle"), "strata-test-*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil || string(b) != "bundle" {
		t.Errorf("read back %q, %v; want %q", b, err, "bundle")
	}
	if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
		t.Errorf("files left in the temporary directory: %v", left)
	}
	boom := errors.New("boom")
	if _, err := File(iotest.ErrReader(boom), "strata-test-*"); !errors.Is(err, boom) {
		t.Errorf("File of a failing reader: %v, want %v", err, boom)
	}
	if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
		t.Errorf("files left after a failure: %v", left)
	}
}
