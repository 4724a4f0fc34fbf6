package federation_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// BenchmarkPull pulls a collection of FEDERATION_BENCH_OBJECTS objects
// (default 100,000) from another isachub hub on 127.0.0.1 into a fresh
// hub, both on SQLite, and reports objects/s (issue 14's target: at least
// 10,000). Run: go test ./federation -run '^$' -bench Pull -benchtime 3x
func BenchmarkPull(b *testing.B) {
	n := 100000
	if v := os.Getenv("FEDERATION_BENCH_OBJECTS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	src := newTestHub(b, "defence-isac")
	ctx := context.Background()
	const batch = 5000
	for from := 0; from < n; from += batch {
		objs := make([]*stix.Object, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			o, err := stix.ParseObject([]byte(indicator(i, fmt.Sprintf("benchmark indicator %d", i), tlpClear)))
			if err != nil {
				b.Fatal(err)
			}
			objs = append(objs, o)
		}
		if _, err := src.store.AddObjects(ctx, src.colls["shared"].ID, src.orgs["member"].ID, objs); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dst := newTestHub(b, "aviation-isac")
		peer, syncer := federate(b, dst, src, "defence", false)
		s := &isachub.Subscription{PeerID: peer.ID, Direction: isachub.Pull, Remote: src.colls["shared"].ID, Local: dst.colls["shared"].ID}
		if err := dst.store.CreateSubscription(ctx, s); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r := syncer.Run(ctx, s)
		if r.Err != nil || r.Moved != n {
			b.Fatalf("moved %d of %d: %v", r.Moved, n, r.Err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "objects/s")
}
