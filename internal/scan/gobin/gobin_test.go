package gobin_test

import (
	"bytes"
	"context"
	"log/slog"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan"
	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

// gobin wants no file for its path, but every executable ELF file,
// wherever it is (see internal/index's TestIndexExecutables).
func TestWants(t *testing.T) {
	scantest.CheckWants(t, gobin.Scanner{}, map[string]bool{
		"usr/local/bin/htmlcheck": false,
		"opt/app/server":          false,
		"etc/passwd":              false,
	})
	if !scan.WantsExecutables(gobin.Scanner{}) {
		t.Error("gobin does not want the executable ELF files")
	}
}

// A file set that cannot tell executables from other files has each of
// its files read as one: a file with the ELF magic that is not a readable
// ELF file is warned of, the others without Go build info are noted at
// debug level. A binary reached through links is read once, at its own
// path, and every path is listed in Databases.
func TestScan(t *testing.T) {
	htmlcheck := goELF(t, "go1.26.8", htmlcheckInfo)
	tool := goELF(t, "go1.22.0", "path\texample.com/tool\nmod\texample.com/tool\tv1.0.0\th1:x=\n")
	notGo := bytes.Replace(htmlcheck, []byte("\xff Go buildinf:"), []byte("\xff Go nothing!:"), 1)
	files := scantest.Linked{
		Files: scantest.Files{
			"usr/local/bin/htmlcheck": htmlcheck,
			"usr/sbin/runc":           goELF(t, "go1.19.8", runcInfo),
			"usr/bin/script":          []byte("#!/bin/sh\n"),
			"usr/bin/notgo":           notGo,
			"usr/bin/broken":          htmlcheck[:40],
			"opt/tool/tool.bin":       tool,
		},
		Links: map[string]string{
			"usr/bin/runc":       "usr/sbin/runc",
			"usr/bin/tool":       "opt/tool/tool.bin",
			"usr/local/bin/tool": "opt/tool/tool.bin",
		},
	}
	var log bytes.Buffer
	want := &strata.LayerReport{
		Packages: noTable(
			golang("example.com/tool", "1.0.0", "opt/tool/tool.bin"),
			golang("stdlib", "1.22.0", "opt/tool/tool.bin"),
			golang("example.com/htmlcheck", "(devel)", "usr/local/bin/htmlcheck"),
			golang("golang.org/x/net", "0.7.0", "usr/local/bin/htmlcheck"),
			golang("golang.org/x/text", "0.3.7", "usr/local/bin/htmlcheck"),
			golang("stdlib", "1.26.8", "usr/local/bin/htmlcheck"),
			golang("github.com/opencontainers/runc", "", "usr/sbin/runc"),
			golang("stdlib", "1.19.8", "usr/sbin/runc"),
		),
		Databases: []string{
			"opt/tool/tool.bin", "usr/bin/broken", "usr/bin/notgo", "usr/bin/runc", "usr/bin/script", "usr/bin/tool",
			"usr/local/bin/htmlcheck", "usr/local/bin/tool", "usr/sbin/runc",
		},
	}
	scantest.CheckScan(t, gobin.Scanner{Log: scantest.Logger(&log, slog.LevelDebug)}, files, want)
	wantLog := `level=WARN msg="gobin: skipped an executable that is not a readable ELF file" path=usr/bin/broken err="gobin: usr/bin/broken: not an ELF file with Go build info: not a readable ELF file: EOF"` + "\n" +
		`level=DEBUG msg="gobin: not a Go binary" err="gobin: usr/bin/notgo: not an ELF file with Go build info: not a Go executable"` + "\n" +
		`level=DEBUG msg="gobin: not a Go binary" err="gobin: usr/bin/script: not an ELF file with Go build info: no ELF header"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

// TestScanWithoutLinks checks that a file set that cannot resolve links
// has each path read: a copy and a link look the same.
func TestScanWithoutLinks(t *testing.T) {
	runc := goELF(t, "go1.19.8", runcInfo)
	files := scantest.Files{"usr/bin/runc": runc, "usr/sbin/runc": runc}
	want := &strata.LayerReport{
		Packages: noTable(
			golang("github.com/opencontainers/runc", "", "usr/bin/runc"),
			golang("stdlib", "1.19.8", "usr/bin/runc"),
			golang("github.com/opencontainers/runc", "", "usr/sbin/runc"),
			golang("stdlib", "1.19.8", "usr/sbin/runc"),
		),
		Databases: []string{"usr/bin/runc", "usr/sbin/runc"},
	}
	scantest.CheckScan(t, gobin.Scanner{}, files, want)
}

// A layer whose files have no execute bit, ELF files or not, has no Go
// binary: the walk keeps none of them.
func TestScanLayerWithoutExecutables(t *testing.T) {
	layer, err := testutil.Tar(
		testutil.Entry{Path: "etc/passwd", Body: []byte("root:x:0:0::/root:/bin/sh\n")},
		testutil.Entry{Path: "usr/local/bin/htmlcheck", Body: goELF(t, "go1.26.8", htmlcheckInfo)},
	)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := scantest.ScanLayer(t, gobin.Scanner{}, bytes.NewReader(layer))
	if diff := cmp.Diff(&strata.LayerReport{}, got); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func TestScanErrors(t *testing.T) {
	scantest.CheckCancelled(t, gobin.Scanner{}, "usr/bin/runc")
	_, err := gobin.Scanner{}.Scan(context.Background(), scantest.Unreadable{Files: scantest.Files{"usr/bin/x": nil}, Err: syscall.EIO})
	if want := "gobin: read usr/bin/x: input/output error"; err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}
}
