package index_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata/internal/image"
	"github.com/strata-scan/strata/internal/scan/scanners"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/testutil"
)

// A Go binary is found wherever it is installed, as long as it is an
// executable ELF file: copied to opt/app/server, to docker's plugin
// directory and among the Go toolchain's tools, and once only through a
// link. Its copy without an execute bit, a shell script and an ELF
// executable without Go build info are not reported; a damaged ELF
// executable and one over the size limit are skipped with a warning that
// names them, and the layer is still indexed.
func TestIndexExecutables(t *testing.T) {
	server := buildHTMLCheck(t, "v0.7.0")
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	stdlib := strings.TrimPrefix(strings.TrimSpace(string(out)), "go") // a release such as go1.26.8
	entries := []testutil.Entry{
		{Path: "opt/app/server", Body: server, Mode: 0o755},
		{Path: "usr/lib/docker/cli-plugins/docker-buildx", Body: server, Mode: 0o755},
		{Path: "usr/lib/go-1.19/pkg/tool/linux_amd64/vet", Body: server, Mode: 0o755},
		{Path: "usr/local/bin/server", Link: "/opt/app/server"},
		{Path: "opt/app/server.copy", Body: server},
		{Path: "usr/local/bin/start.sh", Body: []byte("#!/bin/sh\nexec /opt/app/server \"$@\"\n"), Mode: 0o755},
		{Path: "opt/app/broken", Body: server[:4096], Mode: 0o755},
		{Path: "opt/app/huge", Body: append(slices.Clip(server), make([]byte, 2<<20)...), Mode: 0o755},
	}
	if elf, err := os.ReadFile("/bin/true"); err == nil { // an ELF executable without Go build info, where there is one
		entries = append(entries, testutil.Entry{Path: "usr/local/bin/true", Body: elf, Mode: 0o755})
	}
	var log bytes.Buffer
	logger := scantest.Logger(&log, slog.LevelWarn)
	ix, _ := newIndexer(t, scanners.Logging(logger)...)
	ix.Log = logger
	ix.Limits.MaxFileSize = int64(len(server)) + 1<<20
	r := indexImage(t, ix, ociLayout(t, layerOf(t, testutil.Gzip, entries...)), image.Options{})

	var got []string
	for _, p := range r.Packages {
		got = append(got, strings.Join([]string{string(p.Eco), p.Name, p.Version, p.PackageDB}, " "))
	}
	var want []string
	for _, db := range []string{"opt/app/server", "usr/lib/docker/cli-plugins/docker-buildx", "usr/lib/go-1.19/pkg/tool/linux_amd64/vet"} {
		want = append(want, "golang example.com/htmlcheck (devel) "+db, "golang golang.org/x/net 0.7.0 "+db, "golang stdlib "+stdlib+" "+db)
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	wantLog := fmt.Sprintf(`level=WARN msg="executable skipped: larger than the size limit of one file; scanners see no file there" layer=%s path=opt/app/huge`, r.Layers[0].Digest) + "\n" +
		`level=WARN msg="gobin: skipped an executable that is not a readable ELF file" path=opt/app/broken err="gobin: opt/app/broken: not an ELF file with Go build info: not a readable ELF file: EOF"` + "\n"
	if diff := cmp.Diff(wantLog, log.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}
