package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadTestdata returns the contents of testdata/NAME in the package under
// test, failing t when it cannot be read.
func ReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// AddTestdata seeds f with the regular files of the package's testdata
// directory that match pattern ("*.layer", "active/CVE-*"), but for golden
// files ("*.golden.*", expected outputs, not inputs), and returns how many.
func AddTestdata(f *testing.F, pattern string) int {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if fi, err := os.Stat(name); err == nil && fi.IsDir() || strings.Contains(filepath.Base(name), ".golden.") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		n++
	}
	return n
}
