package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// mustPeer stores a peer of the fixture's community, published by orgB.
func mustPeer(t *testing.T, f *fixture, name string) *isachub.Peer {
	t.Helper()
	p := &isachub.Peer{CommunityID: f.comm.ID, Name: name, URL: "https://" + name + ".example/api1/", OrgID: f.orgB.ID,
		User: "hub", Credential: []byte{1, 2, 3, 0, 255}, Trusted: true}
	mustOK(t, f.s.CreatePeer(f.ctx, p))
	return p
}

// testPeers stores and reads back peers and subscriptions: every field,
// the rules CreatePeer and CreateSubscription check, DueSubscriptions,
// RecordSync, and DeletePeer taking its subscriptions with it.
func testPeers(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	p := mustPeer(t, f, "defence-isac")
	if p.ID == "" || p.CreatedAt.IsZero() {
		t.Fatalf("CreatePeer set no id or time: %+v", p)
	}
	got, err := s.Peer(ctx, p.ID)
	mustOK(t, err)
	if diff := cmp.Diff(p, got, equateTimes); diff != "" {
		t.Errorf("Peer (-want +got):\n%s", diff)
	}
	wantCode(t, s.CreatePeer(ctx, &isachub.Peer{CommunityID: f.comm.ID, Name: "defence-isac", URL: "https://x.example/", OrgID: f.orgA.ID}), isachub.ECONFLICT)
	wantCode(t, s.CreatePeer(ctx, &isachub.Peer{CommunityID: f.comm.ID, Name: "elsewhere", URL: "https://x.example/", OrgID: f.otherOrg.ID}), isachub.ENOTFOUND)
	wantCode(t, s.CreatePeer(ctx, &isachub.Peer{CommunityID: f.comm.ID, Name: "", URL: "https://x.example/", OrgID: f.orgA.ID}), isachub.EINVALID)
	wantCode(t, s.CreatePeer(ctx, &isachub.Peer{CommunityID: f.comm.ID, Name: "ftp", URL: "ftp://x.example/", OrgID: f.orgA.ID}), isachub.EINVALID)
	// the same name in another community is another peer
	mustOK(t, s.CreatePeer(ctx, &isachub.Peer{CommunityID: f.other.ID, Name: "defence-isac", URL: "https://x.example/", OrgID: f.otherOrg.ID, Credential: []byte{}}))
	b := mustPeer(t, f, "cert-national")
	ps, err := s.Peers(ctx, f.comm.ID)
	mustOK(t, err)
	if len(ps) != 2 || ps[0].Name != "cert-national" || ps[1].Name != "defence-isac" {
		t.Errorf("Peers: %+v", ps)
	}
	_, err = s.Peer(ctx, "no-such-peer")
	wantCode(t, err, isachub.ENOTFOUND)

	next := time.Date(2031, 1, 2, 3, 4, 5, 6000, time.UTC)
	pull := &isachub.Subscription{PeerID: p.ID, Direction: isachub.Pull, Remote: "remote-1", Local: f.coll.ID, Interval: 90 * time.Second, NextRun: next}
	mustOK(t, s.CreateSubscription(ctx, pull))
	if pull.ID == "" || pull.CommunityID != f.comm.ID {
		t.Fatalf("CreateSubscription: %+v", pull)
	}
	push := &isachub.Subscription{PeerID: p.ID, Direction: isachub.Push, Remote: "remote-2", Local: f.coll.ID}
	mustOK(t, s.CreateSubscription(ctx, push))
	wantCode(t, s.CreateSubscription(ctx, &isachub.Subscription{PeerID: p.ID, Direction: isachub.Pull, Remote: "r", Local: f.otherColl.ID}), isachub.ENOTFOUND)
	wantCode(t, s.CreateSubscription(ctx, &isachub.Subscription{PeerID: p.ID, Direction: "sideways", Remote: "r", Local: f.coll.ID}), isachub.EINVALID)
	subs, err := s.Subscriptions(ctx, p.ID)
	mustOK(t, err)
	if diff := cmp.Diff([]*isachub.Subscription{pull, push}, subs, equateTimes); diff != "" {
		t.Errorf("Subscriptions (-want +got):\n%s", diff)
	}
	due, err := s.DueSubscriptions(ctx, next.Add(-time.Second), 10)
	mustOK(t, err)
	if len(due) != 1 || due[0].ID != push.ID {
		t.Errorf("due before the pull's next run: %+v", due)
	}
	due, err = s.DueSubscriptions(ctx, next, 10)
	mustOK(t, err)
	if len(due) != 2 || due[0].ID != push.ID || due[1].ID != pull.ID {
		t.Errorf("due at the pull's next run: %+v", due)
	}

	// two replicas claim the same due subscription: one wins
	first, second := *pull, *pull
	mustOK(t, s.ClaimSubscription(ctx, &first, next.Add(15*time.Minute)))
	wantCode(t, s.ClaimSubscription(ctx, &second, next.Add(15*time.Minute)), isachub.ECONFLICT)
	if !first.NextRun.Equal(next.Add(15 * time.Minute)) {
		t.Errorf("the claim's NextRun is %s", first.NextRun)
	}
	due, err = s.DueSubscriptions(ctx, next, 10)
	mustOK(t, err)
	if len(due) != 1 || due[0].ID != push.ID {
		t.Errorf("a claimed subscription is still due: %+v", due)
	}

	pull.Checkpoint, pull.LastError, pull.Moved, pull.Refused = "2026-12-01T00:00:00.000001Z", "peer said 503", 12, 3
	pull.LastRun, pull.LastSuccess, pull.NextRun = next, next.Add(-time.Hour), next.Add(time.Minute)
	mustOK(t, s.RecordSync(ctx, pull))
	subs, err = s.Subscriptions(ctx, p.ID)
	mustOK(t, err)
	if diff := cmp.Diff(pull, subs[0], equateTimes); diff != "" {
		t.Errorf("after RecordSync (-want +got):\n%s", diff)
	}
	wantCode(t, s.RecordSync(ctx, &isachub.Subscription{ID: "gone"}), isachub.ENOTFOUND)

	mustOK(t, s.DeletePeer(ctx, p.ID))
	wantCode(t, s.DeletePeer(ctx, p.ID), isachub.ENOTFOUND)
	subs, err = s.Subscriptions(ctx, p.ID)
	mustOK(t, err)
	if len(subs) != 0 {
		t.Errorf("the removed peer's subscriptions stay: %+v", subs)
	}
	if _, err := s.Peer(ctx, b.ID); err != nil {
		t.Errorf("removing one peer removed another: %v", err)
	}
}

