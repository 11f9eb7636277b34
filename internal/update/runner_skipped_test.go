package update

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/testutil"
)

// ecosystemsOnly is a toy feed whose documents each name one ecosystem it
// does not read: every document is skipped.
type ecosystemsOnly struct{}

func (ecosystemsOnly) Name() string      { return "eco" }
func (ecosystemsOnly) Sources() []string { return nil }
func (ecosystemsOnly) Parse(_ context.Context, _ string, r io.Reader) ([]strata.Vulnerability, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return nil, &Skipped{Records: 2, Ecosystems: []string{strings.TrimSpace(string(b))}}
}

// A location whose records are all skipped fails, naming what was skipped
// across its documents.
func TestRunnerSkipped(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "a"), []byte("Debian:11\n"))
	testutil.WriteFile(t, filepath.Join(dir, "b"), []byte("Alpine:v3.18\n"))
	testutil.WriteFile(t, filepath.Join(dir, "c"), []byte("Debian:11\n"))
	_, err = (&Runner{Store: st}).Run(ctx, ecosystemsOnly{}, []string{dir})
	want := "update eco: " + dir + ": no records of the eco feed found in it: skipped 6 records of unsupported ecosystems: Alpine:v3.18, Debian:11"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestSkippedNamesAtMostTen(t *testing.T) {
	s := &Skipped{Records: 12, Ecosystems: strings.Fields("a b c d e f g h i j k l")}
	if got, want := s.Error(), "skipped 12 records of unsupported ecosystems: a, b, c, d, e, f, g, h, i, j and 2 more"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
