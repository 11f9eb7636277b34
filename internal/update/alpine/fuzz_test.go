package alpine

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/testutil"
	"github.com/strata-scan/strata/internal/update"
)

func FuzzParse(f *testing.F) {
	// Parse warns through slog.Default about entries it skips: a fuzz
	// worker writing thousands of lines to its stderr blocks on the pipe.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler))
	if testutil.AddTestdata(f, "*.json")+testutil.AddTestdata(f, "*.yaml") == 0 {
		f.Fatal("no seeds in testdata")
	}
	f.Add([]byte("distroversion: v3.3\npackages:\n  - pkg:\n      name: p\n      secfixes:\n        1.0-r0: [CVE_2019-1 XSA-2 (x)]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := Updater{}.Parse(context.Background(), "fuzz", bytes.NewReader(b))
		if sk := (*update.Skipped)(nil); errors.As(err, &sk) && (len(vs) != 0 || len(sk.Empty) != 1 || !strings.HasPrefix(sk.Empty[0], "fuzz (")) {
			t.Fatalf("%d records with %v", len(vs), err)
		}
		if err != nil {
			return
		}
		for _, v := range vs {
			if v.ID == "" || v.Package == "" || v.Release == "" || v.Eco != strata.APK || !v.SourcePackage ||
				v.State != strata.Fixed || v.FixedVersion == "" || v.FixedVersion == "0" ||
				len(v.Ranges) != 1 || len(v.Ranges[0].Events) != 2 || v.Ranges[0].Events[1].Fixed != v.FixedVersion {
				t.Fatalf("bad record %+v", v)
			}
		}
		again, _ := Updater{}.Parse(context.Background(), "fuzz", bytes.NewReader(b))
		if diff := cmp.Diff(vs, again); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
	})
}
