package scanners_test

import (
	"context"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/scanners"
)

func TestState(t *testing.T) {
	if got, want := scanners.State(scanners.All()), "apk@2,dpkg@4,gobin@4,java@2,npm@1,os-release@1,python@1,rpm@2"; got != want {
		t.Errorf("State(All()) = %q, want %q", got, want)
	}
	bumped := []scan.Scanner{fake{"os-release", "2"}, fake{"dpkg", "1"}}
	if got, want := scanners.State(bumped), "dpkg@1,os-release@2"; got != want {
		t.Errorf("State(bumped) = %q, want %q", got, want)
	}
	if got := scanners.State(nil); got != "" {
		t.Errorf("State(nil) = %q, want \"\"", got)
	}
}

// TestAllNames checks that State can tell the scanners apart: unique
// names and versions free of the separators "@" and ",".
func TestAllNames(t *testing.T) {
	seen := make(map[string]bool)
	for _, s := range scanners.All() {
		if seen[s.Name()] {
			t.Errorf("two scanners are named %q", s.Name())
		}
		seen[s.Name()] = true
		if strings.ContainsAny(s.Name()+s.Version(), "@,") || s.Name() == "" || s.Version() == "" {
			t.Errorf("scanner %q version %q: want non-empty, without '@' or ','", s.Name(), s.Version())
		}
	}
}

// fake is a scanner with a given name and version.
type fake struct{ name, version string }

func (f fake) Name() string      { return f.name }
func (f fake) Version() string   { return f.version }
func (fake) Wants(p string) bool { return false }
func (fake) Scan(context.Context, scan.FileSet) (*strata.LayerReport, error) {
	return &strata.LayerReport{}, nil
}
