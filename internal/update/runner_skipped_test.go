package update

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/scan/scantest"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// skips is a toy feed whose every document is skipped: a line "ecosystem
// NAME" stands for two records of an ecosystem it does not read, a line
// "empty NAME" for a valid document that holds no record.
type skips struct{}

func (skips) Name() string      { return "skips" }
func (skips) Sources() []string { return nil }
func (skips) Parse(_ context.Context, _ string, r io.Reader) ([]strata.Vulnerability, error) {
	sk := &Skipped{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		switch kind, name, _ := strings.Cut(sc.Text(), " "); kind {
		case "ecosystem":
			sk.Records += 2
			sk.Ecosystems = append(sk.Ecosystems, name)
		case "empty":
			sk.add(EmptyDocument(name, "lists no package"))
		}
	}
	return nil, sk
}

// docsDir writes the given documents into a new folder.
func docsDir(t *testing.T, docs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i, doc := range docs {
		testutil.WriteFile(t, filepath.Join(dir, string(rune('a'+i))), []byte(doc))
	}
	return dir
}

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A location whose records are all skipped fails, naming what was skipped
// across its documents.
func TestRunnerSkipped(t *testing.T) {
	dir := docsDir(t, "ecosystem Debian:11\n", "ecosystem Alpine:v3.18\n", "ecosystem Debian:11\n")
	_, err := (&Runner{Store: openStore(t)}).Run(context.Background(), skips{}, []string{dir})
	want := "update skips: " + dir + ": no records of the skips feed found in it: skipped 6 records of unsupported ecosystems: Alpine:v3.18, Debian:11"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// A location whose documents are valid but hold no record is read as
// holding no record: the feed's records go, with a warning naming the
// documents.
func TestRunnerEmptyDocuments(t *testing.T) {
	st := openStore(t)
	old := strata.Vulnerability{ID: "CVE-1", Updater: "skips", Eco: strata.RPM, Release: "rhel:9", Package: "samba", State: strata.Unfixed}
	if _, err := st.ReplaceVulnerabilities(context.Background(), "skips", "", []strata.Vulnerability{old}); err != nil {
		t.Fatal(err)
	}
	dir := docsDir(t, "empty v3.3/community\n", "ecosystem crates.io\n")
	var logs bytes.Buffer
	out, err := (&Runner{Store: st, Log: scantest.Logger(&logs, slog.LevelWarn)}).Run(context.Background(), skips{}, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var removed []string
	for _, v := range out.Diff.Removed {
		removed = append(removed, v.ID+" "+v.Package)
	}
	if out.Records != 0 || len(out.Diff.Added) != 0 || !cmp.Equal(removed, []string{"CVE-1 samba"}) {
		t.Errorf("%d records, %d added, removed %q; want 0, 0, [CVE-1 samba]", out.Records, len(out.Diff.Added), removed)
	}
	want := `level=WARN msg="location holds no record" updater=skips location=` + dir +
		` skipped="skipped 2 records of unsupported ecosystems: crates.io; 1 document that holds no record: v3.3/community (lists no package)"` + "\n"
	if diff := cmp.Diff(want, logs.String()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

func TestSkippedError(t *testing.T) {
	tests := []struct {
		in   Skipped
		want string
	}{
		{Skipped{Records: 12, Ecosystems: strings.Fields("a b c d e f g h i j k l")},
			"skipped 12 records of unsupported ecosystems: a, b, c, d, e, f, g, h, i, j and 2 more"},
		{*EmptyDocument("v3.3/community.yaml", "lists no package"), "skipped 1 document that holds no record: v3.3/community.yaml (lists no package)"},
		{Skipped{Records: 2, Ecosystems: []string{"crates.io"}, Empty: []string{"a (withdrawn)", "b (withdrawn)"}},
			"skipped 2 records of unsupported ecosystems: crates.io; 2 documents that hold no record: a (withdrawn), b (withdrawn)"},
	}
	for _, tt := range tests {
		if got := tt.in.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant %q", got, tt.want)
		}
	}
}

// Documents' skips add up: ecosystems and vulnerabilities once each, sorted.
func TestSkippedAdd(t *testing.T) {
	var s Skipped
	s.add(&Skipped{Records: 2, Ecosystems: []string{"npm"}, Empty: []string{"b (x)"}})
	s.add(&Skipped{Records: 1, Ecosystems: []string{"crates.io", "npm"}, Empty: []string{"a (x)", "b (x)"}})
	want := Skipped{Records: 3, Ecosystems: []string{"crates.io", "npm"}, Empty: []string{"a (x)", "b (x)"}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
