package osrelease_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/osrelease"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil/golden"
)

// result is what the golden file records for a sample tree or file.
type result struct {
	Release      string               `json:"release,omitempty"`
	Distribution *strata.Distribution `json:"distribution,omitempty"`
	Error        string               `json:"error,omitempty"`
}

// TestSamples scans every real sample tree under testdata/samples (one
// image root each) and parses each of its files, comparing with
// testdata/samples.golden.json (go test -update rewrites it): key
// "<tree>" for Scan, "<tree>/<path>" for Parse.
func TestSamples(t *testing.T) {
	trees, err := os.ReadDir("testdata/samples")
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]result)
	for _, tree := range trees {
		files := loadTree(t, path.Join("testdata/samples", tree.Name()))
		var d *strata.Distribution
		rep, err := osrelease.Scanner{}.Scan(context.Background(), files)
		if err == nil {
			d = rep.Distribution
		}
		got[tree.Name()] = newResult(d, err)
		for _, p := range files.Paths() {
			d, err := osrelease.Parse(p, files[p])
			got[tree.Name()+"/"+p] = newResult(d, err)
		}
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/samples.golden.json", append(b, '\n'))
}

func newResult(d *strata.Distribution, err error) result {
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{Release: d.Release(), Distribution: d}
}

// loadTree reads the files under dir, keyed by their slash path below it.
func loadTree(t *testing.T, dir string) scantest.Files {
	t.Helper()
	files := make(scantest.Files)
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = os.ReadFile(path.Join(dir, p))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// FuzzParse checks that Parse never panics on any kind of release file and
// that what it accepts names a distribution.
func FuzzParse(f *testing.F) {
	kinds := []string{"etc/os-release", "etc/lsb-release", "etc/debian_version",
		"etc/alpine-release", "etc/redhat-release", "etc/system-release"}
	err := fs.WalkDir(os.DirFS("testdata/samples"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path.Join("testdata/samples", p))
		for i, k := range kinds {
			if path.Base(k) == path.Base(p) {
				f.Add(uint8(i), b)
			}
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		name := kinds[int(kind)%len(kinds)]
		d, err := osrelease.Parse(name, b)
		if err != nil {
			if want := "os-release: parse " + name + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error %q does not start with %q", err, want)
			}
			return
		}
		if d.ID == "" || d.Release() == "" {
			t.Fatalf("Parse(%s) = %+v with no ID", name, d)
		}
	})
}
