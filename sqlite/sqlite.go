// Package sqlite implements isachub.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go). It is the hub's default store.
//
// # Connections
//
// A DB holds two pools on the same file: one writer connection
// (MaxOpenConns 1, transactions begin IMMEDIATE) and a pool of read-only
// reader connections. The database runs in WAL mode, so readers never block
// the writer nor each other and always see a committed snapshot.
//
// # Durability
//
// The writer runs with synchronous=FULL: every acknowledged commit has been
// fsynced to the write-ahead log, so it survives a process crash (kill -9,
// proven by TestCrashIngest) and a power loss or kernel panic alike. The cost
// is one fsync per transaction, which AddObjects amortises over a whole
// batch: ingesting 100,000 objects in batches of 1,000 made about 250
// fsyncs, 0.15 s in all, on the development machine (BenchmarkIngest also
// measures NORMAL, with which a commit survives a process crash but the
// last commits may be lost on power loss).
//
// Writes that arrive while one is running wait and are then committed
// together (group commit, group_commit.go): each runs in its own SAVEPOINT
// of one transaction, so each keeps its own outcome (one that fails is
// rolled back to its savepoint, the others stay), and none returns before
// the single commit, and its fsync, that makes the whole group durable. Under
// several concurrent clients this shares one disk wait among up to 16
// writes; date_added stays in commit order, since a group becomes visible
// at once.
//
// # Object versions (TAXII 2.1 section 3.2, STIX 2.1 section 3.6)
//
// Every version is stored with its exact received bytes and the columns that
// queries need. A version of a versioned object (SDO, SRO, meta object) is
// identified by its modified timestamp, else its created timestamp,
// normalised so that "...:00Z" and "...:00.000Z" are the same version. An
// object with neither (an SCO) has no version of its own: each distinct
// received copy (by its SHA-256) is a version, identified to TAXII clients by
// its date_added; sending the same bytes again stores nothing.
//
// date_added is assigned in the write transaction as max(now, previous+1µs)
// per collection, so it is unique within the collection and, because SQLite
// has one writer and commits in assignment order, never becomes visible out
// of order: a reader that pages with added_after never skips a row.
//
// The latest version of an object is the one with the greatest version
// timestamp, ties broken by date_added; the first the smallest. Both are
// flagged on insert and delete in the same transaction (is_latest, is_first),
// as is spec_latest (the version has the object's highest spec_version, the
// TAXII default of match[spec_version]). first/last are computed over all
// versions of the id, before the spec_version filter applies.
//
// The first organisation to publish an id in a collection owns it there:
// another organisation's version of it fails with ECONFLICT (the rest of
// the batch is stored), and only the owner may delete it (EFORBIDDEN).
//
// # Queries
//
// Objects runs one statement per page that reads an index in date_added
// order from the cursor, with LIMIT page+1 to learn whether there is more:
// no OFFSET, so page 10,000 costs what page 1 costs (TestExplainObjects
// checks the plans, BenchmarkPage the cost on 1,000,000 objects). The
// cursor (next) is opaque: the last date_added of the page and a hash of the
// filters, so a cursor used with other filters is rejected with EINVALID.
//
// # Confidentiality (TLP 2.0, sharing groups)
//
// The rules live in the root package (isachub.Reader, policy.go; FIRST TLP
// 2.0 and STIX 2.1 section 7.2). This package stores what they need and
// applies the reader's isachub.Visibility (a required argument of every
// read) in the page query: each
// version's own TLP level (stix.EffectiveTLP, 0 when unmarked, so that the
// collection's default applies when read) is the tlp column, written at
// ingest (migration 0002 computes it for versions stored before). Hidden
// levels are filtered in the same index walk, before LIMIT, so more and
// next count visible versions only; "last", "first" and the default
// spec_version become those of the visible versions by a correlated NOT
// EXISTS on objects_id that runs only for rows without the flag
// (TestExplainObjects checks the plans). A reader who may see few of a
// large collection's versions walks the index until a page fills.
// SearchObjects leaves the hidden levels out among its candidates, before
// its limit. A sharing group's collection takes its readers and writers
// from group_members.
//
// # Anonymous publishing and moderation
//
// An anonymous submission's objects are stored by AddObjects' own code
// path with submitter 0, so the community owns their ids, and its record
// (anonymous_submissions, with its object ids in anonymous_objects) is
// written by a hook in the same transaction: both are stored or neither.
// A record id already stored is left as it is (ON CONFLICT DO NOTHING), so
// an approval that is retried stores no second record. The withdrawal
// handle's hash is unique per community; a record without one has NULL
// there. Each community has a 32-byte secret (anon_secret) for re-minting
// the ids of anonymous objects, generated on create and by migration 0003
// for communities that existed before. The moderation queue (pending)
// keeps each submission's objects as one JSON array whose elements are
// their exact received bytes; it is deleted with its collection.
//
// # Full-text search
//
// An FTS5 index holds the name, description, pattern, SCO values, hashes
// and similar text of the latest version of each object, maintained in the
// write transaction. Each word of a user's query becomes a quoted phrase,
// so no input can inject FTS5 syntax.
//
// Open applies pending migrations (see Migrate), so a freshly opened DB is
// always ready to use.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/isachub/isachub"
)

// busyTimeout is how long a connection waits for a lock held by another
// process (another isachub command on the same file) before failing.
const busyTimeout = 10 * time.Second

