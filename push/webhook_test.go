package push_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/push"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
)

// receiver is a webhook receiver that verifies signatures and records
// what it was sent; fail, when set, decides its answer.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	ids    []string
	calls  int
	fail   func(call int) int // the status to answer, 0: 200
	srv    *httptest.Server
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{t: t, secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		sig := req.Header.Get("X-Isachub-Signature")
		ts, _, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",")
		var sec int64
		fmt.Sscan(ts, &sec)
		if want := push.Sign(r.secret, time.Unix(sec, 0), body); !hmac.Equal([]byte(sig), []byte(want)) {
			t.Errorf("bad signature %q, want %q", sig, want)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		if r.fail != nil {
			if status := r.fail(r.calls); status != 0 {
				w.WriteHeader(status)
				return
			}
		}
		var d struct {
			Objects []struct{ ID string }
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Errorf("body: %v", err)
		}
		for _, o := range d.Objects {
			r.ids = append(r.ids, o.ID)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...)
}

type fixture struct {
	store            isachub.Store
	comm             *isachub.Community
	member, other    *isachub.Org
	open, restricted *isachub.Collection
	feed             *isachub.Feed
}

func newFixture(t testing.TB) *fixture {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newFixtureOn(t, db)
}

func newFixtureOn(t testing.TB, db isachub.Store) *fixture {
	ctx := context.Background()
	f := &fixture{store: db, comm: &isachub.Community{Slug: "acme", Title: "ACME ISAC", Sector: "aviation"}}
	must(t, db.CreateCommunity(ctx, f.comm))
	f.member = &isachub.Org{CommunityID: f.comm.ID, Slug: "a", Name: "A"}
	f.other = &isachub.Org{CommunityID: f.comm.ID, Slug: "b", Name: "B"}
	must(t, db.CreateOrg(ctx, f.member))
	must(t, db.CreateOrg(ctx, f.other))
	f.open = &isachub.Collection{CommunityID: f.comm.ID, Title: "Open", ReadAll: true, WriteAll: true}
	f.restricted = &isachub.Collection{CommunityID: f.comm.ID, Title: "B only", Readers: []int64{f.other.ID}, Writers: []int64{f.other.ID}}
	must(t, db.CreateCollection(ctx, f.open))
	must(t, db.CreateCollection(ctx, f.restricted))
	f.feed = &isachub.Feed{CommunityID: f.comm.ID, OrgID: f.member.ID, Title: "SOC", Filter: isachub.FeedPresets["soc"]}
	must(t, db.CreateFeed(ctx, f.feed))
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ind(n int) *stix.Object {
	o, err := stix.ParseObject(fmt.Appendf(nil, `{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-000000000000","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '192.0.2.%d']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`, n, n%256))
	if err != nil {
		panic(err)
	}
	return o
}

func (f *fixture) add(t *testing.T, coll *isachub.Collection, org *isachub.Org, from, n int) []string {
	var objs []*stix.Object
	var ids []string
	for i := from; i < from+n; i++ {
		objs = append(objs, ind(i))
		ids = append(ids, ind(i).ID())
	}
	if _, err := f.store.AddObjects(context.Background(), coll.ID, org.ID, objs); err != nil {
		t.Fatal(err)
	}
	return ids
}

func (f *fixture) webhook(t *testing.T, url string) *isachub.Webhook {
	w := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.member.ID, FeedID: f.feed.ID, URL: url, Secret: "s3cret",
		Cursor: isachub.FeedCursor(time.Time{})}
	must(t, f.store.CreateWebhook(context.Background(), w))
	return w
}

// drain runs the sender until nothing is due, with a clock moved past
// every wait.
func drain(t *testing.T, s *push.Sender, clock *time.Time) {
	t.Helper()
	for range 200 {
		worked, err := s.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !worked {
			return
		}
	}
}

