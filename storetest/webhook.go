package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub"
)

// webhookStore returns s as an isachub.WebhookStore, failing the test when
// it is not one.
func webhookStore(t *testing.T, s isachub.Store) isachub.WebhookStore {
	t.Helper()
	ws, ok := s.(isachub.WebhookStore)
	if !ok {
		t.Fatalf("%T is not an isachub.WebhookStore", s)
	}
	return ws
}

// mustFeed creates a feed of the community's organisation.
func mustFeed(t *testing.T, s isachub.Store, communityID, orgID int64, title string) *isachub.Feed {
	t.Helper()
	fd := &isachub.Feed{CommunityID: communityID, OrgID: orgID, Title: title}
	mustOK(t, s.CreateFeed(t.Context(), fd))
	return fd
}

// webhookNow is a time to the microsecond, which both backends keep.
func webhookNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// wantWebhooks fails the test unless the community's webhooks are want.
func wantWebhooks(t *testing.T, ws isachub.WebhookStore, communityID int64, want ...*isachub.Webhook) {
	t.Helper()
	got, err := ws.Webhooks(t.Context(), communityID)
	mustOK(t, err)
	if want == nil {
		want = []*isachub.Webhook{}
	}
	if diff := cmp.Diff(want, got, equateTimes); diff != "" {
		t.Fatalf("Webhooks(%d) (-want +got):\n%s", communityID, diff)
	}
}

// testWebhookCreate stores and reads back webhooks: every field, the rules
// CreateWebhook checks, the community scoping of Webhooks and
// DeleteWebhook and the order of Webhooks.
func testWebhookCreate(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	otherFeed := mustFeed(t, s, f.other.ID, f.otherOrg.ID, "Elsewhere")
	before := time.Now().Add(-time.Minute)
	full := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgB.ID, FeedID: feed.ID,
		URL: "https://siem.globex.example/hook", Secret: "s3cret", Cursor: "cursor-42", Failures: 3, Dead: true,
		NextAttempt: time.Date(2031, 5, 6, 7, 8, 9, 123456000, time.FixedZone("CET", 3600)), LastError: "HTTP 503"}
	mustOK(t, ws.CreateWebhook(ctx, full))
	zero := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID,
		URL: "https://acme.example/hook", Secret: "k"}
	mustOK(t, ws.CreateWebhook(ctx, zero))
	theirs := &isachub.Webhook{CommunityID: f.other.ID, OrgID: f.otherOrg.ID, FeedID: otherFeed.ID,
		URL: "https://power.example/hook", Secret: "k"}
	mustOK(t, ws.CreateWebhook(ctx, theirs))
	if full.ID == 0 || zero.ID <= full.ID || full.CreatedAt.Before(before) || zero.CreatedAt.Before(full.CreatedAt) {
		t.Fatalf("CreateWebhook set ids %d, %d and CreatedAt %v, %v", full.ID, zero.ID, full.CreatedAt, zero.CreatedAt)
	}
	wantWebhooks(t, ws, f.comm.ID, full, zero)
	wantWebhooks(t, ws, f.other.ID, theirs)
	wantWebhooks(t, ws, 987654)
	if got, _ := ws.Webhooks(ctx, f.comm.ID); len(got) == 2 && !got[1].NextAttempt.IsZero() {
		t.Fatalf("a zero NextAttempt read back as %v", got[1].NextAttempt)
	}

	t.Run("Errors", func(t *testing.T) {
		for name, w := range map[string]*isachub.Webhook{
			"feed of another community": {CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: otherFeed.ID, URL: "https://x.example", Secret: "k"},
			"missing feed":              {CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: UUID(7, 404), URL: "https://x.example", Secret: "k"},
			"org of another community":  {CommunityID: f.comm.ID, OrgID: f.otherOrg.ID, FeedID: feed.ID, URL: "https://x.example", Secret: "k"},
			"missing org":               {CommunityID: f.comm.ID, OrgID: 987654, FeedID: feed.ID, URL: "https://x.example", Secret: "k"},
			"missing community":         {CommunityID: 987654, OrgID: f.orgA.ID, FeedID: feed.ID, URL: "https://x.example", Secret: "k"},
		} {
			t.Run(name, func(t *testing.T) { wantCode(t, ws.CreateWebhook(ctx, w), isachub.ENOTFOUND) })
		}
		wantCode(t, ws.CreateWebhook(ctx, &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID, Secret: "k"}),
			isachub.EINVALID)
		wantCode(t, ws.CreateWebhook(ctx, &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID, URL: "https://x.example"}),
			isachub.EINVALID)
		wantWebhooks(t, ws, f.comm.ID, full, zero)
	})

	t.Run("Delete", func(t *testing.T) {
		wantCode(t, ws.DeleteWebhook(ctx, f.other.ID, full.ID), isachub.ENOTFOUND)
		wantCode(t, ws.DeleteWebhook(ctx, f.comm.ID, 987654), isachub.ENOTFOUND)
		wantWebhooks(t, ws, f.comm.ID, full, zero)
		mustOK(t, ws.DeleteWebhook(ctx, f.comm.ID, full.ID))
		wantCode(t, ws.DeleteWebhook(ctx, f.comm.ID, full.ID), isachub.ENOTFOUND)
		wantWebhooks(t, ws, f.comm.ID, zero)
		wantWebhooks(t, ws, f.other.ID, theirs)
	})
}

