package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"github.com/isachub/isachub"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// migrations holds the schema, one numbered file per step:
// migrations/0001_init.sql, 0002_....sql and so on.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migration is one step of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in version order.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlite: migration %s: the name must start with a positive number and '_'", base)
		}
		data, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(data)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("sqlite: migrations %s and %s have the same number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaVersion returns the version of the newest embedded migration.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies every pending migration, each in its own IMMEDIATE
// transaction that also records it in schema_migrations. Several processes
// migrating the same file at once are safe: the write lock serialises them
// and each re-reads the applied versions inside its transaction.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(ctx, math.MaxInt)
}

// migrate applies every pending migration up to version upTo.
func (db *DB) migrate(ctx context.Context, upTo int) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := db.wr.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return internal("create schema_migrations", err)
	}
	for _, m := range ms {
		if m.version > upTo {
			break
		}
		err := db.write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return internal("read schema_migrations", err)
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, db.nowMicros()); err != nil {
				return internal("record migration "+m.name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// AppliedMigrations returns the versions recorded in schema_migrations, in
// order.
func (db *DB) AppliedMigrations(ctx context.Context) ([]int, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, internal("read schema_migrations", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, internal("read schema_migrations", err)
		}
		vs = append(vs, v)
	}
	return vs, internal("read schema_migrations", rows.Err())
}

// Ready reports why the database cannot be served, or nil: it does not
// answer, or its applied migrations are not this binary's
// (isachub.CheckSchema).
func (db *DB) Ready(ctx context.Context) error {
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		return err
	}
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	known := make([]int, len(ms))
	for i, m := range ms {
		known[i] = m.version
	}
	return isachub.CheckSchema(applied, known)
}
