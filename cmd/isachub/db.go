package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
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

// createFlag registers --create: make the SQLite database if it does not
// exist yet.
func createFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("create", false, "create the SQLite database file if it does not exist")
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
// An SQLite file that does not exist is created only when create is set
// (migrate, serve --demo, --create); otherwise the error says which file
// was looked for and how to make one, so that a mistyped path never
// silently becomes an empty hub.
func openStore(ctx context.Context, dsn string, create bool) (isachub.Store, error) {
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
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !create {
			abs, _ := filepath.Abs(path)
			return nil, isachub.Errorf(isachub.ENOTFOUND,
				"There is no database at %s (looked for the SQLite file %s). Create one with 'isachub migrate --db %s' (or add --create), or start a demo hub with 'isachub serve --demo'.",
				dsn, abs, dsn)
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return db, nil
	}
}