// testWebhookClaim claims webhooks: only due, live and unclaimed ones, in
// the order of NextAttempt; a lease holds until it expires or
// RecordDelivery ends it, and the owner whose lease expired and was taken
// over can no longer record.
func testWebhookClaim(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	otherFeed := mustFeed(t, s, f.other.ID, f.otherOrg.ID, "Elsewhere")
	base := webhookNow()
	mk := func(comm, org int64, feedID string, next time.Time, dead bool) *isachub.Webhook {
		w := &isachub.Webhook{CommunityID: comm, OrgID: org, FeedID: feedID, URL: "https://r.example/hook",
			Secret: "k", Cursor: "c0", Failures: 1, NextAttempt: next, Dead: dead, LastError: "earlier"}
		if dead {
			w.Failures = isachub.MaxWebhookFailures
		}
		mustOK(t, ws.CreateWebhook(ctx, w))
		return w
	}
	later := mk(f.comm.ID, f.orgB.ID, feed.ID, base.Add(time.Hour), false) // not yet due
	dead := mk(f.comm.ID, f.orgB.ID, feed.ID, base.Add(-2*time.Hour), true)
	due := mk(f.other.ID, f.otherOrg.ID, otherFeed.ID, base.Add(-time.Hour), false) // any community
	atOnce := mk(f.comm.ID, f.orgA.ID, feed.ID, time.Time{}, false)
	const lease = time.Minute

	claim := func(t *testing.T, owner string, now time.Time, want *isachub.Webhook) *isachub.Webhook {
		t.Helper()
		got, err := ws.ClaimWebhook(ctx, owner, now, lease)
		if want == nil {
			wantCode(t, err, isachub.ENOTFOUND)
			return nil
		}
		mustOK(t, err)
		if diff := cmp.Diff(want, got, equateTimes); diff != "" {
			t.Fatalf("ClaimWebhook(%q, %v) (-want +got):\n%s", owner, now, diff)
		}
		return got
	}

	_, err := ws.ClaimWebhook(ctx, "", base, lease)
	wantCode(t, err, isachub.EINVALID)
	_, err = ws.ClaimWebhook(ctx, "a", base, 0)
	wantCode(t, err, isachub.EINVALID)

	// The zero NextAttempt is due first, then the earliest; neither the
	// dead nor the later one is.
	w1 := claim(t, "a", base, atOnce)
	claim(t, "a2", base, due)
	claim(t, "a3", base, nil)
	// The leases hold.
	claim(t, "x", base.Add(lease-time.Second), nil)

	// Once they expire, another owner takes them over, and the first can
	// no longer record: nothing of what it says is stored.
	claim(t, "b", base.Add(lease), atOnce)
	lost := *w1
	lost.Cursor, lost.Failures, lost.LastError = "lost", 0, ""
	wantCode(t, ws.RecordDelivery(ctx, "a", &lost, &isachub.WebhookDelivery{At: base, Objects: 1, Status: 200}), isachub.ECONFLICT)
	wantCode(t, ws.RecordDelivery(ctx, "nobody", &lost, nil), isachub.ECONFLICT)
	wantWebhooks(t, ws, f.comm.ID, later, dead, atOnce)
	log, err := ws.Deliveries(ctx, atOnce.ID, 0)
	mustOK(t, err)
	if len(log) != 0 {
		t.Fatalf("a lost claim's delivery was logged: %+v", log)
	}

	// RecordDelivery stores the fields and releases the claim: with a
	// NextAttempt before the other due one, the webhook is claimed again
	// at once, well before the lease of "b" would have ended.
	rec := *w1
	rec.Cursor, rec.Failures, rec.LastError, rec.NextAttempt = "c1", 2, "HTTP 500", base.Add(-3*time.Hour)
	mustOK(t, ws.RecordDelivery(ctx, "b", &rec,
		&isachub.WebhookDelivery{At: base.Add(lease), Objects: 5, Status: 500, Error: "HTTP 500"}))
	wantCode(t, ws.RecordDelivery(ctx, "b", &rec, nil), isachub.ECONFLICT) // released: not twice
	wantWebhooks(t, ws, f.comm.ID, later, dead, &rec)
	claim(t, "c", base.Add(lease), &rec)

	// A delivery without a log entry, making it dead: it is claimed no
	// more.
	rec.Dead, rec.Failures, rec.Cursor, rec.LastError = true, isachub.MaxWebhookFailures, "c2", "HTTP 502"
	mustOK(t, ws.RecordDelivery(ctx, "c", &rec, nil))
	wantWebhooks(t, ws, f.comm.ID, later, dead, &rec)
	log, err = ws.Deliveries(ctx, atOnce.ID, 0)
	mustOK(t, err)
	want := []*isachub.WebhookDelivery{{WebhookID: atOnce.ID, At: base.Add(lease), Objects: 5, Status: 500, Error: "HTTP 500"}}
	if diff := cmp.Diff(want, log, equateTimes); diff != "" {
		t.Fatalf("Deliveries (-want +got):\n%s", diff)
	}
	claim(t, "d", base.Add(2*lease), due)
	claim(t, "d", base.Add(2*lease), nil)
	// A lease that expires without a RecordDelivery frees the webhook too.
	claim(t, "e", base.Add(time.Hour), due)
	claim(t, "e", base.Add(time.Hour), later)
	claim(t, "e", base.Add(time.Hour), nil)
}

