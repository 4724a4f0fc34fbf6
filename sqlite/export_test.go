package sqlite

import (
	"context"
	"database/sql"

	"github.com/isachub/isachub"
)

// ExplainObjects returns the EXPLAIN QUERY PLAN details of the page query
// that Objects runs for f.
func (db *DB) ExplainObjects(ctx context.Context, collectionID string, see isachub.Visibility, f isachub.ObjectFilter) ([]string, error) {
	q, args, _, err := objectQuery(collectionID, f, see.Hidden())
	if err != nil {
		return nil, err
	}
	return db.explain(ctx, q, args...)
}

// ExplainSearch returns the plan of the search query.
func (db *DB) explain(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		out = append(out, detail)
	}
	return out, rows.Err()
}

// Exec runs a statement on the writer, for tests that inspect or damage
// the database.
func (db *DB) Exec(ctx context.Context, q string, args ...any) error {
	_, err := db.wr.ExecContext(ctx, q, args...)
	return err
}

// ExplainLoad returns the plan of the query that loads known versions.
func (db *DB) ExplainLoad(ctx context.Context) ([]string, error) {
	return db.explain(ctx, `SELECT pk FROM objects WHERE coll = ? AND id IN (SELECT value FROM json_each(?))`, 1, `["a"]`)
}

// QueryString runs a query that returns one text value, on a reader.
func (db *DB) QueryString(ctx context.Context, q string) (string, error) {
	var s string
	err := db.rd.QueryRowContext(ctx, q).Scan(&s)
	return s, err
}

// SetWriterSync sets the synchronous pragma of writers opened from now on
// and returns a function that restores it.
func SetWriterSync(mode string) (restore func()) {
	old := writerSync
	writerSync = mode
	return func() { writerSync = old }
}

// ExplainSearch returns the plan of the query SearchObjects runs.
func (db *DB) ExplainSearch(ctx context.Context, colls []string, query string, hidden map[string]isachub.TLPSet) ([]string, error) {
	q, args := searchWalkSQL(ftsQuery(query), colls, hidden, isachub.SearchQuery{Text: query, Types: []string{"indicator"}})
	args = append(args, 1<<62, 64)
	return db.explain(ctx, q, args...)
}

// OpenAt opens the database at path with its writer only, applying the
// migrations up to version upTo, for tests of later migrations on
// databases that have data. Only Exec and Close may be used on it, and
// the writes (such as AddObjects) when the schema at upTo has every table
// the writer's statements use (migration 0007 and later).
func OpenAt(ctx context.Context, path string, upTo int) (*DB, error) {
	db := &DB{path: path}
	var err error
	if db.wr, err = sql.Open("sqlite", dsn(path, writerSync, "_txlock=immediate")); err != nil {
		return nil, err
	}
	db.wr.SetMaxOpenConns(1)
	if err := db.migrate(ctx, upTo); err != nil {
		db.wr.Close()
		return nil, err
	}
	if upTo >= 7 {
		if db.stmts, err = prepareWriterStmts(ctx, db.wr); err != nil {
			db.wr.Close()
			return nil, err
		}
	}
	return db, nil
}
