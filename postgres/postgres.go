// Package postgres implements isachub.Store on PostgreSQL with pgx/v5, for
// hubs that run several replicas against one database.
//
// # Storage
//
// Every STIX object version is kept exactly as received (the bytes, in a
// bytea column: jsonb would reorder keys and reformat values), together with
// the fields that TAXII 2.1 queries need (section 3.4: added_after, match[id],
// match[type], match[version], match[spec_version]). Schema migrations are
// embedded (migrations/NNNN_name.sql), recorded in schema_migrations, and
// applied under a PostgreSQL advisory lock, so that replicas starting at
// once apply each migration exactly once.
//
// # date_added and concurrent writers
//
// TAXII clients page with added_after (or our opaque next cursor, which is
// the same thing) and must never miss an object. With plain sequences or
// clock values that is not guaranteed on PostgreSQL: transaction A may take
// date_added t1, transaction B t2 > t1, B commit first, and a reader that
// saw B's row and then pages with added_after=t2 would never see A's row.
//
// This package prevents that by serialising writers per collection: a write
// transaction first locks the collection's row (SELECT ... FOR UPDATE), then
// assigns date_added = max(now, last_date_added+1) under that lock, stores
// last_date_added and commits, which releases the lock. The next writer of
// the collection can only take a larger date_added after the previous one has
// committed, so commit order equals date_added order and a row with a smaller
// date_added can never become visible after one with a larger date_added.
// The price is one writer at a time per collection, which bulk ingest with
// COPY keeps short (one transaction of four round trips per AddObjects);
// writers to different collections do not wait for each other. A visibility
// horizon (readers only see date_added below the oldest running writer's)
// would allow parallel writers but makes every read depend on writer
// bookkeeping. The same lock serialises the ownership check, duplicate
// detection and the first/latest flags of AddObjects and DeleteObject. It
// also keeps the collection in existence until the versions commit, so
// object_versions needs no foreign key (whose per-row check cost a sixth
// of bulk ingest): a statement trigger deletes a deleted collection's
// versions (migration 0004).
//
// # Object versions (TAXII 2.1 section 3.2, STIX 2.1 section 3.6)
//
// The semantics are those of the sqlite package, and the storetest suite
// holds both to them: a version is identified by its modified timestamp,
// else its created timestamp, normalised (to microseconds, PostgreSQL's
// precision) so that "...:00Z" and "...:00.000Z" are one version; an
// object with neither (an SCO) has a version per distinct received copy,
// identified by its date_added. The first organisation to publish an id in
// a collection owns it; only it may add versions or delete them. The latest
// version has the greatest version timestamp, ties broken by date_added;
// is_first, is_latest and spec_latest flags make match[version] and the
// default of match[spec_version] index filters.
//
// # Pages and search
//
// Objects answers one page in one query that walks the (collection_id,
// date_added) or (collection_id, type, date_added) index from the keyset
// bound (TestObjectsPlan checks the plans): page 10,000 costs what page 1
// costs. Full-text search uses a tsvector of the searchable properties'
// words computed by this package, a GIN index, and a tsquery built from the
// query's words, so user input is never parsed as query syntax.
//
// Search indexing is not on the write path: AddObjects writes
// object_versions only (issue 4 asks 50,000 objects/s of bulk ingest, and
// the GIN index alone cost about as much as the rest of the write). An
// indexer fills the object_search table afterwards, in date_added order per
// collection, and records how far it got in search_progress; since writers
// commit a collection's versions in date_added order, the versions above
// that mark are exactly those left to index. SearchObjects first indexes
// what is left in the collections it searches, so its results include every
// write committed before it; a background goroutine indexes the rest when
// the hub has been quiet for a second (giving way again, chunk by chunk,
// when writers are back), and in any case once a version has waited ten
// seconds. A replica's indexer and a search take turns on a collection by
// locking its search_progress row, and each version is indexed once.
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
// spec_version become those of the visible versions by a per-row NOT EXISTS
// on the (collection_id, id, vkey) index that runs only for rows without
// the flag. A reader who may see few of a large collection's versions walks
// the index until a page fills. SearchObjects leaves the hidden levels out
// before its limit. A sharing group's collection takes its readers and
// writers from group_members.
//
// # Anonymous publishing and moderation
//
// An anonymous submission's objects are stored by AddObjects' own code
// path with submitter 0, so the community owns their ids; its record
// (anonymous_submissions, with its object ids in anonymous_objects) is one
// statement queued by a hook in the batch that commits the objects, under
// the same collection lock: both are stored or neither. A record id
// already stored is left as it is (ON CONFLICT (id) DO NOTHING), so an
// approval that is retried stores no second record. The withdrawal
// handle's hash is unique per community; a record without one has NULL
// there. Each community has a 32-byte secret (anon_secret) for re-minting
// the ids of anonymous objects, generated on create and by migration 0005
// for communities that existed before. The moderation queue (pending)
// keeps each submission's objects as one JSON array of their exact
// received bytes, in a bytea column (jsonb would reformat them); it is
// deleted with its collection by a foreign key, a cost that this
// low-volume table can afford.
//
// # Durability and backup
//
// Commits use synchronous_commit=on: an acknowledged AddObjects survives a
// crash of the database server. Back up with PostgreSQL's own tools, for
// example pg_dump -Fc -f isachub.dump 'postgres://...' (and pg_restore), or
// continuous archiving for point-in-time recovery; isachub backup handles
// SQLite only.
//
// # Errors
//
// Driver errors never reach users: unique violations become ECONFLICT,
// missing rows ENOTFOUND, invalid input (SQLSTATE classes 22 and 23)
// EINVALID, each with a message of our own; anything else is wrapped and
// reported as EINTERNAL by isachub.ErrorMessage.
package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/isachub/isachub"
)

// DB is an isachub.Store on a PostgreSQL database. It is safe for concurrent
// use by several goroutines and several processes.
type DB struct {
	pool     *pgxpool.Pool
	stop     chan struct{} // closed by Close: stops the search indexer
	indexed  chan struct{} // closed when the search indexer has stopped
	stopOnce sync.Once
}

var _ isachub.Store = (*DB)(nil)

// Open connects to the PostgreSQL database named by dsn (a postgres:// URL
// or a key=value connection string understood by pgx) and applies every
// pending migration. Runtime parameters such as search_path may be given in
// the DSN.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error may quote the password: do not show it.
		return nil, isachub.Errorf(isachub.EINVALID, "The PostgreSQL connection string is invalid.")
	}
	// Durability is the server's default (synchronous_commit=on): an
	// acknowledged AddObjects survives a crash of the database server.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	db := &DB{pool: pool, stop: make(chan struct{}), indexed: make(chan struct{})}
	if err := db.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	go db.indexLoop(db.stop, db.indexed)
	return db, nil
}

// Close stops the search indexer and releases the store's connections.
func (db *DB) Close() error {
	db.stopOnce.Do(func() { close(db.stop) })
	<-db.indexed
	db.pool.Close()
	return nil
}
