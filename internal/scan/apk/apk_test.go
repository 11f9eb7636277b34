package apk_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/apk"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	scantest.CheckWants(t, apk.Scanner{}, map[string]bool{
		"lib/apk/db/installed":     true,
		"usr/lib/apk/db/installed": true,
		"lib/apk/db/triggers":      false,
		"/lib/apk/db/installed":    false,
		"etc/apk/world":            false,
	})
}

func TestScan(t *testing.T) {
	files := scantest.Files{
		"lib/apk/db/installed":     []byte("P:musl\nV:1.2.4-r0\nA:x86_64\no:musl\n\nP:ssl_client\nV:1.36.0-r9\nA:x86_64\no:busybox\n"),
		"usr/lib/apk/db/installed": nil,
		"lib/apk/db/lock":          nil,
		"etc/alpine-release":       []byte("3.18.4\n"),
	}
	want := &strata.LayerReport{
		Packages: []strata.Package{
			pkg("musl", "1.2.4-r0", "x86_64", "musl"),
			pkg("ssl_client", "1.36.0-r9", "x86_64", "busybox"),
		},
		Databases: []string{"lib/apk/db/installed", "usr/lib/apk/db/installed"},
	}
	scantest.CheckScan(t, apk.Scanner{}, files, want)

	// An entry without a version is skipped with a warning.
	var logs strings.Builder
	incomplete := scantest.Files{"lib/apk/db/installed": []byte("P:a\n\nP:musl\nV:1.2.4-r0\no:musl\n")}
	scantest.CheckScan(t, apk.Scanner{Log: scantest.Logger(&logs, slog.LevelWarn)}, incomplete, &strata.LayerReport{
		Packages:  []strata.Package{pkg("musl", "1.2.4-r0", "", "musl")},
		Databases: []string{"lib/apk/db/installed"},
	})
	if want := "level=WARN msg=\"apk: skipped a package without a version (V:)\" path=lib/apk/db/installed line=1 package=a\n"; logs.String() != want {
		t.Errorf("logged %q, want %q", logs.String(), want)
	}
	// A file that is not an apk database fails the scan.
	bad := scantest.Files{"lib/apk/db/installed": []byte("\x1f\x8b\x08\x00\n")}
	_, err := apk.Scanner{}.Scan(context.Background(), bad)
	if want := `apk: parse lib/apk/db/installed: line 1: want "K:value", have "\x1f\x8b\b\x00"`; err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}
}