// testWebhookDeliveries checks the delivery log: newest first, the limit,
// the 1,000 entries kept, and that the log is each webhook's own.
func testWebhookDeliveries(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	base := webhookNow()
	const lease = time.Hour

	// A webhook with one entry, then not due for the rest of the test.
	quiet := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID, URL: "https://q.example", Secret: "k"}
	mustOK(t, ws.CreateWebhook(ctx, quiet))
	got, err := ws.ClaimWebhook(ctx, "q", base, lease)
	mustOK(t, err)
	if got.ID != quiet.ID {
		t.Fatalf("claimed %d, want %d", got.ID, quiet.ID)
	}
	got.NextAttempt = base.Add(1000 * time.Hour)
	quietEntry := &isachub.WebhookDelivery{At: base, Objects: 7, Status: 200, Cursor: "q1"}
	mustOK(t, ws.RecordDelivery(ctx, "q", got, quietEntry))
	if quietEntry.WebhookID != quiet.ID {
		t.Fatalf("RecordDelivery set WebhookID %d, want %d", quietEntry.WebhookID, quiet.ID)
	}

	w := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgB.ID, FeedID: feed.ID, URL: "https://b.example", Secret: "k"}
	mustOK(t, ws.CreateWebhook(ctx, w))
	const n = 1005
	for i := range n {
		c, err := ws.ClaimWebhook(ctx, "worker", base, lease)
		mustOK(t, err)
		if c.ID != w.ID {
			t.Fatalf("round %d claimed %d, want %d", i, c.ID, w.ID)
		}
		d := &isachub.WebhookDelivery{At: base.Add(time.Duration(i) * time.Second), Objects: i, Status: 200 + i%2,
			Cursor: "c" + string(rune('a'+i%26)), Duration: time.Duration(i) * 1500 * time.Microsecond}
		if i%2 == 1 {
			d.Error = "odd"
		}
		mustOK(t, ws.RecordDelivery(ctx, "worker", c, d))
	}
	check := func(t *testing.T, limit, want int) {
		t.Helper()
		log, err := ws.Deliveries(ctx, w.ID, limit)
		mustOK(t, err)
		if len(log) != want {
			t.Fatalf("Deliveries(%d) returned %d entries, want %d", limit, len(log), want)
		}
		for k, d := range log {
			i := n - 1 - k
			e := &isachub.WebhookDelivery{WebhookID: w.ID, At: base.Add(time.Duration(i) * time.Second), Objects: i,
				Status: 200 + i%2, Cursor: "c" + string(rune('a'+i%26)), Duration: time.Duration(i) * 1500 * time.Microsecond}
			if i%2 == 1 {
				e.Error = "odd"
			}
			if diff := cmp.Diff(e, d, equateTimes); diff != "" {
				t.Fatalf("Deliveries(%d)[%d] (-want +got):\n%s", limit, k, diff)
			}
		}
	}
	check(t, 0, 100)
	check(t, -1, 100)
	check(t, 3, 3)
	check(t, 1000, 1000)
	check(t, 5000, 1000)

	log, err := ws.Deliveries(ctx, quiet.ID, 0)
	mustOK(t, err)
	if diff := cmp.Diff([]*isachub.WebhookDelivery{quietEntry}, log, equateTimes); diff != "" {
		t.Fatalf("the other webhook's log (-want +got):\n%s", diff)
	}
	log, err = ws.Deliveries(ctx, 987654, 0)
	mustOK(t, err)
	if log == nil || len(log) != 0 {
		t.Fatalf("Deliveries of a missing webhook = %#v, want an empty list", log)
	}
	// Deleting the webhook deletes its log.
	mustOK(t, ws.DeleteWebhook(ctx, f.comm.ID, quiet.ID))
	if log, err = ws.Deliveries(ctx, quiet.ID, 0); err != nil || len(log) != 0 {
		t.Fatalf("Deliveries of a deleted webhook = %+v, %v", log, err)
	}
}

