package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub/stix"
)

// Search indexing is off the write path (migration 0003): AddObjects stores
// versions only, and the indexer computes their search words afterwards,
// collection by collection, in date_added order, remembering in
// search_progress how far each collection is indexed. SearchObjects indexes
// the rest of the collections it searches before it queries, so that a
// search sees every write committed before it. A background goroutine of
// every open DB indexes, every indexInterval, what is left once the hub has
// been quiet (no new version in any collection) for indexQuiet, and the
// collections whose oldest unindexed version is older than indexMaxDelay
// in any case: during a bulk ingest, indexing waits for a pause, then
// indexes large chunks, instead of taking CPU from the writers.
const (
	indexInterval = 250 * time.Millisecond
	indexQuiet    = time.Second
	indexMaxDelay = 10 * time.Second
	indexChunk    = 5000 // versions per indexing transaction
)

// indexLoop indexes the collections that have unindexed versions every
// indexInterval until stop is closed. Errors are retried at the next tick:
// a search indexes what it needs itself and reports its own errors.
func (db *DB) indexLoop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop
		cancel()
	}()
	t := time.NewTicker(indexInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			db.indexPending(ctx, nil, true)
		}
	}
}

// indexPending indexes every unindexed version of the given collections,
// or of every collection when colls is nil; when due is set, only if they
// are due (see indexQuiet and indexMaxDelay).
func (db *DB) indexPending(ctx context.Context, colls []string, due bool) error {
	// date_added is the database clock in microseconds (or just above).
	q := `SELECT c.id FROM collections c LEFT JOIN search_progress p ON p.collection_id = c.id
		CROSS JOIN LATERAL (SELECT coalesce(p.indexed_until, 0) AS until,
			(extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now) k
		WHERE c.last_date_added > k.until`
	args := []any{}
	if colls != nil {
		args = append(args, colls)
		q += ` AND c.id = ANY($1)`
	}
	if due {
		args = append(args, indexQuiet.Microseconds(), indexMaxDelay.Microseconds())
		q += fmt.Sprintf(` AND ((SELECT max(last_date_added) FROM collections) < k.now - $%d
			OR (SELECT min(v.date_added) FROM object_versions v
			WHERE v.collection_id = c.id AND v.date_added > k.until) < k.now - $%d)`, len(args)-1, len(args))
	}
	rows, _ := db.pool.Query(ctx, q, args...)
	lagging, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return dbError(err, "find collections to index", "The search index")
	}
	for _, c := range lagging {
		for {
			n, err := db.indexChunk(ctx, c)
			if err != nil {
				return err
			}
			if n < indexChunk {
				break
			}
		}
	}
	return nil
}

// indexChunk indexes up to indexChunk versions of the collection that
// follow its indexed_until, in one transaction that holds the collection's
// search_progress row, so that concurrent indexers (other replicas, a
// search) take turns and index each version once. It returns how many
// versions it indexed.
func (db *DB) indexChunk(ctx context.Context, coll string) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO search_progress (collection_id, indexed_until)
			SELECT id, 0 FROM collections WHERE id = $1 ON CONFLICT (collection_id) DO NOTHING`, coll)
		if err != nil {
			return err
		}
		var until int64
		err = tx.QueryRow(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1 FOR UPDATE`, coll).Scan(&until)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // the collection is gone: nothing to index
		} else if err != nil {
			return err
		}
		// Versions above until that this statement sees are a prefix of the
		// collection's: writers commit in date_added order.
		rows, _ := tx.Query(ctx, `SELECT date_added, raw FROM object_versions
			WHERE collection_id = $1 AND date_added > $2 ORDER BY date_added LIMIT $3`, coll, until, indexChunk)
		type entry struct {
			da  int64
			raw []byte
		}
		var es []entry
		var e entry
		_, err = pgx.ForEachRow(rows, []any{&e.da, &e.raw}, func() error {
			es = append(es, entry{e.da, e.raw})
			return nil
		})
		if err != nil || len(es) == 0 {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"object_search"}, []string{"collection_id", "date_added", "search"},
			pgx.CopyFromSlice(len(es), func(i int) ([]any, error) {
				o, err := stix.ParseObject(es[i].raw)
				if err != nil { // stored objects were parsed on the way in
					return nil, err
				}
				return []any{coll, es[i].da, searchVector(o)}, nil
			}))
		if err != nil {
			return err
		}
		n = len(es)
		_, err = tx.Exec(ctx, `UPDATE search_progress SET indexed_until = $2 WHERE collection_id = $1`, coll, es[n-1].da)
		return err
	})
	if err != nil {
		return 0, dbError(err, "index collection", "Collection "+quote(coll))
	}
	return n, nil
}
