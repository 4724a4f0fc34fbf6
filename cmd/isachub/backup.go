package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/isachub/isachub"
)

// runBackup is "isachub backup": write an online, consistent copy of an
// SQLite database to a new file.
func runBackup(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub backup [--db DSN] FILE\n\n"+
			"Write a consistent copy of the SQLite database to the new FILE while the hub runs.\n"+
			"For PostgreSQL use pg_dump (for example: pg_dump -Fc -f FILE DSN).")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	dst := fs.Arg(0)
	dsn := resolveDSN(env, *db)
	if isPostgresDSN(dsn) {
		fmt.Fprintln(env.Stderr, "isachub backup: backs up SQLite databases only; for PostgreSQL use pg_dump, for example:\n  pg_dump -Fc -f FILE 'postgres://...'")
		return exitUsage
	}
	path, err := sqlitePath(dsn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub backup: %s\n", describeErr(err))
		return exitFailure
	}
	// Backing up must not create an empty database where there was none.
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(env.Stderr, "isachub backup: the database %s cannot be read: %v\n", path, err)
		return exitFailure
	}
	s, err := openStore(ctx, dsn, false)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub backup: %s\n", describeErr(err))
		return failureCode(err)
	}
	defer s.Close()
	b, ok := s.(interface {
		Backup(ctx context.Context, dst string) error
	})
	if !ok {
		fmt.Fprintln(env.Stderr, "isachub backup: this database cannot be backed up by isachub")
		return exitFailure
	}
	if err := b.Backup(ctx, dst); err != nil {
		fmt.Fprintf(env.Stderr, "isachub backup: %s\n", describeErr(err))
		return exitFailure
	}
	fi, err := os.Stat(dst)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub backup: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(env.Stdout, "Wrote a backup of %s to %s (%d bytes).\n", path, dst, fi.Size())
	return exitOK
}

// describeErr returns the message of an isachub.Error, and the whole error
// text otherwise: the command line is run by the operator, who may see
// internal detail.
func describeErr(err error) string {
	var e *isachub.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// failureCode is the exit code for err: exitUsage when a value given on
// the command line is wrong (EINVALID: a DSN of an unknown kind, a bad
// flag value), exitFailure for anything that went wrong while running.
func failureCode(err error) int {
	if isachub.ErrorCode(err) == isachub.EINVALID {
		return exitUsage
	}
	return exitFailure
}
