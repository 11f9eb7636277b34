//go:build unix

package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/bundle"
)

// twoDSAs is a DSA list of two advisories: two debian records.
const twoDSAs = `[29 Mar 2023] DSA-5380-1 xorg-server - security update
	{CVE-2023-1393}
	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
[28 Mar 2023] DSA-5379-1 dino-im - security update
	{CVE-2023-28686}
	[bullseye] - dino-im 0.2.0-3+deb11u1
`

// exportStore is a store in dir holding the debian records of twoDSAs.
func exportStore(t *testing.T, dir string) string {
	t.Helper()
	list := filepath.Join(dir, "DSA.list")
	if err := os.WriteFile(list, []byte(twoDSAs), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "src.db")
	mustRun(t, "update", "--db", db, "--source", "debian="+list)
	return db
}

// bundleFeed is a feed of a bundle with its records.
type bundleFeed struct {
	Feed    bundle.Feed
	Records []strata.Vulnerability
}

// readBundle is the content of the bundle b, after Open verified it.
func readBundle(t *testing.T, b []byte) []bundleFeed {
	t.Helper()
	bu, err := bundle.Open(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatalf("not a valid bundle: %v", err)
	}
	var out []bundleFeed
	err = bu.Each(func(f bundle.Feed, vs []strata.Vulnerability) error {
		out = append(out, bundleFeed{f, vs})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wroteLine is the export's last line for the bundle b written to name.
func wroteLine(name string, b []byte) string {
	sum := sha256.Sum256(b)
	return "wrote " + name + ": 1 feeds, 2 records, sha256 " + hex.EncodeToString(sum[:]) + "\n"
}

// TestExportStdout: "-" writes the bundle, and nothing else, to standard
// output, the messages to standard error; imported into a new store and
// exported again, it holds the same feeds and records.
func TestExportStdout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	out, errOut, code := run(t, "db", "export", "--db", src, "-")
	if code != 0 {
		t.Fatalf("export -: exit %d, stderr %q", code, errOut)
	}
	lines := strings.SplitAfter(errOut, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "debian: 2 records, fetched ") || lines[1] != wroteLine("standard output", []byte(out)) {
		t.Errorf("stderr %q; want the feed's line, then %q", errOut, wroteLine("standard output", []byte(out)))
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`export - made a file "-"`)
	}
	file := filepath.Join(dir, "stdout.bundle")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	mustRun(t, "db", "import", "--db", fresh, file)
	again, _, code := run(t, "db", "export", "--db", fresh, "-")
	if code != 0 {
		t.Fatalf("export - of the imported store: exit %d", code)
	}
	if diff := cmp.Diff(readBundle(t, []byte(out)), readBundle(t, []byte(again))); diff != "" {
		t.Errorf("bundle after import and export (-first +second):\n%s", diff)
	}
}

// TestExportSymlink: the file a link points to gets the bundle, and
// keeps its mode; the link stays. A dangling link names the file to make.
func TestExportSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "real.txt"), []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ link, dest, target string }{
		{"link.bundle", "real.txt", "real.txt"},
		{"sub/rel.bundle", "../real.txt", "real.txt"},
		{"dangling.bundle", "sub/new.bundle", "sub/new.bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			link := filepath.Join(dir, tt.link)
			if err := os.Symlink(tt.dest, link); err != nil {
				t.Fatal(err)
			}
			out := mustRun(t, "db", "export", "--db", src, link)
			if dest, err := os.Readlink(link); err != nil || dest != tt.dest {
				t.Errorf("after export, the link points to %q (%v); want %q", dest, err, tt.dest)
			}
			b, err := os.ReadFile(filepath.Join(dir, tt.target))
			if err != nil {
				t.Fatal(err)
			}
			if got := readBundle(t, b); len(got) != 1 || len(got[0].Records) != 2 {
				t.Errorf("%s holds %d feeds; want debian's 2 records", tt.target, len(got))
			}
			if !strings.HasSuffix(out, wroteLine(link, b)) {
				t.Errorf("stdout %q; want it to end with %q", out, wroteLine(link, b))
			}
		})
	}
	if fi, err := os.Stat(filepath.Join(dir, "real.txt")); err != nil {
		t.Error(err)
	} else if fi.Mode() != 0o600 {
		t.Errorf("real.txt: mode %v; want -rw------- as before", fi.Mode())
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %q", leftovers)
	}
}

// TestExportNewFileMode: a new file's mode is 0644 less the umask, as
// any file made with mode 0644.
func TestExportNewFileMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	ref, err := os.OpenFile(filepath.Join(dir, "ref"), os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	file := filepath.Join(dir, "new.bundle")
	mustRun(t, "db", "export", "--db", src, file)
	want, err := os.Stat(ref.Name())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.Stat(file); err != nil {
		t.Error(err)
	} else if got.Mode() != want.Mode() {
		t.Errorf("new file: mode %v; want %v", got.Mode(), want.Mode())
	}
}

// mkfifo makes a FIFO in a new temporary directory.
func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return p
}

