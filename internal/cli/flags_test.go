package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata/internal/testutil"
)

// Flags go before, between or after the positional arguments; "--" ends
// them, unless it is a flag's value.
func TestFlagSetParse(t *testing.T) {
	tests := []struct {
		args                []string
		wantArgs            []string
		wantDB, wantFormat  string
		wantVerbose, wantOK bool
	}{
		{[]string{"IMAGE", "--db", "F.db"}, []string{"IMAGE"}, "F.db", "table", false, true},
		{[]string{"--db", "F.db", "IMAGE"}, []string{"IMAGE"}, "F.db", "table", false, true},
		{[]string{"A", "--verbose", "B", "-format=json", "C"}, []string{"A", "B", "C"}, "", "json", true, true},
		{[]string{"A", "--", "--db", "F.db"}, []string{"A", "--db", "F.db"}, "", "table", false, true},
		{[]string{"--", "-"}, []string{"-"}, "", "table", false, true},
		{[]string{"-", "--format", "--", "B"}, []string{"-", "B"}, "", "--", false, true},
		{[]string{"--verbose", "--", "--format", "json"}, []string{"--format", "json"}, "", "table", true, true},
		{[]string{}, []string{}, "", "table", false, true},
		{[]string{"A", "--bogus"}, nil, "", "table", false, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs, common := newFlags(&env{stdout: io.Discard, stderr: io.Discard}, "test", "Usage: test\n")
			format := fs.String("format", "table", "")
			err := fs.Parse(tt.args)
			if (err == nil) != tt.wantOK {
				t.Fatalf("Parse(%q) = %v, want ok %v", tt.args, err, tt.wantOK)
			}
			if !tt.wantOK {
				return
			}
			if diff := cmp.Diff(tt.wantArgs, fs.Args()); diff != "" {
				t.Errorf("Args (-want +got):\n%s", diff)
			}
			if fs.NArg() != len(tt.wantArgs) || (len(tt.wantArgs) > 0 && fs.Arg(0) != tt.wantArgs[0]) {
				t.Errorf("NArg %d, Arg(0) %q; want %d, %q", fs.NArg(), fs.Arg(0), len(tt.wantArgs), tt.wantArgs)
			}
			if common.db != tt.wantDB || *format != tt.wantFormat || common.verbose != tt.wantVerbose {
				t.Errorf("db %q, format %q, verbose %v; want %q, %q, %v", common.db, *format, common.verbose, tt.wantDB, tt.wantFormat, tt.wantVerbose)
			}
		})
	}
}

