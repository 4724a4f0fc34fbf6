package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub/postgres"
)

// dsnVar names the environment variable that holds the DSN of the test
// database; .ci/run sets it.
const dsnVar = "ISACHUB_TEST_POSTGRES"

// testDSN returns the test database's DSN, skipping the test when it is not
// set, or failing it when CI is set (CI must never skip these tests).
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(dsnVar)
	if dsn == "" {
		const how = dsnVar + "=postgres://postgres@127.0.0.1:5432/test?sslmode=disable go test ./postgres/"
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but %s is not: the PostgreSQL tests must run in CI (%s)", dsnVar, how)
		}
		tb.Skipf("PostgreSQL tests need a database: run %s", how)
	}
	return dsn
}

// freshSchema creates a schema with a random name in the test database,
// drops it when the test ends, and returns a DSN whose connections use it
// (search_path), so that tests, packages and reruns never share tables.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := testDSN(tb)
	var b [8]byte
	rand.Read(b[:])
	schema := "isachub_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", dsnVar, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(tb, dsn, schema)
}

// withSearchPath adds the search_path runtime parameter to a URL or
// key=value DSN.
func withSearchPath(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatalf("%s is not a valid URL: %v", dsnVar, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// openDB opens a store on a fresh schema and closes it when the test ends.
func openDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	return openDSN(tb, freshSchema(tb))
}

// openDSN opens a store on dsn and closes it when the test ends.
func openDSN(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
