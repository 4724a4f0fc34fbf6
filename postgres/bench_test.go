package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// BenchmarkIngest adds 100,000 indicators to an empty collection through
// AddObjects in batches of 1,000, each batch one durable transaction
// (synchronous_commit on). Target: at least 50,000 objects/s (issue 4).
// Search indexing is not part of the write path: the store's background
// indexer may run meanwhile (it waits for a quiet hub), and
// BenchmarkIngestSearchable measures ingest and indexing together.
func BenchmarkIngest(b *testing.B) {
	benchIngest(b, false)
}

// BenchmarkIngestSearchable is BenchmarkIngest followed by a search, which
// first indexes whatever the background indexer has left: the rate at
// which objects become searchable.
func BenchmarkIngestSearchable(b *testing.B) {
	benchIngest(b, true)
}

func benchIngest(b *testing.B, search bool) {
	const total, batch = 100_000, 1000
	objs := make([]*stix.Object, total)
	for i := range objs {
		objs[i] = indicator(b, i)
	}
	db := openDB(b)
	org, _ := setup(b, db)
	for b.Loop() {
		b.StopTimer()
		coll := newCollection(b, db)
		b.StartTimer()
		for i := 0; i < total; i += batch {
			res, err := db.AddObjects(b.Context(), coll, org.ID, objs[i:i+batch])
			if err != nil {
				b.Fatal(err)
			}
			if res[0].Err != nil {
				b.Fatal(res[0].Err)
			}
		}
		if search {
			vs, err := storetest.Searched(db.SearchObjects(b.Context(), isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: fmt.Sprintf("server number %d", total-1), Limit: 10}))
			if err != nil || len(vs) != 1 {
				b.Fatalf("search after ingest: %d results, error %v; want 1 result", len(vs), err)
			}
		}
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkIngestBaseline copies the same 100,000 indicators, as (id, raw)
// rows, into a table without indexes, 1,000 per durable transaction: what
// this machine's PostgreSQL does at best, to read BenchmarkIngest against.
func BenchmarkIngestBaseline(b *testing.B) {
	const total, batch = 100_000, 1000
	ids := make([]string, total)
	raws := make([][]byte, total)
	for i := range ids {
		o := indicator(b, i)
		ids[i], raws[i] = o.ID(), o.Raw()
	}
	db := openDB(b)
	ctx := b.Context()
	for b.Loop() {
		b.StopTimer()
		mustOK(b, db.Exec(ctx, "DROP TABLE IF EXISTS baseline; CREATE TABLE baseline (id text NOT NULL, raw bytea NOT NULL)"))
		b.StartTimer()
		for i := 0; i < total; i += batch {
			mustOK(b, db.CopyBaseline(ctx, "baseline", ids[i:i+batch], raws[i:i+batch]))
		}
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// benchObjects is the size of the collection BenchmarkPage reads.
const benchObjects = 1_000_000

// benchSchema holds the 1,000,000-object collection of BenchmarkPage. It is
// built once (several minutes) and kept between runs; the name carries the
// schema version, so a new migration builds a new one. Drop it with
// DROP SCHEMA isachub_bench_1m_v3 CASCADE.
const benchSchema = "isachub_bench_1m_v3"

// BenchmarkPage fetches a page of 1,000 indicators by type and added_after
// from a collection of 1,000,000 objects (one in twenty a malware), at page
// 1 and at page 900. Target: under 30 ms each (issue 4).
func BenchmarkPage(b *testing.B) {
	db, coll := benchCollection(b)
	ctx := b.Context()
	for _, page := range []int{1, 900} {
		// The added_after of page N is the date_added of the last indicator
		// of page N-1 (setup only: the benchmark never uses OFFSET).
		var after time.Time
		if page > 1 {
			da, err := db.QueryInt64(ctx, `SELECT date_added FROM object_versions
				WHERE collection_id = $1 AND type = 'indicator' ORDER BY date_added OFFSET $2 LIMIT 1`,
				coll, (page-1)*1000-1)
			mustOK(b, err)
			after = time.UnixMicro(da)
		}
		b.Run(fmt.Sprintf("Page%d", page), func(b *testing.B) {
			f := isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: after, Limit: 1000}
			for b.Loop() {
				p, err := db.Objects(ctx, coll, isachub.Unrestricted(), f)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Objects) != 1000 || !p.More {
					b.Fatalf("page %d has %d objects, more %v", page, len(p.Objects), p.More)
				}
			}
		})
	}
}

// benchCollection opens the store in benchSchema, building the collection
// of benchObjects objects when it is not there yet, and returns its id.
func benchCollection(b *testing.B) (*postgres.DB, string) {
	b.Helper()
	dsn := testDSN(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	mustOK(b, err)
	defer conn.Close(ctx)
	var ready bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables
		WHERE table_schema = $1 AND table_name = 'bench_ready')`, benchSchema).Scan(&ready)
	mustOK(b, err)
	if !ready {
		_, err = conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+benchSchema+" CASCADE; CREATE SCHEMA "+benchSchema)
		mustOK(b, err)
	}
	db := openDSN(b, pgtest.WithSearchPath(b, dsn, benchSchema))
	if ready {
		var coll string
		mustOK(b, conn.QueryRow(ctx, "SELECT id FROM "+benchSchema+".bench_ready").Scan(&coll))
		return db, coll
	}
	b.Logf("building %d objects in schema %s (once)", benchObjects, benchSchema)
	start := time.Now()
	org, coll := setup(b, db)
	const batch = 5000
	objs := make([]*stix.Object, batch)
	for first := 0; first < benchObjects; first += batch {
		for i := range objs {
			if n := first + i; n%20 == 0 {
				objs[i] = malware(b, n)
			} else {
				objs[i] = indicator(b, n)
			}
		}
		res, err := db.AddObjects(ctx, coll.ID, org.ID, objs)
		mustOK(b, err)
		mustOK(b, res[0].Err)
	}
	mustOK(b, db.Exec(ctx, "ANALYZE"))
	mustOK(b, db.Exec(ctx, "CREATE TABLE bench_ready (id text NOT NULL)"))
	mustOK(b, db.Exec(ctx, "INSERT INTO bench_ready VALUES ($1)", coll.ID))
	b.Logf("built in %v", time.Since(start))
	return db, coll.ID
}
