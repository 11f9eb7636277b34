package update

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// skips is a toy feed whose every document is skipped: a line "ecosystem
// NAME" stands for two records of an ecosystem it does not read, a line
// "not-affected ID" for a vulnerability that affects no package.
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
		case "not-affected":
			sk.NotAffected = append(sk.NotAffected, name)
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

// A location whose documents say that their vulnerabilities affect
// nothing is read as holding no record: the feed's records go.
func TestRunnerNotAffected(t *testing.T) {
	st := openStore(t)
	old := strata.Vulnerability{ID: "CVE-1", Updater: "skips", Eco: strata.RPM, Release: "rhel:9", Package: "samba", State: strata.Unfixed}
	if _, err := st.ReplaceVulnerabilities(context.Background(), "skips", "", []strata.Vulnerability{old}); err != nil {
		t.Fatal(err)
	}
	dir := docsDir(t, "not-affected CVE-1\n", "ecosystem crates.io\n")
	out, err := (&Runner{Store: st}).Run(context.Background(), skips{}, []string{dir})
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
}

func TestSkippedError(t *testing.T) {
	tests := []struct {
		in   Skipped
		want string
	}{
		{Skipped{Records: 12, Ecosystems: strings.Fields("a b c d e f g h i j k l")},
			"skipped 12 records of unsupported ecosystems: a, b, c, d, e, f, g, h, i, j and 2 more"},
		{Skipped{NotAffected: []string{"CVE-2023-4154"}}, "skipped 1 vulnerability that affects no package: CVE-2023-4154"},
		{Skipped{Records: 2, Ecosystems: []string{"crates.io"}, NotAffected: []string{"CVE-1", "CVE-2"}},
			"skipped 2 records of unsupported ecosystems: crates.io; 2 vulnerabilities that affect no package: CVE-1, CVE-2"},
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
	s.add(&Skipped{Records: 2, Ecosystems: []string{"npm"}, NotAffected: []string{"CVE-2"}})
	s.add(&Skipped{Records: 1, Ecosystems: []string{"crates.io", "npm"}, NotAffected: []string{"CVE-1", "CVE-2"}})
	want := Skipped{Records: 3, Ecosystems: []string{"crates.io", "npm"}, NotAffected: []string{"CVE-1", "CVE-2"}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
