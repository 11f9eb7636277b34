package scantest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
)

// CheckScan checks that s reports want, and no error, for files.
func CheckScan(t *testing.T, s scan.Scanner, files scan.FileSet, want *strata.LayerReport) {
	t.Helper()
	got, err := s.Scan(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

// CheckCancelled checks that s fails with context.Canceled when its
// context is cancelled before it reads path, a file it wants.
func CheckCancelled(t *testing.T, s scan.Scanner, path string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Scan(ctx, Files{path: nil}); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: error = %v; want context.Canceled", err)
	}
}

// CheckSpot checks that got holds each package of spot, looked up by name
// (the first of that name), as it is there.
func CheckSpot(t *testing.T, got, spot []strata.Package) {
	t.Helper()
	for _, want := range spot {
		var p strata.Package
		if i := slices.IndexFunc(got, func(p strata.Package) bool { return p.Name == want.Name }); i >= 0 {
			p = got[i]
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("package %s (-want +got):\n%s", want.Name, diff)
		}
	}
}

// CheckWants checks that s wants each path of want, mapped to true, and no
// path mapped to false.
func CheckWants(t *testing.T, s scan.Scanner, want map[string]bool) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if got := s.Wants(p); got != want[p] {
			t.Errorf("Wants(%q) = %v, want %v", p, got, want[p])
		}
	}
}
