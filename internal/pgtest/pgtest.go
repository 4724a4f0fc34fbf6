// Package pgtest gives tests a PostgreSQL schema of their own in the test
// database that ISACHUB_TEST_POSTGRES names (.ci/run sets it), so that
// tests, packages and reruns never share tables. It is imported by tests
// only.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the environment variable that holds the test database's DSN.
const EnvVar = "ISACHUB_TEST_POSTGRES"

// DSN returns the test database's DSN. Without it the test is skipped, with
// the command that would run it for pkg (for example "./postgres/"); when
// CI is set it fails instead, because CI must never skip these tests.
func DSN(tb testing.TB, pkg string) string {
	tb.Helper()
	dsn := os.Getenv(EnvVar)
	if dsn == "" {
		how := EnvVar + "=postgres://postgres@127.0.0.1:5432/test?sslmode=disable go test " + pkg
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI is set but %s is not: the PostgreSQL tests must run in CI (%s)", EnvVar, how)
		}
		tb.Skipf("the PostgreSQL tests need a database: run %s", how)
	}
	return dsn
}

// Schema creates a schema with a random name (prefix and 16 hex digits) in
// the test database, drops it when the test ends, and returns a DSN whose
// connections use it (search_path). It skips or fails like DSN.
func Schema(tb testing.TB, pkg, prefix string) string {
	tb.Helper()
	dsn := DSN(tb, pkg)
	var b [8]byte
	rand.Read(b[:])
	schema := prefix + hex.EncodeToString(b[:])
	if err := Exec(dsn, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if err := Exec(dsn, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(tb, dsn, schema)
}

// Exec runs one statement on its own connection to dsn.
func Exec(dsn, stmt string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}

// WithSearchPath adds the search_path runtime parameter to a URL or
// key=value DSN.
func WithSearchPath(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatalf("%s is not a valid URL: %v", EnvVar, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}
