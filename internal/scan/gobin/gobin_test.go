package gobin_test

import (
	"bytes"
	"context"
	"log/slog"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/gobin"
	"github.com/strata-scan/strata/internal/scan/scantest"
)

func TestWants(t *testing.T) {
	scantest.CheckWants(t, gobin.Scanner{}, map[string]bool{
		"usr/local/bin/htmlcheck":            true,
		"usr/sbin/runc":                      true,
		"usr/bin/python3.11":                 true,
		"bin/busybox":                        true,
		"sbin/init":                          true,
		"go/bin/gopls":                       true,
		"root/go/bin/dlv":                    true,
		"usr/local/go/bin/go":                true,
		"usr/lib/go-1.19/bin/gofmt":          true,
		"opt/bitnami/redis/bin/redis-server": true,
		"usr/libexec/docker/cli-plugins/docker-compose": true,
		"ko-app/controller":                             true,
		"manager":                                       true,
		"app/server":                                    true,
		"app/config.yaml":                               false,
		".dockerenv":                                    false,
		"usr/bin/.hidden":                               false,
		"usr/local/bin/":                                false,
		"usr/lib/x86_64-linux-gnu/libc.so.6":            false,
		"usr/local/go/pkg/tool/linux_amd64/compile":     false,
		"usr/share/doc/runc/copyright":                  false,
		"srv/app/server":                                false,
		"binaries/tool":                                 false,
	})
}

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
			"opt/tool/tool.bin":       tool,
			"etc/passwd":              []byte("root:x:0:0::/root:/bin/sh\n"),
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
			golang("example.com/tool", "1.0.0", "usr/bin/tool"),
			golang("stdlib", "1.22.0", "usr/bin/tool"),
			golang("example.com/htmlcheck", "(devel)", "usr/local/bin/htmlcheck"),
			golang("golang.org/x/net", "0.7.0", "usr/local/bin/htmlcheck"),
			golang("golang.org/x/text", "0.3.7", "usr/local/bin/htmlcheck"),
			golang("stdlib", "1.26.8", "usr/local/bin/htmlcheck"),
			golang("github.com/opencontainers/runc", "", "usr/sbin/runc"),
			golang("stdlib", "1.19.8", "usr/sbin/runc"),
		),
		Databases: []string{
			"usr/bin/notgo", "usr/bin/runc", "usr/bin/script", "usr/bin/tool",
			"usr/local/bin/htmlcheck", "usr/local/bin/tool", "usr/sbin/runc",
		},
	}
	scantest.CheckScan(t, gobin.Scanner{Log: scantest.Logger(&log, slog.LevelDebug)}, files, want)
	wantLog := `level=DEBUG msg="gobin: not a Go binary" err="gobin: usr/bin/notgo: not an ELF file with Go build info: not a Go executable"` + "\n" +
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

func TestScanEmptyLayer(t *testing.T) {
	scantest.CheckScan(t, gobin.Scanner{}, scantest.Files{"etc/passwd": nil}, &strata.LayerReport{})
}

func TestScanErrors(t *testing.T) {
	scantest.CheckCancelled(t, gobin.Scanner{}, "usr/bin/runc")
	_, err := gobin.Scanner{}.Scan(context.Background(), scantest.Unreadable{Files: scantest.Files{"usr/bin/x": nil}, Err: syscall.EIO})
	if want := "gobin: read usr/bin/x: input/output error"; err == nil || err.Error() != want {
		t.Errorf("Scan error = %v; want %q", err, want)
	}
}
