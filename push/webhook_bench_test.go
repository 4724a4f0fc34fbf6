package push_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/push"
	"github.com/isachub/isachub/stix"
)

// BenchmarkWebhookFanOut: 100 webhooks of one feed, each to its own path
// of one receiver on 127.0.0.1, and one sender woken as the server wakes
// it when objects are stored (Sender.Wake). b.N times one indicator is
// stored; it reports the median and 99th percentile, over every delivery,
// of the time from the store's start to the receiver's arrival. Issue
// 10's target: 100 subscribers within 1 s at the 99th percentile.
//
//	go test ./push -run '^$' -bench WebhookFanOut -benchtime 20x
func BenchmarkWebhookFanOut(b *testing.B) {
	const hooks = 100
	f := newFixture(b)
	arrivals := make(chan time.Time, hooks*4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrivals <- time.Now()
	}))
	defer srv.Close()
	for range hooks {
		w := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.member.ID, FeedID: f.feed.ID, URL: srv.URL + "/hook", Secret: "k"}
		if err := f.store.CreateWebhook(context.Background(), w); err != nil {
			b.Fatal(err)
		}
	}
	var mu sync.Mutex
	wake := make(chan struct{})
	changed := func() <-chan struct{} { mu.Lock(); defer mu.Unlock(); return wake }
	notify := func() { mu.Lock(); close(wake); wake = make(chan struct{}); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &push.Sender{Store: f.store, Owner: "bench", Wake: changed}
	go s.Run(ctx, time.Second)
	time.Sleep(1500 * time.Millisecond) // the first round: every webhook idle
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := f.store.AddObjects(context.Background(), f.open.ID, f.member.ID, []*stix.Object{ind(5000 + i)}); err != nil {
			b.Fatal(err)
		}
		notify()
		for range hooks {
			select {
			case at := <-arrivals:
				lat = append(lat, at.Sub(start))
			case <-time.After(10 * time.Second):
				b.Fatal("a delivery did not arrive within 10 s")
			}
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