func TestWebhookDelivers(t *testing.T) {
	f := newFixture(t)
	want := f.add(t, f.open, f.member, 1, 250)
	f.add(t, f.restricted, f.other, 1000, 5) // member may not see these
	r := newReceiver(t, "s3cret")
	f.webhook(t, r.srv.URL)
	clock := time.Now()
	s := &push.Sender{Store: f.store, Owner: "test", Now: func() time.Time { return clock }, Batch: 100, Idle: time.Hour}
	drain(t, s, &clock)
	if got := r.received(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("received %d objects (%v...), want the %d visible ones in order", len(got), got[:min(3, len(got))], len(want))
	}
	// New objects after the idle wait; nothing is sent twice.
	more := f.add(t, f.open, f.member, 300, 3)
	clock = clock.Add(2 * time.Hour)
	drain(t, s, &clock)
	if got := r.received(); strings.Join(got[len(want):], ",") != strings.Join(more, ",") {
		t.Errorf("after new objects: %v", got[len(want):])
	}
	hooks, err := f.store.Webhooks(context.Background(), f.comm.ID)
	must(t, err)
	log, err := f.store.Deliveries(context.Background(), hooks[0].ID, 10)
	must(t, err)
	if len(log) != 4 || log[0].Objects != 3 || log[0].Status != 200 || log[0].Error != "" {
		t.Errorf("delivery log %+v", log)
	}
	for _, d := range log {
		if d.Duration <= 0 || d.Duration > time.Minute {
			t.Errorf("delivery at %s took %s: want the POST's real duration", d.At, d.Duration)
		}
	}
}

func TestWebhookRetriesAndDeadLetter(t *testing.T) {
	f := newFixture(t)
	want := f.add(t, f.open, f.member, 1, 5)
	r := newReceiver(t, "s3cret")
	r.fail = func(call int) int {
		if call <= 2 {
			return http.StatusInternalServerError
		}
		return 0
	}
	f.webhook(t, r.srv.URL)
	clock := time.Now()
	s := &push.Sender{Store: f.store, Owner: "test", Now: func() time.Time { return clock }, Idle: time.Hour,
		Backoff: func(int) time.Duration { return time.Minute }}
	for range 3 {
		drain(t, s, &clock)
		clock = clock.Add(2 * time.Minute)
	}
	if got := r.received(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after two 500s: %v", got)
	}
	// A receiver that always fails: dead after MaxWebhookFailures.
	r2 := newReceiver(t, "s3cret")
	r2.fail = func(int) int { return http.StatusBadGateway }
	w := f.webhook(t, r2.srv.URL)
	for range isachub.MaxWebhookFailures + 3 {
		drain(t, s, &clock)
		clock = clock.Add(2 * time.Minute)
	}
	hooks, err := f.store.Webhooks(context.Background(), f.comm.ID)
	must(t, err)
	for _, h := range hooks {
		if h.ID == w.ID && (!h.Dead || h.Failures != isachub.MaxWebhookFailures || !strings.Contains(h.LastError, "502")) {
			t.Errorf("dead letter: %+v", h)
		}
	}
	if r2.calls != isachub.MaxWebhookFailures {
		t.Errorf("the dead webhook was tried %d times", r2.calls)
	}
}

// TestWebhookNothingLost: objects stored while no sender runs (the hub
// killed between the commit and the delivery) are delivered by a sender
// started later, even after another replica's claim was left behind.
func TestWebhookNothingLost(t *testing.T) {
	f := newFixture(t)
	r := newReceiver(t, "s3cret")
	w := f.webhook(t, r.srv.URL)
	clock := time.Now()
	// A replica claims and dies before delivering.
	if _, err := f.store.ClaimWebhook(context.Background(), "dead-replica", clock, time.Minute); err != nil {
		t.Fatal(err)
	}
	want := f.add(t, f.open, f.member, 1, 10)
	s := &push.Sender{Store: f.store, Owner: "live", Now: func() time.Time { return clock }, Idle: time.Hour}
	drain(t, s, &clock)
	if len(r.received()) != 0 {
		t.Fatal("delivered while another replica's claim held")
	}
	clock = clock.Add(2 * time.Minute) // the lease ends
	drain(t, s, &clock)
	if got := r.received(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after the takeover: %v", got)
	}
	_ = w
}

// TestWebhookTwoReplicas: two senders on one PostgreSQL, as two serve
// replicas, deliver every object once and in order.
func TestWebhookTwoReplicas(t *testing.T) {
	db, err := postgres.Open(context.Background(), pgtest.Schema(t, "./push/", "isachub_push_test_"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := newFixtureOn(t, db)
	r := newReceiver(t, "s3cret")
	f.webhook(t, r.srv.URL)
	want := f.add(t, f.open, f.member, 1, 500)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &push.Sender{Store: db, Owner: fmt.Sprintf("replica-%d", i), Batch: 50, Idle: time.Hour}
			for range 100 {
				worked, err := s.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if !worked {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	if got := r.received(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("received %d objects, want each of %d once, in order", len(got), len(want))
	}
}
