package main

import (
	"context"
	"flag"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/sqlite"
)

// defaultDB is the database used when neither --db nor ISACHUB_DB names
// one: an SQLite file in the working directory.
const defaultDB = "sqlite:./isachub.db"

// dbFlag registers the --db flag shared by every command that opens the
// database.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database: sqlite:PATH (or a bare PATH) or postgres://...; default $ISACHUB_DB, else "+defaultDB)
}

// resolveDSN returns the DSN to open: the --db value, else $ISACHUB_DB,
// else defaultDB.
func resolveDSN(env *Env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := env.Getenv("ISACHUB_DB"); v != "" {
		return v
	}
	return defaultDB
}

// isPostgresDSN reports whether dsn names a PostgreSQL database.
func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqlitePath returns the file path of an SQLite DSN: "sqlite:PATH",
// "sqlite://PATH" or a bare PATH.
func sqlitePath(dsn string) (string, error) {
	path := dsn
	if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path = strings.TrimPrefix(rest, "//")
	} else if scheme, _, ok := strings.Cut(dsn, "://"); ok && !strings.ContainsAny(scheme, `/\.`) {
		return "", isachub.Errorf(isachub.EINVALID, "The database %q has an unsupported scheme %q: use sqlite:PATH or postgres://...", dsn, scheme)
	}
	if path == "" {
		return "", isachub.Errorf(isachub.EINVALID, "The database %q names no file: use sqlite:PATH.", dsn)
	}
	return path, nil
}

// openStore opens the store that dsn names and applies pending migrations.
func openStore(ctx context.Context, dsn string) (isachub.Store, error) {
	switch {
	case isPostgresDSN(dsn):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return db, nil
	default:
		path, err := sqlitePath(dsn)
		if err != nil {
			return nil, err
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return db, nil
	}
}
