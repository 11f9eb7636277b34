package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the environment variable that holds the connection
// string of the PostgreSQL database the tests may use.
const PostgresEnv = "STRATA_TEST_POSTGRES"

var schemas atomic.Int64

// PostgresSchema creates a schema of the test's own in the database of
// STRATA_TEST_POSTGRES, dropped when the test ends, and returns a
// connection string that uses it. It skips the test when the variable is
// not set.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set: set it to a PostgreSQL connection string to run the PostgreSQL tests")
	}
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
		t.Fatalf("%s: create schema %s: %v", PostgresEnv, schema, err)
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