// testAddPulled stores pulled objects with their origin and the
// subscription's checkpoint in one transaction; a version pulled again
// stores nothing new, Origins answers by id and ObjectOrigins by version.
func testAddPulled(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	p := mustPeer(t, f, "defence-isac")
	sub := &isachub.Subscription{PeerID: p.ID, Direction: isachub.Pull, Remote: "remote-1", Local: f.coll.ID}
	mustOK(t, s.CreateSubscription(ctx, sub))
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	objs := Indicators(0, 5)
	sub.Checkpoint, sub.Moved, sub.LastSuccess = "2026-12-07T09:00:00.000000Z", 2, at
	results, err := s.AddPulled(ctx, sub, p.OrgID, objs, at)
	mustOK(t, err)
	for _, r := range results {
		mustOK(t, r.Err)
	}
	page, err := s.Objects(ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{}) // the test reads as the hub
	mustOK(t, err)
	if len(page.Objects) != 5 {
		t.Fatalf("%d objects stored, want 5", len(page.Objects))
	}
	subs, err := s.Subscriptions(ctx, p.ID)
	mustOK(t, err)
	// The totals stored with the checkpoint count this page (CountPulled);
	// the subscription given is left as it was.
	if subs[0].Checkpoint != sub.Checkpoint || subs[0].Moved != 2+5 || subs[0].Refused != 0 || sub.Moved != 2 {
		t.Errorf("the checkpoint and totals were not stored with the objects: %+v (given Moved %d)", subs[0], sub.Moved)
	}
	ids := []string{objs[0].ID(), objs[4].ID(), "indicator--00000000-0000-4000-8000-000000000000"}
	origins, err := s.Origins(ctx, f.coll.ID, ids)
	mustOK(t, err)
	if len(origins) != 2 || len(origins[ids[0]]) != 1 || origins[ids[0]][0].PeerID != p.ID || !origins[ids[0]][0].ReceivedAt.Equal(at) {
		t.Errorf("Origins: %+v", origins)
	}
	// pulled again (a run that resumes after a crash): nothing new
	if _, err := s.AddPulled(ctx, sub, p.OrgID, objs, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	page, err = s.Objects(ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}}) // the test reads as the hub
	mustOK(t, err)
	if len(page.Objects) != 5 {
		t.Errorf("%d versions after pulling the same objects again, want 5", len(page.Objects))
	}
	if subs, err = s.Subscriptions(ctx, p.ID); err != nil || subs[0].Moved != 2 {
		t.Errorf("versions stored already were counted as moved: %+v, %v", subs[0], err)
	}
	// the peer's objects are its organisation's: another may not version them
	res, err := s.AddObjects(ctx, f.coll.ID, f.orgA.ID, Indicators(0, 1))
	mustOK(t, err)
	_ = res // a version already stored is a success that stores nothing, whoever sends it
	origins, err = s.Origins(ctx, f.otherColl.ID, ids)
	mustOK(t, err)
	if len(origins) != 0 {
		t.Errorf("origins of another collection: %+v", origins)
	}

	// by version: a second version of one object, pulled later
	newer := IndicatorVersion(0, Epoch.Add(time.Hour))
	if _, err := s.AddPulled(ctx, sub, p.OrgID, []*stix.Object{newer}, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	byVersion, err := s.ObjectOrigins(ctx, f.coll.ID, ids[0])
	mustOK(t, err)
	want := map[string][]isachub.Origin{
		objs[0].Version(): {{PeerID: p.ID, ReceivedAt: at}},
		newer.Version():   {{PeerID: p.ID, ReceivedAt: at.Add(2 * time.Hour)}},
	}
	if diff := cmp.Diff(want, byVersion, equateTimes); diff != "" {
		t.Errorf("ObjectOrigins (-want +got):\n%s", diff)
	}
	for _, where := range []struct{ coll, id string }{{f.otherColl.ID, ids[0]}, {f.coll.ID, ids[2]}} {
		byVersion, err := s.ObjectOrigins(ctx, where.coll, where.id)
		mustOK(t, err)
		if len(byVersion) != 0 {
			t.Errorf("ObjectOrigins(%s, %s): %+v, want none", where.coll, where.id, byVersion)
		}
	}
}
