package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateLongGarbage: a 200 KB line of garbage is quoted cut short, in
// the error of "strata update" and in the last error "db status" shows.
func TestUpdateLongGarbage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deep := writeFile(t, "deep.json", []byte(strings.Repeat("[", 200146)))
	db := filepath.Join(dir, "c.db")
	want := "update debian: debian: parse " + deep + `: line 1: unrecognised line "` + strings.Repeat("[", 80) + `…" (200146 bytes)`
	_, errOut, code := run(t, "update", "--db", db, "--source", "debian="+deep)
	if code != 1 || errOut != want+"\nstrata update: 1 of 1 feeds failed: debian (their previous data is kept)\n" {
		t.Errorf("update: exit %d, stderr (%d bytes) %.300q; want 1 and %q", code, len(errOut), errOut, want)
	}
	var status struct{ Updaters []feedStatus }
	if err := json.Unmarshal([]byte(mustRun(t, "db", "status", "--db", db, "--format", "json")), &status); err != nil {
		t.Fatal(err)
	}
	last := map[string]string{}
	for _, s := range status.Updaters {
		last[s.Updater] = s.LastError
	}
	if last["debian"] != want {
		t.Errorf("db status: debian's last error (%d bytes) %.300q; want %q", len(last["debian"]), last["debian"], want)
	}
}

// TestUpdateUnsupportedScheme: an ftp:// source is refused by its scheme,
// not looked for as a file.
func TestUpdateUnsupportedScheme(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	_, errOut, code := run(t, "update", "--db", db, "--source", "debian=ftp://x/y")
	want := `update debian: ftp://x/y: unsupported URL scheme "ftp" (want http or https, or a local path)` + "\n" +
		"strata update: 1 of 1 feeds failed: debian (their previous data is kept)\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q; want 1, %q", code, errOut, want)
	}
}
