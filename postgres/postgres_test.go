package postgres_test

import (
	"context"
	"testing"

	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/postgres"
)

// testDSN returns the test database's DSN, skipping the test when it is not
// set, or failing it when CI is set (CI must never skip these tests).
func testDSN(tb testing.TB) string {
	tb.Helper()
	return pgtest.DSN(tb, "./postgres/")
}

// freshSchema returns the DSN of a new schema in the test database, dropped
// when the test ends.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	return pgtest.Schema(tb, "./postgres/", "isachub_test_")
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