// A flag error is printed once, after the usage; -h prints the usage only.
func TestFlagErrorOnce(t *testing.T) {
	_, errOut, code := run(t, "scan", "IMAGE", "--bogus")
	msg := "flag provided but not defined: -bogus"
	if code != 1 || !strings.HasPrefix(errOut, scanHelp+"\nFlags:\n") || !strings.HasSuffix(errOut, "\nstrata scan: "+msg+"\n") ||
		strings.Count(errOut, msg) != 1 {
		t.Errorf("exit %d, stderr:\n%s\nwant 1, the usage, then %q once", code, errOut, msg)
	}
	_, errOut, code = run(t, "db", "status", "--format")
	msg = "flag needs an argument: -format"
	if code != 1 || !strings.HasSuffix(errOut, "\nstrata db: "+msg+"\n") || strings.Count(errOut, msg) != 1 {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and %q once", code, errOut, msg)
	}
	out, errOut, code := run(t, "scan", "-h")
	if code != 0 || out != "" || !strings.HasPrefix(errOut, scanHelp) || strings.Contains(errOut, "strata scan:") {
		t.Errorf("scan -h: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}

// Flags after IMAGE are read (a --format after it is checked).
func TestScanFlagsAfterImage(t *testing.T) {
	db := loadedDB(t)
	img := plan9Image(t)
	_, errOut, code := run(t, "scan", img, "--db", db, "--format", "xml")
	if want := "strata scan: unknown --format \"xml\" (want table or json)\n"; code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
	out, _, code := run(t, "scan", img, "--db", db, "--format", "json")
	if code != 1 || !strings.Contains(out, `"uncovered": [`) {
		t.Errorf("scan IMAGE --db F --format json: exit %d, stdout %q; want 1 and a JSON report", code, out)
	}
}

// An explicit store path is never created in a directory that does not
// exist; verbs that only read a store do not create it; the default path
// is created with its directories by the verbs that may create a store.
func TestStorePath(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nonexistent", "s.db")
	absent := filepath.Join(dir, "absent.db")
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	noStore := "no store at " + absent + ` ("strata scan", "strata index", "strata update" or "strata db import" creates one)`
	noDir := "--db " + missing + ": directory " + filepath.Dir(missing) + " does not exist"
	tests := []struct {
		args []string
		want string // stderr
	}{
		{[]string{"db", "status", "--db", missing}, "strata db: " + noDir},
		{[]string{"scan", "--db", missing, "absent.tar"}, "strata scan: " + noDir},
		{[]string{"index", "absent.tar", "--db", missing}, "strata index: " + noDir},
		{[]string{"update", "--db", missing, "--source", "debian=absent.list"}, "strata update: " + noDir},
		{[]string{"db", "status", "--db", absent}, "strata db: " + noStore},
		{[]string{"db", "export", "--db", absent, filepath.Join(dir, "x.bundle")}, "strata db: " + noStore},
		{[]string{"affected", "--db", absent, "CVE-2024-1"}, "strata affected: " + noStore},
		{[]string{"notifications", "--db", absent}, "strata notifications: " + noStore},
		{[]string{"delete", "--db", absent, "sha256:" + strings.Repeat("a", 64)}, "strata delete: " + noStore},
		{[]string{"notifications", "--db", empty}, "strata notifications: " + empty + ` is empty, not a store ("strata scan", "strata index", "strata update" or "strata db import" creates one)`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:2], " "), func(t *testing.T) {
			_, errOut, code := run(t, tt.args...)
			if code != 1 || errOut != tt.want+"\n" {
				t.Errorf("strata %q: exit %d, stderr %q; want 1 and %q", tt.args, code, errOut, tt.want)
			}
		})
	}
	for _, p := range []string{filepath.Dir(missing), absent} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created (stat: %v)", p, err)
		}
	}

	t.Run("STRATA_DB", func(t *testing.T) {
		t.Setenv("STRATA_DB", missing)
		_, errOut, code := run(t, "scan", "absent.tar")
		if want := "strata scan: $STRATA_DB " + missing + ": directory " + filepath.Dir(missing) + " does not exist\n"; code != 1 || errOut != want {
			t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
		}
	})
	t.Run("default", func(t *testing.T) {
		cache := filepath.Join(t.TempDir(), "cache")
		t.Setenv("STRATA_DB", "")
		t.Setenv("XDG_CACHE_HOME", cache)
		t.Setenv("HOME", t.TempDir())
		def, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("no user cache directory: %v", err)
		}
		db := filepath.Join(def, "strata", "strata.db")
		_, errOut, code := run(t, "db", "status")
		if want := "strata db: no store at " + db + ` ("strata scan", "strata index", "strata update" or "strata db import" creates one)` + "\n"; code != 1 || errOut != want {
			t.Errorf("db status: exit %d, stderr %q; want 1 and %q", code, errOut, want)
		}
		if _, _, code := run(t, "scan", filepath.Join(t.TempDir(), "absent.tar")); code != 1 {
			t.Errorf("scan of an absent image: exit %d, want 1", code)
		}
		if _, err := os.Stat(db); err != nil {
			t.Errorf("scan did not create the default store: %v", err)
		}
	})
}

// Scanner warnings are written as the CLI's own: "warning: …".
func TestScannerWarnings(t *testing.T) {
	tarball, err := testutil.Tar(testutil.Entry{Path: "usr/lib/node_modules/broken/package.json", Body: []byte("{not json")})
	if err != nil {
		t.Fatal(err)
	}
	img := layerImage(t, "broken-npm", false, tarball)
	_, errOut, code := run(t, "index", img, "--db", filepath.Join(t.TempDir(), "s.db"))
	want := "warning: npm: skipped a file that does not parse path=usr/lib/node_modules/broken/package.json err="
	if code != 0 || !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 0 and one line starting %q", code, errOut, want)
	}
}

// No update summary when every feed failed.
func TestUpdateSummaryOnFailure(t *testing.T) {
	db := loadedDB(t)
	out, errOut, code := run(t, "update", "--db", db, "--source", "debian="+filepath.Join(t.TempDir(), "absent.list"))
	if code != 1 || out != "" || !strings.HasSuffix(errOut, "strata update: 1 of 1 feeds failed: debian (their previous data is kept)\n") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, no summary, and the failure", code, out, errOut)
	}
}
