package update

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store/sqlite"
)

// longError is a feed whose every document fails with a 5,000-byte error.
type longError struct{}

func (longError) Name() string      { return "long" }
func (longError) Sources() []string { return nil }
func (longError) Parse(context.Context, string, io.Reader) ([]strata.Vulnerability, error) {
	return nil, errors.New(strings.Repeat("x", 5000))
}

// TestLastErrorCapped: the error a failed run records is cut to
// maxLastError bytes and "…"; the error returned is whole.
func TestLastErrorCapped(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "strata.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc := filepath.Join(dir, "feed.txt")
	if err := os.WriteFile(doc, []byte("anything\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, runErr := (&Runner{Store: st}).Run(ctx, longError{}, []string{doc})
	if runErr == nil || !strings.HasSuffix(runErr.Error(), strings.Repeat("x", 5000)) {
		t.Fatalf("Run error = %.100v…; want the parse error whole", runErr)
	}
	s, err := st.UpdaterStatus(ctx, "long")
	if err != nil {
		t.Fatal(err)
	}
	if want := runErr.Error()[:maxLastError] + "…"; s.LastError != want {
		t.Errorf("stored last error: %d bytes, %.60q…; want %d bytes, %.60q…", len(s.LastError), s.LastError, len(want), want)
	}
}
