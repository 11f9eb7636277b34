package dpkg_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/dpkg"
	"github.com/strata-scan/strata/internal/testutil"
)

// FuzzParseStatus checks that ParseStatus never panics, that its errors
// name the file and a line, and that every package it returns is complete.
func FuzzParseStatus(f *testing.F) {
	testutil.AddTestdata(f, "*")
	testutil.AddTestdata(f, "status.d/*")
	f.Fuzz(func(t *testing.T, b []byte) {
		const path = "var/lib/dpkg/status"
		pkgs, err := dpkg.ParseStatus(path, bytes.NewReader(b), slog.New(slog.DiscardHandler))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dpkg: parse "+path+": line ") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.SourceVersion == "" ||
				p.Eco != strata.Deb || p.PackageDB != path {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}
