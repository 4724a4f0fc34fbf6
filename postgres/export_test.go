package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/isachub/isachub"
)

// DecodeCursor exposes the cursor decoder to the external tests: it decodes
// s as a cursor of the query (collectionID, f).
func DecodeCursor(s, collectionID string, f isachub.ObjectFilter) (int64, error) {
	return decodeCursor(s, queryHash(collectionID, &f))
}

// EncodeCursor exposes the cursor encoder to the external tests.
func EncodeCursor(collectionID string, f isachub.ObjectFilter, dateAdded int64) string {
	return encodeCursor(queryHash(collectionID, &f), dateAdded)
}

// ExplainObjects returns PostgreSQL's plan (EXPLAIN, text format) of the
// query that Objects runs for f.
func (db *DB) ExplainObjects(ctx context.Context, collectionID string, see isachub.Visibility, f isachub.ObjectFilter) (string, error) {
	q, err := objectsQuery(collectionID, f, see.Hidden())
	if err != nil {
		return "", err
	}
	rows, _ := db.pool.Query(ctx, "EXPLAIN "+q.sql, q.args...)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), err
}

// Exec runs one SQL statement on the store's pool, for tests that need to
// set up or inspect the database directly.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := db.pool.Exec(ctx, sql, args...)
	return err
}

// QueryInt64 runs a query that returns one integer, for test setup.
func (db *DB) QueryInt64(ctx context.Context, sql string, args ...any) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, sql, args...).Scan(&n)
	return n, err
}

// CopyBaseline copies rows of (id, raw) into table with COPY in one
// transaction: the floor that BenchmarkIngest is compared with.
func (db *DB) CopyBaseline(ctx context.Context, table string, ids []string, raws [][]byte) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, []string{"id", "raw"},
			pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) { return []any{ids[i], raws[i]}, nil }))
		return err
	})
}

// OpenAt connects like Open but applies the migrations up to version upTo
// only and starts no search indexer, for tests of later migrations on
// databases that have data.
func OpenAt(ctx context.Context, dsn string, upTo int) (*DB, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db := &DB{pool: pool, stop: make(chan struct{}), indexed: make(chan struct{})}
	close(db.indexed)
	if err := db.migrate(ctx, upTo); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}
