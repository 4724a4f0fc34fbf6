package sqlite_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// benchTenant creates a community, an organisation and a collection.
func benchTenant(tb testing.TB, ctx context.Context, db *sqlite.DB) (org int64, coll string) {
	tb.Helper()
	c := &isachub.Community{Slug: "bench", Title: "Bench"}
	if err := db.CreateCommunity(ctx, c); err != nil {
		tb.Fatal(err)
	}
	o := &isachub.Org{CommunityID: c.ID, Slug: "acme", Name: "Acme"}
	if err := db.CreateOrg(ctx, o); err != nil {
		tb.Fatal(err)
	}
	col := &isachub.Collection{CommunityID: c.ID, Title: "Bench", ReadAll: true, WriteAll: true}
	if err := db.CreateCollection(ctx, col); err != nil {
		tb.Fatal(err)
	}
	return o.ID, col.ID
}

// ingest adds objs in batches and fails on any per-object error.
func ingest(tb testing.TB, ctx context.Context, db *sqlite.DB, coll string, org int64, objs []*stix.Object, batch int) {
	tb.Helper()
	if err := addBatches(ctx, db, coll, org, objs, batch); err != nil {
		tb.Fatal(err)
	}
}

// addBatches adds objs in batches and returns the first error.
func addBatches(ctx context.Context, db *sqlite.DB, coll string, org int64, objs []*stix.Object, batch int) error {
	for i := 0; i < len(objs); i += batch {
		res, err := db.AddObjects(ctx, coll, org, objs[i:min(i+batch, len(objs))])
		if err != nil {
			return err
		}
		for _, r := range res {
			if r.Err != nil {
				return r.Err
			}
		}
	}
	return nil
}

// BenchmarkIngest adds 100,000 indicators in batches of 1,000 to a fresh
// database, each batch one transaction: with synchronous=FULL (the
// default: each commit is fsynced, durable across power loss) and, for
// comparison, NORMAL (durable across process crashes only).
func BenchmarkIngest(b *testing.B) {
	const n, batch = 100_000, 1_000
	objs := storetest.Indicators(0, n)
	ctx := context.Background()
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run("sync="+mode, func(b *testing.B) {
			defer sqlite.SetWriterSync(mode)()
			var total, cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ingest.db"))
				if err != nil {
					b.Fatal(err)
				}
				org, coll := benchTenant(b, ctx, db)
				b.StartTimer()
				start, startCPU := time.Now(), cpuTime()
				ingest(b, ctx, db, coll, org, objs, batch)
				total += time.Since(start)
				cpu += cpuTime() - startCPU
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "objects/s")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/object")
			}
		})
	}
}

// BenchmarkIngestRelationships adds 100,000 relationships from indicators
// to 900 malware, in batches of 1,000, to a database at the schema before
// the ranking kept as objects arrive (migration 0009, "schema=8") and
// with it, to show what its triggers cost ingest.
func BenchmarkIngestRelationships(b *testing.B) {
	const n, batch = 100_000, 1_000
	objs := make([]*stix.Object, n)
	for i := range objs {
		o, err := stix.ParseObject(fmt.Appendf(nil, `{"type":"relationship","spec_version":"2.1","id":"relationship--%s",
			"created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","relationship_type":"indicates",
			"source_ref":%q,"target_ref":%q}`, storetest.UUID(7, i), storetest.IndicatorID(i), storetest.MalwareID(i%900)))
		if err != nil {
			b.Fatal(err)
		}
		objs[i] = o
	}
	ctx := context.Background()
	for _, schema := range []int{8, sqlite.SchemaVersion()} {
		b.Run(fmt.Sprintf("schema=%d", schema), func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				db, err := sqlite.OpenAt(ctx, filepath.Join(b.TempDir(), "ingest.db"), schema)
				if err != nil {
					b.Fatal(err)
				}
				org, coll := benchTenant(b, ctx, db)
				b.StartTimer()
				start := time.Now()
				ingest(b, ctx, db, coll, org, objs, batch)
				total += time.Since(start)
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "objects/s")
		})
	}
}

