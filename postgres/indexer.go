package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/isachub/isachub"
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

// indexPending indexes every version of the given collections (of every
// collection when colls is nil) that was committed when it started. When
// due is set, it indexes only while they are due (see indexQuiet and
// indexMaxDelay), one chunk at a time, and gives way as soon as writers are
// back.
func (db *DB) indexPending(ctx context.Context, colls []string, due bool) error {
	for {
		lagging, err := db.lagging(ctx, colls, due)
		if err != nil || len(lagging) == 0 {
			return err
		}
		for _, l := range lagging {
			for {
				until, err := db.indexChunk(ctx, l.coll, l.last)
				if err != nil {
					return err
				}
				if until >= l.last || due {
					break
				}
			}
		}
		if !due {
			return nil
		}
	}
}

// lag is a collection with unindexed versions, up to date_added last.
type lag struct {
	coll string
	last int64
}

// lagging returns the collections with unindexed versions, among colls (or
// all when colls is nil), and when due is set only those due.
func (db *DB) lagging(ctx context.Context, colls []string, due bool) ([]lag, error) {
	// date_added is the database clock in microseconds (or just above).
	q := `SELECT c.id, c.last_date_added FROM collections c LEFT JOIN search_progress p ON p.collection_id = c.id
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
	ls, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (lag, error) {
		var l lag
		err := row.Scan(&l.coll, &l.last)
		return l, err
	})
	if err != nil {
		return nil, dbError(err, "find collections to index", "The search index")
	}
	return ls, nil
}

// indexChunk indexes up to indexChunk versions of the collection that
// follow its indexed_until and go up to date_added last, a value of
// last_date_added that was committed: every version up to it is visible.
// It runs in one transaction that holds the collection's search_progress
// row, so that concurrent indexers (other replicas, a search) take turns
// and index each version once. It returns the new indexed_until: last once
// every version up to it is indexed (deleted versions leave gaps).
func (db *DB) indexChunk(ctx context.Context, coll string, last int64) (int64, error) {
	var until int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO search_progress (collection_id, indexed_until)
			SELECT id, 0 FROM collections WHERE id = $1 ON CONFLICT (collection_id) DO NOTHING`, coll)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT indexed_until FROM search_progress WHERE collection_id = $1 FOR UPDATE`, coll).Scan(&until)
		if errors.Is(err, pgx.ErrNoRows) {
			until = last
			return nil // the collection is gone: nothing to index
		} else if err != nil || until >= last {
			return err // another indexer was first
		}
		rows, _ := tx.Query(ctx, `SELECT date_added, raw FROM object_versions
			WHERE collection_id = $1 AND date_added > $2 AND date_added <= $3
			ORDER BY date_added LIMIT $4`, coll, until, last, indexChunk)
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
		if err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"object_search"}, []string{"collection_id", "date_added", "search"},
			pgx.CopyFromSlice(len(es), func(i int) ([]any, error) {
				// Stored objects were parsed on the way in; should a later,
				// stricter parser refuse one, it must not stop the indexing
				// of the rest: it gets no words.
				o, err := stix.ParseObject(es[i].raw)
				if err != nil {
					return []any{coll, es[i].da, pgtype.TSVector{Valid: true}}, nil
				}
				return []any{coll, es[i].da, searchVector(o)}, nil
			}))
		if err != nil {
			return err
		}
		var refs [][]any
		for _, e := range es {
			if o, err := stix.ParseObject(e.raw); err == nil {
				for _, r := range isachub.References(o) {
					refs = append(refs, []any{coll, e.da, r.Property, r.Ref})
				}
			}
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"object_refs"}, []string{"collection_id", "date_added", "prop", "ref"},
			pgx.CopyFromRows(refs))
		if err != nil {
			return err
		}
		until = last
		if len(es) == indexChunk {
			until = es[len(es)-1].da
		}
		_, err = tx.Exec(ctx, `UPDATE search_progress SET indexed_until = $2 WHERE collection_id = $1`, coll, until)
		return err
	})
	if err != nil {
		return 0, dbError(err, "index collection", "Collection "+quote(coll))
	}
	return until, nil
}
