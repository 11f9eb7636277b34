package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	base := database(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, freshSchema(t, base)) })
}

// database returns the connection string of STRATA_TEST_POSTGRES, or skips
// the test when it is not set.
func database(t testing.TB) string {
	t.Helper()
	base := os.Getenv("STRATA_TEST_POSTGRES")
	if base == "" {
		t.Skip("STRATA_TEST_POSTGRES not set: set it to a PostgreSQL connection string to run the PostgreSQL store tests")
	}
	return base
}

// open opens the store, closed when the test ends.
func open(t testing.TB, connString string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var schemas atomic.Int64

var benchRecords = flag.Int("records", 100_000, "records per ReplaceVulnerabilities in BenchmarkReplaceVulnerabilities")

// BenchmarkReplaceVulnerabilities measures replacements of -records
// records.
func BenchmarkReplaceVulnerabilities(b *testing.B) {
	base := database(b)
	storetest.BenchmarkReplace(b, *benchRecords, func(b *testing.B) store.Store { return open(b, freshSchema(b, base)) })
}

// freshSchema creates a schema of the test's own in the database base,
// dropped when the test ends, and returns a connection string that uses it.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	schema := fmt.Sprintf("strata_test_%d_%d", os.Getpid(), schemas.Add(1))
	exec := func(ctx context.Context, q string) error {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, q)
		return err
	}
	if err := exec(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("STRATA_TEST_POSTGRES: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if err := exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	if u, err := url.Parse(base); err == nil && u.Scheme != "" {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(base) + " search_path=" + schema
}

// TestReopen opens the same schema from several goroutines at once (as
// replicas starting together), then again, and checks that the data and
// the one migration row are kept.
func TestReopen(t *testing.T) {
	conn := freshSchema(t, database(t))
	want := &strata.LayerReport{Layer: "sha256:01", Scanner: "dpkg", ScannerVersion: "1", Databases: []string{"var/lib/dpkg/status"}}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), conn)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			if err := s.PutLayerReport(t.Context(), want); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	s := open(t, conn)
	got, err := s.LayerReport(t.Context(), want.Layer, "dpkg", "1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopening (-want +got):\n%s", diff)
	}
	db, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	rows, _ := db.Query(t.Context(), `SELECT version FROM schema_migrations`)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1}, versions); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
}
