package gobin_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/gobin"
)

// FuzzReadBinary checks that ReadBinary never panics on any file, that its
// errors wrap ErrNotGo and name the file, and that the packages it returns
// are complete and end with the standard library.
func FuzzReadBinary(f *testing.F) {
	f.Add(goELF(f, "go1.26.8", htmlcheckInfo))
	f.Add(goELF(f, "go1.19.8", runcInfo))
	f.Add(goELF(f, "go1.21rc2", "path\tx\nmod\tx\t(devel)\t\ndep\ta\tv1.0.0\n=>\t../a\t(devel)\t\n"))
	f.Add(goELFWithTable(f, "go1.26.8", htmlcheckInfo, pclntab120("main.main", "golang.org/x/net/html.Parse", "runtime.main")))
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "usr/bin/x"
		pkgs, err := gobin.ReadBinary(path, bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, gobin.ErrNotGo) || !bytes.HasPrefix([]byte(err.Error()), []byte("gobin: "+path+": ")) {
				t.Fatalf("error %q does not wrap ErrNotGo and name the file", err)
			}
			return
		}
		if len(pkgs) == 0 || pkgs[len(pkgs)-1].Name != "stdlib" {
			t.Fatalf("packages %+v do not end with stdlib", pkgs)
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Eco != strata.Go || p.PackageDB != path ||
				p.SourceName != p.Name || p.SourceVersion != p.Version {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
