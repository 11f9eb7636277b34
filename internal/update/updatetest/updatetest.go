// Package updatetest holds helpers for testing updaters.
package updatetest

import (
	"context"
	"os"
	"testing"

	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/update"
)

// ParseFile parses the document at path with u, as the runner does
// (update.ParseDocument: within u's size limit), failing t when it cannot
// be opened or does not parse.
func ParseFile(t *testing.T, u update.Updater, path string) []strata.Vulnerability {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vs, err := update.ParseDocument(context.Background(), u, update.Document{Name: path, Body: f})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}