// TestExportFIFO: a FIFO is written, not replaced; what its reader gets
// is a bundle that imports.
func TestExportFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	fifo := mkfifo(t)
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	out := mustRun(t, "db", "export", "--db", src, fifo)
	b := <-got
	if !strings.HasSuffix(out, wroteLine(fifo, b)) {
		t.Errorf("stdout %q; want it to end with %q", out, wroteLine(fifo, b))
	}
	if fi, err := os.Lstat(fifo); err != nil {
		t.Error(err)
	} else if fi.Mode().Type() != os.ModeNamedPipe {
		t.Errorf("after export, %s is %v; want the FIFO still", fifo, fi.Mode())
	}
	file := filepath.Join(dir, "from-fifo.bundle")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "db", "import", "--db", filepath.Join(dir, "fresh.db"), file); !strings.Contains(out, "debian: 2 records (2 added, 0 removed)") {
		t.Errorf("import of what the FIFO gave:\n%s", out)
	}
}

// TestExportFIFOReaderGone: a reader that closes the FIFO early makes the
// export fail, and nothing claims it was written. The bundle of the DSA
// list (some 230 KB) overflows the pipe's buffer (64 KiB), so that the
// export is still writing when the reader is gone.
func TestExportFIFOReaderGone(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "src.db")
	mustRun(t, "update", "--db", src, "--source", "debian="+dsaList)
	fifo := mkfifo(t)
	go func() {
		if f, err := os.Open(fifo); err == nil {
			f.Close()
		}
	}()
	out, errOut, code := run(t, "db", "export", "--db", src, fifo)
	if want := "strata db: " + fifo + ": "; code != 1 || !strings.HasPrefix(errOut, want) || !strings.HasSuffix(errOut, "write "+fifo+": broken pipe\n") {
		t.Errorf("exit %d, stderr %q; want 1, %q…write %s: broken pipe", code, errOut, want, fifo)
	}
	if strings.Contains(out, "wrote") {
		t.Errorf("stdout claims the bundle was written: %q", out)
	}
}

// TestExportDirectory: a directory is refused before anything is written.
func TestExportDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	out, errOut, code := run(t, "db", "export", "--db", src, dir)
	if want := "strata db: " + dir + ": is a directory\n"; code != 1 || errOut != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, want)
	}
}

// TestExportNoDirectory: a FILE in a directory that does not exist is
// refused naming FILE, not the temporary file beside it.
func TestExportNoDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := exportStore(t, dir)
	file := filepath.Join(dir, "nodir", "x.bundle")
	out, errOut, code := run(t, "db", "export", "--db", src, file)
	if want := "strata db: create " + file + ": no such file or directory\n"; code != 1 || errOut != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errOut, want)
	}
}

// Exporting onto the store, by its name, through a link or onto its
// journal, is refused before anything is written: the store still opens
// and holds its feed.
func TestExportOntoStore(t *testing.T) {
	dir := t.TempDir()
	db := exportStore(t, dir)
	link := filepath.Join(dir, "link.bundle")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	// src.db-journal does not exist (the store is in WAL mode): SQLite
	// would still take it for its own, and delete it.
	for _, target := range []string{db, link, filepath.Join(dir, ".", "src.db"), db + "-journal", db + "-wal"} {
		stdout, stderr, code := run(t, "db", "export", "--db", db, target)
		want := "strata db: " + target + ": is the store itself (" + db + "): export to another file\n"
		if code != 1 || stdout != "" || stderr != want {
			t.Errorf("export to %s: exit %d, stdout %q, stderr %q; want 1, nothing, %q", target, code, stdout, stderr, want)
		}
	}
	if out := mustRun(t, "db", "status", "--db", db, "--format", "json"); !strings.Contains(out, `"records": 2`) {
		t.Errorf("db status after the refused exports:\n%s", out)
	}
}

// A reader of the output that goes away does not cut an import short:
// "strata db import B | head -1" imports every feed of B and exits 0 (the
// process ignores SIGPIPE; the writes that fail are only progress).
func TestImportOutputClosed(t *testing.T) {
	bin := strataBinary(t)
	dir := t.TempDir()
	src := exportStore(t, dir)
	other := filepath.Join(dir, "alpine.json")
	if err := os.WriteFile(other, []byte(`{"distroversion":"v3.19","reponame":"main","packages":[{"pkg":{"name":"zlib","secfixes":{"1.3-r2":["CVE-2023-45853"]}}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "update", "--db", src, "--source", "alpine="+other)
	b := filepath.Join(dir, "feeds.bundle")
	mustRun(t, "db", "export", "--db", src, b)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // the reader is gone before the first line
	db := filepath.Join(dir, "imported.db")
	cmd := exec.Command(bin, "db", "import", "--db", db, b)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	w.Close()
	if err != nil {
		t.Fatalf("import with its output closed: %v\n%s", err, stderr.String())
	}
	status := mustRun(t, "db", "status", "--db", db)
	for _, feed := range []string{"alpine", "debian"} {
		if !strings.Contains(status, "\n"+feed+" ") {
			t.Errorf("feed %s not imported:\n%s", feed, status)
		}
	}
}

// "strata db import -" reads the bundle from standard input.
func TestImportStdin(t *testing.T) {
	bin := strataBinary(t)
	dir := t.TempDir()
	b := filepath.Join(dir, "feeds.bundle")
	mustRun(t, "db", "export", "--db", exportStore(t, dir), b)
	f, err := os.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	db := filepath.Join(dir, "imported.db")
	cmd := exec.Command(bin, "db", "import", "--db", db, "-")
	cmd.Stdin = f
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "standard input: sha256 "+fileSHA256(t, b)+",") {
		t.Fatalf("import from standard input: %v\n%s", err, out)
	}
	if status := mustRun(t, "db", "status", "--db", db, "--format", "json"); !strings.Contains(status, `"records": 2`) {
		t.Errorf("db status after the import:\n%s", status)
	}
}
