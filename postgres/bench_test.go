package postgres_test

import (
	"testing"

	"github.com/isachub/isachub/stix"
)

// BenchmarkIngest adds 100,000 indicators to an empty collection through
// AddObjects in batches of 1,000, each batch one durable transaction
// (synchronous_commit on). Target: at least 50,000 objects/s (issue 4).
func BenchmarkIngest(b *testing.B) {
	const total, batch = 100_000, 1000
	objs := make([]*stix.Object, total)
	for i := range objs {
		objs[i] = indicator(b, i)
	}
	db := openDB(b)
	org, _ := setup(b, db)
	_ = org
	b.ResetTimer()
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
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "objects/s")
}
