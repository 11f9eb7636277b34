package gobin_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

// A 200 MiB Go binary whose section headers lie at its end, past 200 MiB
// of other bytes, is read from the walk's temporary file a piece at a
// time: its ELF headers, build info and function name table. The walk
// and the scan together allocate about 200 KB, as for a 2 MiB binary
// (read whole, the file alone would take 200 MiB): memory does not grow
// with the file.
func TestScanLargeBinary(t *testing.T) {
	const path = "usr/local/bin/big"
	table := pclntab120("main.main", "golang.org/x/net/html.Parse", "runtime.main")
	allocs := map[int64]uint64{}
	for _, pad := range []int64{2 << 20, 200 << 20} {
		head, tail := paddedGoELF(t, "go1.26.8", htmlcheckInfo, table, pad)
		rep, n := scantest.ScanLayer(t, gobin.Scanner{}, scantest.PaddedTar(path, head, pad, tail))
		allocs[pad] = n
		var got []string
		for _, p := range rep.Packages {
			got = append(got, p.Name+"@"+p.Version)
			if p.Name == "golang.org/x/net" && !cmp.Equal([]string(p.Symbols), []string{"golang.org/x/net/html.Parse"}) {
				t.Errorf("golang.org/x/net symbols %v, want [golang.org/x/net/html.Parse]", p.Symbols)
			}
		}
		want := []string{"example.com/htmlcheck@(devel)", "golang.org/x/net@0.7.0", "golang.org/x/text@0.3.7", "stdlib@1.26.8"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d-byte padding: packages (-want +got):\n%s", pad, diff)
		}
	}
	t.Logf("bytes allocated by the walk and the scan: %d (2 MiB padding), %d (200 MiB padding)", allocs[2<<20], allocs[200<<20])
	if big := allocs[200<<20]; big > 1<<20 {
		t.Errorf("the walk and the scan of a 200 MiB binary allocated %d bytes, want at most 1 MiB", big)
	}
}
