package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// testQueues: each queue counts what waits in it, and only that: a
// completed status, a delivered webhook and another kind's absence leave
// the counts alone.
func testQueues(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	q, err := s.Queues(ctx)
	mustOK(t, err)
	if q != (isachub.Queues{}) {
		t.Fatalf("Queues of a new store = %+v, want zeros", q)
	}
	for i, status := range []string{isachub.StatusPending, isachub.StatusComplete, isachub.StatusPending} {
		mustOK(t, s.CreateStatus(ctx, &isachub.Status{CommunityID: f.comm.ID, CollectionID: f.coll.ID, OrgID: f.orgA.ID,
			Status: status, RequestTimestamp: Epoch, TotalCount: 1,
			Pendings: []isachub.StatusDetail{{ID: IndicatorID(i + 1), Version: stamp(Epoch)}}}))
	}
	moderated := &isachub.Collection{CommunityID: f.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	mustOK(t, s.CreateCollection(ctx, moderated))
	mustOK(t, s.CreatePending(ctx, &isachub.Pending{ID: "c0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID,
		CollectionID: moderated.ID, SubmitterOrgID: f.orgA.ID, Objects: pendingObjects()}))
	mustOK(t, s.EnqueueJob(ctx, &isachub.Job{Kind: "index", Payload: json.RawMessage(`{}`)}))
	mustOK(t, s.EnqueueJob(ctx, &isachub.Job{Kind: "index", Payload: json.RawMessage(`{}`), RunAt: time.Now().Add(time.Hour)}))
	ws := webhookStore(t, s)
	feed := mustFeed(t, s, f.comm.ID, f.orgA.ID, "SOC")
	for _, w := range []struct {
		failures int
		dead     bool
	}{{0, false}, {2, false}, {isachub.MaxWebhookFailures, true}} {
		mustOK(t, ws.CreateWebhook(ctx, &isachub.Webhook{CommunityID: f.comm.ID, OrgID: f.orgA.ID, FeedID: feed.ID,
			URL: "https://acme.example/hook", Secret: "k", Failures: w.failures, Dead: w.dead}))
	}
	q, err = s.Queues(ctx)
	mustOK(t, err)
	want := isachub.Queues{PendingStatuses: 2, Moderation: 1, Jobs: 2, WebhooksRetrying: 1, WebhooksDead: 1}
	if q != want {
		t.Fatalf("Queues = %+v, want %+v", q, want)
	}
}
