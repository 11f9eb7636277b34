package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, storetest.PostgresSchema(t)) })
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

var benchRecords = flag.Int("records", 100_000, "records per ReplaceVulnerabilities in BenchmarkReplaceVulnerabilities")

// BenchmarkReplaceVulnerabilities measures replacements of -records
// records.
func BenchmarkReplaceVulnerabilities(b *testing.B) {
	storetest.BenchmarkReplace(b, *benchRecords, func(b *testing.B) store.Store { return open(b, storetest.PostgresSchema(b)) })
}

// TestReopen opens the same schema from several goroutines at once (as
// replicas starting together), then again, and checks that the data and
// the one migration row are kept.
func TestReopen(t *testing.T) {
	conn := storetest.PostgresSchema(t)
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
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5}, versions); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
}

// TestMigration4 migrates a database of schema version 3.
func TestMigration4(t *testing.T) {
	conn := storetest.PostgresSchema(t)
	db, err := pgx.Connect(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	exec := func(q string) {
		t.Helper()
		if _, err := db.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`)
	for v, name := range []string{"0001_init.sql", "0002_layer_blobs.sql", "0003_notifications.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		exec(string(b))
		exec(fmt.Sprintf(`INSERT INTO schema_migrations (version, applied_at) VALUES (%d, now())`, v+1))
	}
	storetest.TestMigration4(t, exec, func() store.Store { return open(t, conn) })
}

// Two stores on one database (two replicas) share its locks.
func TestLockShared(t *testing.T) {
	conn := storetest.PostgresSchema(t)
	storetest.TestLockShared(t, open(t, conn), open(t, conn))
}