// schemaHash identifies the embedded migrations, so a cached benchmark
// database is rebuilt whenever the schema changes.
func schemaHash(b *testing.B) string {
	b.Helper()
	h := sha256.New()
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no migrations found: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		h.Write([]byte(f))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// bigDB returns a database with 1,000,000 objects in one collection (19 of
// every 20 an indicator, the rest malware), built once and cached as
// $TMPDIR/isachub-bench-1M-<schema hash>.db (rebuilt when the migrations
// change; delete it to rebuild by hand). It also returns the collection id
// and the date_added after which the n-th indicator page of 1,000 starts,
// for pages 1 and 900.
func bigDB(b *testing.B) (db *sqlite.DB, coll string, after map[int]time.Time) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "isachub-bench-1M-"+schemaHash(b)+".db")
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".building"
		os.Remove(tmp)
		db, err := sqlite.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		org, coll := benchTenant(b, ctx, db)
		const n, batch = 1_000_000, 5_000
		for i := 0; i < n; i += batch {
			objs := make([]*stix.Object, 0, batch)
			for j := i; j < i+batch; j++ {
				if j%20 == 19 {
					objs = append(objs, storetest.Malware(j))
				} else {
					objs = append(objs, storetest.Indicator(j))
				}
			}
			ingest(b, ctx, db, coll, org, objs, batch)
		}
		db.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	colls, err := db.Collections(ctx, 1)
	if err != nil || len(colls) != 1 {
		b.Fatalf("cached benchmark database %s is not usable (%v): delete it", path, err)
	}
	coll = colls[0].ID
	// Walk the indicator pages once to find where pages 1 and 900 start.
	after = map[int]time.Time{1: {}}
	f := isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000}
	for p := 1; p < 900; p++ {
		page, err := db.Objects(ctx, coll, isachub.Unrestricted(), f)
		if err != nil || !page.More {
			b.Fatalf("page %d: %v (more %v)", p, err, page != nil && page.More)
		}
		f.Next = page.Next
		after[p+1] = page.Objects[len(page.Objects)-1].DateAdded
	}
	return db, coll, after
}

// BenchmarkPage fetches a page of 1,000 indicators by type and added_after
// from a collection of 1,000,000 objects, at page 1 and at page 900.
func BenchmarkPage(b *testing.B) {
	db, coll, after := bigDB(b)
	ctx := context.Background()
	for _, p := range []int{1, 900} {
		b.Run(fmt.Sprintf("page%d", p), func(b *testing.B) {
			f := isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: after[p], Limit: 1000}
			for b.Loop() {
				page, err := db.Objects(ctx, coll, isachub.Unrestricted(), f)
				if err != nil || len(page.Objects) != 1000 || !page.More {
					b.Fatalf("page %d: %v", p, err)
				}
			}
		})
	}
}

// BenchmarkIngestConcurrent adds 100,000 indicators in batches of 1,000
// from 4 goroutines at once, as 4 TAXII clients would: the writes are
// serialised by the one writer, the preparation of each batch is not.
func BenchmarkIngestConcurrent(b *testing.B) {
	const n, batch, clients = 100_000, 1_000, 4
	objs := storetest.Indicators(0, n)
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ingest.db"))
		if err != nil {
			b.Fatal(err)
		}
		org, coll := benchTenant(b, ctx, db)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		per := n / clients
		for c := range clients {
			wg.Go(func() {
				if err := addBatches(ctx, db, coll, org, objs[c*per:(c+1)*per], batch); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		total += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "objects/s")
}

// BenchmarkSearch runs full-text queries on the 1,000,000-object
// collection: a rare term (one indicator's IP address) and a term that
// 95% of the objects contain.
func BenchmarkSearch(b *testing.B) {
	db, coll, _ := bigDB(b)
	ctx := context.Background()
	for _, q := range []struct{ name, query string }{
		{"rare", "198.51.100.7"},
		{"common", "malicious"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				res, err := storetest.Searched(db.SearchObjects(ctx, isachub.UnrestrictedScope(coll), isachub.SearchQuery{Text: q.query, Limit: 100}))
				if err != nil || len(res) == 0 {
					b.Fatalf("search %q: %v, %d results", q.query, err, len(res))
				}
			}
		})
	}
}

// BenchmarkPageTLP is BenchmarkPage with the TLP rule applied
// (isachub.ObjectFilter.Hidden): as a member of the community reading the
// open collection (RED hidden, so "last" is the latest visible version),
// and as the hub operator of another community, who sees only CLEAR and
// therefore none of the collection's unmarked (AMBER) objects: the worst
// case, a walk of every indicator to find an empty page.
func BenchmarkPageTLP(b *testing.B) {
	db, coll, after := bigDB(b)
	ctx := context.Background()
	var red, allButClear isachub.TLPSet
	red = red.With(stix.TLPRed)
	for _, l := range []stix.TLP{stix.TLPNone, stix.TLPGreen, stix.TLPAmber, stix.TLPAmberStrict, stix.TLPRed} {
		allButClear = allButClear.With(l)
	}
	for _, p := range []int{1, 900} {
		b.Run(fmt.Sprintf("member/page%d", p), func(b *testing.B) {
			f := isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: after[p], Limit: 1000}
			for b.Loop() {
				page, err := db.Objects(ctx, coll, isachub.Hiding(red), f)
				if err != nil || len(page.Objects) != 1000 || !page.More {
					b.Fatalf("page %d: %v", p, err)
				}
			}
		})
	}
	b.Run("operator-sees-nothing", func(b *testing.B) {
		f := isachub.ObjectFilter{Types: []string{"indicator"}, Limit: 1000}
		for b.Loop() {
			page, err := db.Objects(ctx, coll, isachub.Hiding(allButClear), f)
			if err != nil || len(page.Objects) != 0 || page.More {
				b.Fatalf("operator page: %v", err)
			}
		}
	})
}