// testWebhookCascade checks that deleting a feed, or the receiving
// organisation, deletes its webhooks and their logs.
func testWebhookCascade(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	gone := mustFeed(t, s, f.comm.ID, f.orgA.ID, "Going")
	kept := mustFeed(t, s, f.comm.ID, f.orgA.ID, "Staying")
	a := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: gone.ID, URL: "https://a.example", Secret: "k"}
	b := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: kept.ID, URL: "https://b.example", Secret: "k",
		NextAttempt: webhookNow().Add(time.Hour)}
	c := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgB.ID, FeedID: kept.ID, URL: "https://c.example", Secret: "k",
		NextAttempt: webhookNow().Add(time.Hour)}
	for _, w := range []*isachub.Webhook{a, b, c} {
		mustOK(t, ws.CreateWebhook(ctx, w))
	}
	got, err := ws.ClaimWebhook(ctx, "o", webhookNow(), time.Minute)
	mustOK(t, err)
	if got.ID != a.ID {
		t.Fatalf("claimed %d, want %d", got.ID, a.ID)
	}
	mustOK(t, ws.RecordDelivery(ctx, "o", got, &isachub.WebhookDelivery{At: webhookNow(), Objects: 1, Status: 200}))

	mustOK(t, s.DeleteFeed(ctx, f.comm.ID, gone.ID))
	wantWebhooks(t, ws, f.comm.ID, b, c)
	if log, err := ws.Deliveries(ctx, a.ID, 0); err != nil || len(log) != 0 {
		t.Fatalf("Deliveries of a deleted feed's webhook = %+v, %v", log, err)
	}
	wantCode(t, ws.DeleteWebhook(ctx, f.comm.ID, a.ID), isachub.ENOTFOUND)

	mustOK(t, s.DeleteOrg(ctx, f.comm.ID, f.orgB.Slug))
	wantWebhooks(t, ws, f.comm.ID, b)
}

