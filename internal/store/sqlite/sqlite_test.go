package sqlite_test

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/sqlite"
	"github.com/strata-scan/strata/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, filepath.Join(t.TempDir(), "strata.db")) })
}

// open opens the store at path, closed when the test ends.
func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub dir", "with?odd#name.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	want := &strata.LayerReport{Layer: "sha256:01", Scanner: "dpkg", ScannerVersion: "1", Databases: []string{"var/lib/dpkg/status"}}
	if err := s.PutLayerReport(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	got, err := s.LayerReport(t.Context(), want.Layer, "dpkg", "1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopening (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, query[int](t, path, `SELECT version FROM schema_migrations`)); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
}

// query runs q on the database file at path and returns its one column.
func query[T any](t *testing.T, path, q string, args ...any) []T {
	t.Helper()
	u := url.URL{Scheme: "file", OmitHost: true, Path: path}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	open(t, newer).Close()
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (999, '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name, path, want string
	}{
		{"not a database", notDB, "not a database"},
		{"a directory", dir, ""},
		{"under a file", filepath.Join(notDB, "strata.db"), ""},
		{"newer schema", newer, "schema version 999 is newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sqlite.Open(t.Context(), tt.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded, want an error", tt.path)
			}
			if !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open(%s) = %q, want an error naming the path and saying %q", tt.path, err, tt.want)
			}
		})
	}
}

// TestPackageKeys checks the package key rows that PutIndexReport writes
// and DeleteIndexReport removes.
func TestPackageKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "strata.db")
	s := open(t, path)
	m := strata.Digest("sha256:0a")
	r := &strata.IndexReport{
		ManifestDigest: m,
		Layers:         []strata.Layer{{Digest: "sha256:01"}},
		Distribution:   &strata.Distribution{ID: "debian", VersionID: "12"},
		Packages: []strata.Package{
			{Name: "libssl3", Eco: strata.Deb, SourceName: "openssl"},
			{Name: "openssl", Eco: strata.Deb, SourceName: "openssl"},
			{Name: "zlib1g", Eco: strata.Deb, SourceName: "zlib"},
			{Name: "requests", Eco: strata.PyPI},
			{Name: "requests", Eco: strata.PyPI, PackageDB: "other/METADATA"},
		},
	}
	keys := func() []string {
		return query[string](t, path, `SELECT ecosystem || ' ' || release || ' ' || name FROM package_keys WHERE manifest = ? ORDER BY 1`, string(m))
	}
	if err := s.PutIndexReport(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	want := []string{"deb debian:12 libssl3", "deb debian:12 openssl", "deb debian:12 zlib", "deb debian:12 zlib1g", "pypi  requests"}
	if diff := cmp.Diff(want, keys()); diff != "" {
		t.Errorf("package keys (-want +got):\n%s", diff)
	}
	r.Packages = r.Packages[3:]
	if err := s.PutIndexReport(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"pypi  requests"}, keys()); diff != "" {
		t.Errorf("package keys after replacing the report (-want +got):\n%s", diff)
	}
	if err := s.DeleteIndexReport(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string(nil), keys()); diff != "" {
		t.Errorf("package keys after deleting the report (-want +got):\n%s", diff)
	}
}

// Two stores on one file (two servers in one process) share its locks.
func TestLockShared(t *testing.T) {
	path := filepath.Join(t.TempDir(), "strata.db")
	storetest.TestLockShared(t, open(t, path), open(t, path))
}
