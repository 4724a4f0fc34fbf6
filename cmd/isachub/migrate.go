package main

import (
	"context"
	"flag"
	"fmt"
)

// runMigrate is "isachub migrate": apply every pending schema migration.
func runMigrate(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub migrate [--db DSN]\n\nApply every pending schema migration (the server also does at start).")
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	dsn := resolveDSN(env, *db)
	s, err := openStore(ctx, dsn, true)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub migrate: %s\n", describeErr(err))
		return failureCode(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "isachub migrate: %s\n", describeErr(err))
		return exitFailure
	}
	fmt.Fprintln(env.Stdout, "The database schema is up to date.")
	return exitOK
}
