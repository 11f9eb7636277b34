package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/strata-scan/strata/internal/store"
	"github.com/strata-scan/strata/internal/store/postgres"
	"github.com/strata-scan/strata/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := postgres.Open(t.Context(), freshSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

var schemas atomic.Int64

// freshSchema creates a schema of its own for the test, dropped when the
// test ends, in the database that STRATA_TEST_POSTGRES names, and returns
// a connection string that uses it. It skips the test when the variable is
// not set.
func freshSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("STRATA_TEST_POSTGRES")
	if base == "" {
		t.Skip("STRATA_TEST_POSTGRES not set: set it to a PostgreSQL connection string to run the PostgreSQL store tests")
	}
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatalf("STRATA_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(context.Background())
	schema := fmt.Sprintf("strata_test_%d_%d", os.Getpid(), schemas.Add(1))
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
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
