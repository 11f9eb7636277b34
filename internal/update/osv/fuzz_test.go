package osv_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
	"github.com/strata-scan/strata/internal/update/osv"
)

// FuzzParse checks that Parse never panics and that every record it
// gives names a package of a language ecosystem with no release, or a
// source package of an Ubuntu release, and has a state matching its fixed
// version. A skipped document gives no record and names what it skipped.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Ext(p) == ".json", b)
	}
	f.Fuzz(func(t *testing.T, isJSON bool, b []byte) {
		name := "doc.yaml"
		if isJSON {
			name = "doc.json"
		}
		vs, err := osv.Updater{}.Parse(context.Background(), name, bytes.NewReader(b))
		if sk := (*update.Skipped)(nil); errors.As(err, &sk) && (len(vs) != 0 || sk.Records == 0 && len(sk.Empty) == 0 || len(sk.Empty) > 1) {
			t.Errorf("%d records with %v", len(vs), err)
		}
		if err != nil {
			return
		}
		for _, v := range vs {
			language := v.Release == "" && !strata.OSEcosystem(v.Eco) && !v.SourcePackage
			ubuntu := strings.HasPrefix(v.Release, "ubuntu:") && v.Eco == strata.Deb && v.SourcePackage
			if v.ID == "" || v.Package == "" || !language && !ubuntu {
				t.Errorf("record %q: package %q, ecosystem %q, release %q, source package %v", v.ID, v.Package, v.Eco, v.Release, v.SourcePackage)
			}
			if (v.State == strata.Fixed) != (v.FixedVersion != "") {
				t.Errorf("record %q: state %q with fixed version %q", v.ID, v.State, v.FixedVersion)
			}
		}
	})
}
