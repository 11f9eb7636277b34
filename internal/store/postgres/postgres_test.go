package postgres_test

import (
	"context"
	"flag"
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
	if diff := cmp.Diff([]int{1, 2, 3}, versions); diff != "" {
		t.Errorf("schema_migrations (-want +got):\n%s", diff)
	}
}

// Two stores on one database (two replicas) share its locks.
func TestLockShared(t *testing.T) {
	conn := storetest.PostgresSchema(t)
	storetest.TestLockShared(t, open(t, conn), open(t, conn))
}
