package cli

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/strata-scan/strata/internal/testutil"
)

const readmeImage = "../../testdata/images/debian-buster-drupal.docker.tar"

// loadedDB returns a store holding the Debian advisory lists shipped in
// testdata.
func loadedDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "strata.db")
	mustRun(t, "update", "--db", db, "--source", "debian=../../testdata/feeds/debian/DSA.list")
	return db
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// corruptLayer copies a docker archive, flipping one byte inside its layer
// tar's file contents, so that the layer no longer has the digest its
// manifest and config name.
func corruptLayer(t *testing.T, archive string) string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	tr, tw := tar.NewReader(f), tar.NewWriter(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(h.Name, ".tar") {
			i := bytes.Index(b, []byte("Package: adduser"))
			b[i] = 'p' // "package: adduser": still a valid status file
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "corrupt.tar", out.Bytes())
}

func TestScanBadInput(t *testing.T) {
	db := loadedDB(t)
	whole, err := os.ReadFile(readmeImage)
	if err != nil {
		t.Fatal(err)
	}
	unknown := plan9Image(t)
	tests := []struct {
		name, image string
		want        []string // parts of the error message
	}{
		{"truncated archive", writeFile(t, "truncated.tar", whole[:len(whole)/2]), []string{"truncated.tar"}},
		{"not an image", writeFile(t, "notes.txt", []byte("hello\n")), []string{"notes.txt", "not a docker archive, OCI layout or root filesystem directory"}},
		{"missing file", filepath.Join(t.TempDir(), "absent.tar"), []string{"absent.tar", "no such file or directory"}},
		{"layer digest mismatch", corruptLayer(t, readmeImage), []string{"digest mismatch"}},
		{"unknown distribution", unknown, []string{"no vulnerability data for plan9:4 (deb): none of its 1 packages could be checked (none of the loaded feeds (debian) covers it; strata has feeds for alpine, debian, ubuntu, redhat and osv)\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, "scan", "--db", db, tt.image)
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr: %s", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("stderr shows a panic: %s", errOut)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 1, "Usage:"},
		{[]string{"frobnicate"}, 1, `unknown command "frobnicate"`},
		{[]string{"scan"}, 1, "want exactly one IMAGE, have 0 arguments"},
		{[]string{"scan", "--format", "xml", "x"}, 1, `unknown --format "xml" (want table or json)`},
		{[]string{"scan", "--fail-on", "severe", "x"}, 1, `--fail-on: unknown severity "severe"`},
		{[]string{"update", "--source", "nvd"}, 1, `want NAME=LOCATION, have "nvd"`},
		{[]string{"update", "--source", "gentoo=x"}, 1, `unknown feed "gentoo" (known: alpine, debian, nvd, osv, redhat, ubuntu)`},
		{[]string{"affected", " "}, 1, "strata affected: VULNERABILITY is empty\n"},
		{[]string{"version", "extra"}, 1, "strata version: want no arguments, have 1\n"},
		{[]string{"--version", "extra"}, 1, "strata version: want no arguments, have 1\n"},
		{[]string{"update", "--timeout", "-1s"}, 1, `strata update: invalid value "-1s" for flag -timeout: want a duration such as 7d or 36h, have "-1s"` + "\n"},
		{[]string{"scan", "--max-feed-age", "-1h", "x"}, 1, `strata scan: invalid value "-1h" for flag -max-feed-age: want a duration such as 7d or 36h, have "-1h"` + "\n"},
		{[]string{"help", "db", "nope"}, 1, `strata help db: unknown command "nope" (want export, import or status)` + "\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := run(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string // on stdout
	}{
		{[]string{"help"}, "strata help [COMMAND]"},
		{[]string{"--help"}, "strata help [COMMAND]"},
		{[]string{"help", "scan"}, "-fail-on string"},
		{[]string{"help", "update"}, "-source value"},
		{[]string{"help", "index"}, "-platform string"},
		{[]string{"help", "delete"}, "Usage: strata delete"},
		{[]string{"help", "serve"}, "-listen"},
		{[]string{"help", "version"}, "Usage: strata version"},
		{[]string{"help", "help"}, "strata help [COMMAND]"},
		{[]string{"help", "db"}, "Usage: strata db COMMAND"},
	}
	for _, tt := range tests {
		out, errOut, code := run(t, tt.args...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("strata %v: exit %d, stdout lacks %q:\n%s%s", tt.args, code, tt.want, out, errOut)
		}
	}
	if _, errOut, code := run(t, "help", "bogus"); code != 1 || !strings.Contains(errOut, `unknown command "bogus"`) {
		t.Errorf("help bogus: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run(t, "scan", "-h"); code != 0 || !strings.Contains(errOut, "-fail-on string") {
		t.Errorf("scan -h: exit %d, %q", code, errOut)
	}
	// A refused subcommand prints no help on stdout (it once printed the
	// db help twice and exited 0).
	if out, errOut, code := run(t, "help", "db", "nope"); code != 1 || out != "" || !strings.HasPrefix(errOut, dbHelp) {
		t.Errorf("help db nope: exit %d, stdout %q, stderr %q; want 1, nothing, the db help and the error", code, out, errOut)
	}
	if _, errOut, code := run(t, "version", "-h"); code != 0 || errOut != versionHelp {
		t.Errorf("version -h: exit %d, %q", code, errOut)
	}
	// --version is "version".
	version := mustRun(t, "version")
	if out := mustRun(t, "--version"); !strings.HasPrefix(version, "strata ") || out != version {
		t.Errorf("--version: %q; version: %q", out, version)
	}
}

// --fail-on exits 2 when a finding at or above it remains; the severity
// filter and --ignore-unfixed apply first.
func TestFailOn(t *testing.T) {
	db := loadedDB(t)
	if _, _, code := run(t, "scan", "--db", db, "--fail-on", "Unknown", readmeImage); code != 2 {
		t.Errorf("--fail-on Unknown: exit %d, want 2", code)
	}
	_, errOut, code := run(t, "scan", "--db", db, "--fail-on", "Low", readmeImage)
	if code != 0 {
		t.Errorf("--fail-on Low with only Unknown-severity advisories: exit %d, want 0", code)
	}
	if want := "warning: 68 findings have no severity in their feed (Unknown)"; !strings.Contains(errOut, want) {
		t.Errorf("--fail-on Low: stderr %q lacks %q", errOut, want)
	}
}

func TestDelete(t *testing.T) {
	db := filepath.Join(t.TempDir(), "strata.db")
	out := mustRun(t, "index", "--db", db, readmeImage)
	const manifest = "sha256:51f85bbd5e59619fe63331ac02d8c67521b7772f7ea0dce923ffd82dc2b7a682"
	if !strings.Contains(out, `"manifest_hash": "`+manifest+`"`) {
		t.Fatalf("index output lacks manifest %s:\n%.300s", manifest, out)
	}
	// A digest named twice is deleted once.
	if got := mustRun(t, "delete", "--db", db, manifest, manifest); got != "deleted "+manifest+"\n" {
		t.Errorf("delete: %q", got)
	}
	_, errOut, code := run(t, "delete", "--db", db, manifest)
	if want := manifest + ": no such indexed image"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("second delete: exit %d, %q; want 1 and %q", code, errOut, want)
	}
	if _, errOut, code := run(t, "delete", "--db", db, "sha256:abc"); code != 1 || !strings.Contains(errOut, "want 64 hex digits") {
		t.Errorf("bad digest: exit %d, %q", code, errOut)
	}
	// The layer was read again: its reports went with the only image using it.
	out = mustRun(t, "index", "--db", db, readmeImage)
	if !strings.Contains(out, `"layers_read": 1`) {
		t.Errorf("re-index after delete did not read the layer:\n%.300s", out)
	}
}

// --max-ratio and --max-layer-gib set the decompression-bomb limits.
func TestLayerLimitFlags(t *testing.T) {
	tarball, err := testutil.Tar(
		testutil.Entry{Path: "etc/os-release", Body: []byte("ID=debian\nVERSION_ID=10\n")},
		testutil.Entry{Path: "var/log/lastlog", Body: make([]byte, 80<<20)}, // zeros: compresses ~1000:1
	)
	if err != nil {
		t.Fatal(err)
	}
	l, err := testutil.Layer(tarball, testutil.Gzip, "")
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	if err := testutil.WriteOCILayout(dir, img); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "strata.db")
	_, errOut, code := run(t, "index", "--db", db, "--max-ratio", "10", dir)
	if want := "compression ratio exceeds 10:1"; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("--max-ratio 10: exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
	if _, errOut, code := run(t, "index", "--db", db, "--max-ratio", "100000", dir); code != 0 {
		t.Errorf("--max-ratio 100000: exit %d, stderr %q; want 0", code, errOut)
	}
}

// With --format json, an image none of whose packages can be checked still
// gets its report (with "uncovered" saying why), and exit 1.
func TestScanUncoveredJSON(t *testing.T) {
	db := loadedDB(t)
	p := plan9Image(t)
	out, errOut, code := run(t, "scan", "--db", db, "--format", "json", p)
	if code != 1 || !strings.Contains(errOut, "no vulnerability data for plan9:4 (deb)") {
		t.Errorf("exit %d, stderr %q; want 1 and the reason", code, errOut)
	}
	if !strings.Contains(out, `"uncovered": [
    "plan9:4 (deb)"
  ]`) {
		t.Errorf("stdout lacks the report's uncovered list:\n%s", out)
	}
}

// plan9Image is a docker archive of a distribution no feed covers.
func plan9Image(t *testing.T) string {
	t.Helper()
	tarball, err := testutil.Tar(
		testutil.Entry{Path: "etc/os-release", Body: []byte("ID=plan9\nVERSION_ID=4\nPRETTY_NAME=\"Plan 9\"\n")},
		testutil.Entry{Path: "var/lib/dpkg/status", Body: []byte("Package: rc\nStatus: install ok installed\nVersion: 1.0\n")},
	)
	if err != nil {
		t.Fatal(err)
	}
	return layerImage(t, "plan9", false, tarball)
}