// writerSync is the writer's synchronous pragma (see Durability in the
// package doc). Only benchmarks change it, to measure what FULL costs.
var writerSync = "FULL"

// DB is an isachub.Store on one SQLite database file.
type DB struct {
	path string
	wr   *sql.DB // the single writer connection
	rd   *sql.DB // read-only connections
	// clock, when set, is the time that date_added and the other stored
	// times are taken from instead of time.Now (SetClock).
	clock atomic.Pointer[func() time.Time]
	// stmts are the writer's prepared statements, once the schema exists.
	stmts *writerStmts
	// wq is the queue of write transactions waiting for the writer.
	wq writeQueue
}

var _ isachub.Store = (*DB)(nil)

// Open opens (creating it when absent) the SQLite database at path and
// applies every pending migration.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The SQLite database path is empty.")
	}
	db := &DB{path: path}
	var err error
	db.wr, err = sql.Open("sqlite", dsn(path, writerSync, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.wr.SetMaxOpenConns(1)
	db.wr.SetMaxIdleConns(1)
	db.wr.SetConnMaxIdleTime(0)
	db.wr.SetConnMaxLifetime(0)
	// The writer creates the file and switches it to WAL before any reader
	// connects, and applies the schema.
	if err := connect(ctx, db.wr); err != nil {
		db.wr.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.wr.Close()
		return nil, err
	}
	// Refresh the query planner's statistics where they are missing or
	// stale, reading at most 400 rows per index (the SQLite documentation's
	// advice for long-lived connections).
	if _, err := db.wr.ExecContext(ctx, `PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002`); err != nil {
		db.wr.Close()
		return nil, internal("optimize", err)
	}
	if db.stmts, err = prepareWriterStmts(ctx, db.wr); err != nil {
		db.wr.Close()
		return nil, err
	}
	db.rd, err = sql.Open("sqlite", dsn(path, "NORMAL", "_pragma=query_only(1)"))
	if err != nil {
		db.wr.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	db.rd.SetMaxOpenConns(n)
	db.rd.SetMaxIdleConns(n)
	if err := connect(ctx, db.rd); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// connect opens the first connection of pool. Switching a new file to WAL
// needs a moment of exclusive access, which SQLite reports as SQLITE_BUSY
// without waiting when other processes open the file at the same time, so
// connect retries that for up to busyTimeout.
func connect(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := pool.PingContext(ctx)
		if err == nil || sqliteCode(err)&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// dsn returns the driver's data source name for path with the connection
// pragmas every connection runs. The WAL is checkpointed every 8192 pages
// (32 MiB) rather than SQLite's 1000: with synchronous=FULL a checkpoint
// costs two fsyncs, and bulk ingest writes about a megabyte per batch, so
// this saves most checkpoints and rewrites of hot index pages; the WAL file
// is truncated back to 64 MiB after a checkpoint.
func dsn(path, synchronous, extra string) string {
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath()}
	q := "_pragma=" + url.QueryEscape(fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds())) +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(" + synchronous + ")" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-32000)" +
		"&_pragma=wal_autocheckpoint(8192)" +
		"&_pragma=journal_size_limit(67108864)" +
		"&" + extra
	return u.String() + "?" + q
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes every connection of the DB.
func (db *DB) Close() error {
	var errs []error
	if db.rd != nil {
		errs = append(errs, db.rd.Close())
	}
	if db.stmts != nil {
		db.stmts.close()
	}
	if db.wr != nil {
		// Let the query planner refresh its statistics where they are
		// stale (cheap; see the SQLite documentation of PRAGMA optimize).
		db.wr.Exec(`PRAGMA optimize`)
		errs = append(errs, db.wr.Close())
	}
	return errors.Join(errs...)
}

// internal wraps an unexpected driver error. Its text never reaches a user:
// isachub.ErrorMessage shows a generic message for it.
func internal(op string, err error) error {
	var e *isachub.Error
	if err == nil {
		return nil
	} else if errors.As(err, &e) {
		return err
	} else if sqliteCode(err)&0xff == sqlite3.SQLITE_FULL {
		return fmt.Errorf("sqlite: %s: %v: %w", op, err, isachub.ErrNoSpace)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// sqliteCode returns the extended result code of a driver error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isForeignKey reports whether err is a FOREIGN KEY violation.
func isForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// isCheck reports whether err is a CHECK or NOT NULL violation.
func isCheck(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_CHECK || c == sqlite3.SQLITE_CONSTRAINT_NOTNULL
}

// micros returns t as microseconds since the epoch; 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros, in UTC.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// nowMicros returns the current time truncated to microseconds.
func (db *DB) nowMicros() int64 { return db.now().UnixMicro() }

// now is the store's clock: time.Now unless SetClock set another.
func (db *DB) now() time.Time {
	if c := db.clock.Load(); c != nil {
		return (*c)()
	}
	return time.Now()
}

// SetClock makes now the store's clock, nil making it time.Now again.
// It exists for the demo, which gives its objects a history of 90 days
// when it seeds an empty hub, before anyone reads: date_added still never
// goes back within a collection (each is at least the last one plus a
// microsecond), so TAXII's added_after paging stays exact.
func (db *DB) SetClock(now func() time.Time) {
	if now == nil {
		db.clock.Store(nil)
		return
	}
	db.clock.Store(&now)
}

// boolInt converts b to SQLite's 0/1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound is the error of a missing row.
func notFound(format string, args ...any) error {
	return isachub.Errorf(isachub.ENOTFOUND, format, args...)
}