// testWebhookConcurrentClaims has several claimers take due webhooks at
// once until none is left: each webhook goes to exactly one.
func testWebhookConcurrentClaims(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	const (
		claimers = 8
		hooks    = 20
	)
	want := map[int64]bool{}
	for range hooks {
		w := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgB.ID, FeedID: feed.ID, URL: "https://r.example", Secret: "k"}
		mustOK(t, ws.CreateWebhook(ctx, w))
		want[w.ID] = true
	}
	now := webhookNow()
	claimed := make([][]int64, claimers)
	errs := make([]error, claimers)
	var wg sync.WaitGroup
	for c := range claimers {
		wg.Go(func() {
			owner := "replica-" + string(rune('a'+c))
			for {
				w, err := ws.ClaimWebhook(ctx, owner, now, time.Hour)
				if isachub.ErrorCode(err) == isachub.ENOTFOUND {
					return
				}
				if err != nil {
					errs[c] = err
					return
				}
				claimed[c] = append(claimed[c], w.ID)
			}
		})
	}
	wg.Wait()
	seen := map[int64]int{}
	for c := range claimers {
		mustOK(t, errs[c])
		for _, id := range claimed[c] {
			seen[id]++
			if seen[id] > 1 {
				t.Fatalf("webhook %d was claimed twice", id)
			}
			if !want[id] {
				t.Fatalf("claimed an unknown webhook %d", id)
			}
		}
	}
	if len(seen) != hooks {
		t.Fatalf("%d webhooks were claimed, want %d: %v", len(seen), hooks, claimed)
	}
	_, err := ws.ClaimWebhook(ctx, "late", now, time.Hour)
	wantCode(t, err, isachub.ENOTFOUND)
}

// testWebhookWake wakes only the webhooks that wait because their feed had
// nothing new: not one in its backoff after a failure, a dead one, or one
// another replica holds.
func testWebhookWake(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	now := webhookNow()
	later := now.Add(time.Hour)
	mk := func(failures int, dead bool) *isachub.Webhook {
		w := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID, URL: "https://acme.example/hook",
			Secret: "k", Failures: failures, Dead: dead, NextAttempt: later}
		mustOK(t, ws.CreateWebhook(ctx, w))
		return w
	}
	held := mk(0, false) // the lowest id: another replica claims it below
	idle, backoff := mk(0, false), mk(1, false)
	mk(0, true) // dead
	got, err := ws.ClaimWebhook(ctx, "other", later, 24*time.Hour)
	mustOK(t, err)
	if got.ID != held.ID {
		t.Fatalf("claimed %d, want %d", got.ID, held.ID)
	}
	n, err := ws.WakeWebhooks(ctx, now)
	mustOK(t, err)
	if n != 1 {
		t.Fatalf("WakeWebhooks woke %d, want 1", n)
	}
	w, err := ws.ClaimWebhook(ctx, "me", now, time.Minute)
	mustOK(t, err)
	if w.ID != idle.ID {
		t.Fatalf("after the wake, claimed %d, want the idle %d (not %d in backoff)", w.ID, idle.ID, backoff.ID)
	}
	_, err = ws.ClaimWebhook(ctx, "me", now, time.Minute)
	wantCode(t, err, isachub.ENOTFOUND)
}

// testWebhookRevive takes a dead webhook out of its dead-letter state: it
// is claimed again, due at once, with its cursor as it was; a webhook of
// another community, or none, is ENOTFOUND.
func testWebhookRevive(t *testing.T, s isachub.Store) {
	ws := webhookStore(t, s)
	f := newFixture(t, s)
	ctx := f.ctx
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	now := webhookNow()
	dead := &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID, URL: "https://acme.example/hook",
		Secret: "k", Cursor: "cursor-7", Failures: isachub.MaxWebhookFailures, Dead: true, NextAttempt: now.Add(time.Hour),
		LastError: "HTTP 500"}
	mustOK(t, ws.CreateWebhook(ctx, dead))
	_, err := ws.ClaimWebhook(ctx, "me", now, time.Minute)
	wantCode(t, err, isachub.ENOTFOUND)
	wantCode(t, ws.ReviveWebhook(ctx, f.other.ID, dead.ID, now), isachub.ENOTFOUND)
	wantCode(t, ws.ReviveWebhook(ctx, f.comm.ID, dead.ID+1000, now), isachub.ENOTFOUND)
	mustOK(t, ws.ReviveWebhook(ctx, f.comm.ID, dead.ID, now))
	got, err := ws.ClaimWebhook(ctx, "me", now, time.Minute)
	mustOK(t, err)
	if got.ID != dead.ID || got.Dead || got.Failures != 0 || got.LastError != "" || got.Cursor != "cursor-7" || got.NextAttempt.After(now) {
		t.Fatalf("revived: %+v", got)
	}
}
