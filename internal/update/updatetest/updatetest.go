// Package updatetest holds helpers for testing updaters.
package updatetest

import (
	"context"
	"errors"
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

// ParseLocation parses every document at loc (a file, compressed or not,
// a directory or an archive, as update.Fetch reads them) with u, as the
// runner does: within u's size limit, and a document u skips
// (update.Skipped: a withdrawn record, a CVE that affects no package)
// adds no record.
func ParseLocation(ctx context.Context, u update.Updater, loc string) ([]strata.Vulnerability, error) {
	var out []strata.Vulnerability
	_, err := update.Fetch(ctx, nil, loc, "", func(d update.Document) error {
		vs, err := update.ParseDocument(ctx, u, d)
		if sk := (*update.Skipped)(nil); errors.As(err, &sk) {
			return nil
		}
		out = append(out, vs...)
		return err
	})
	return out, err
}
