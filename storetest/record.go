package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// The conformance tests of the submitter-record policy "none" (issue 6):
// a community whose policy is isachub.RecordNone keeps no submitting
// organisation anywhere, whoever calls the store. Switching to none erases
// the sealed records and the records waiting in the moderation queue;
// AddAnonymous and CreatePending store none under it, whatever they are
// given; switching back to sealed brings nothing back; other communities
// keep theirs.

// setRecord stores the community with the submitter-record policy.
func setRecord(t *testing.T, s isachub.Store, c *isachub.Community, record string) {
	t.Helper()
	u := *c
	u.SubmitterRecord = record
	mustOK(t, s.UpdateCommunity(t.Context(), &u))
	got, err := s.Community(t.Context(), c.Slug)
	mustOK(t, err)
	if got.Record() != record {
		t.Fatalf("after UpdateCommunity the policy of %s is %q, want %q", c.Slug, got.Record(), record)
	}
}

// sealedOf returns the community's one anonymous submission that published
// objectID, as the store keeps it.
func sealedOf(t *testing.T, s isachub.Store, communityID int64, objectID string) *isachub.AnonymousSubmission {
	t.Helper()
	subs, err := s.AnonymousSubmissions(t.Context(), communityID, objectID)
	mustOK(t, err)
	if len(subs) != 1 {
		t.Fatalf("AnonymousSubmissions(%d, %s) = %d records, want 1", communityID, objectID, len(subs))
	}
	return subs[0]
}

func testRecordNone(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	moderated := &isachub.Collection{CommunityID: f.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	otherModerated := &isachub.Collection{CommunityID: f.other.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	for _, c := range []*isachub.Collection{moderated, otherModerated} {
		mustOK(t, s.CreateCollection(ctx, c))
	}

	// Under sealed (the default): a published record, a queued anonymous
	// submission and a queued one that is not anonymous, in both
	// communities.
	published := &isachub.AnonymousSubmission{HandleHash: handle("n1"), OrgID: f.orgA.ID}
	_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(1)}, published)
	mustOK(t, err)
	otherPublished := &isachub.AnonymousSubmission{HandleHash: handle("n1"), OrgID: f.otherOrg.ID}
	_, err = s.AddAnonymous(ctx, f.otherColl.ID, []*stix.Object{Indicator(1)}, otherPublished)
	mustOK(t, err)
	queued := &isachub.Pending{ID: "40000000-0000-4000-8000-000000000001", CommunityID: f.comm.ID, CollectionID: moderated.ID,
		SubmitterOrgID: f.orgB.ID, Objects: pendingObjects()[:1],
		Anonymous: &isachub.AnonymousSubmission{CommunityID: f.comm.ID, CollectionID: moderated.ID, HandleHash: handle("n2"),
			OrgID: f.orgB.ID, ObjectIDs: []string{"indicator--" + UUID(7, 1)}, CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
	named := &isachub.Pending{ID: "40000000-0000-4000-8000-000000000002", CommunityID: f.comm.ID, CollectionID: moderated.ID,
		SubmitterOrgID: f.orgA.ID, Objects: pendingObjects()[1:2]}
	otherQueued := &isachub.Pending{ID: "40000000-0000-4000-8000-000000000003", CommunityID: f.other.ID, CollectionID: otherModerated.ID,
		Objects: pendingObjects()[:1],
		Anonymous: &isachub.AnonymousSubmission{CommunityID: f.other.ID, CollectionID: otherModerated.ID, HandleHash: handle("n2"),
			OrgID: f.otherOrg.ID, ObjectIDs: []string{"indicator--" + UUID(7, 1)}}}
	for _, p := range []*isachub.Pending{queued, named, otherQueued} {
		mustOK(t, s.CreatePending(ctx, p))
	}
	if got := sealedOf(t, s, f.comm.ID, IndicatorID(1)); got.OrgID != f.orgA.ID {
		t.Fatalf("under sealed the record keeps OrgID %d, want %d", got.OrgID, f.orgA.ID)
	}
	// What a moderator read before the switch, to approve after it.
	stale, err := s.Pending(ctx, f.comm.ID, queued.ID)
	mustOK(t, err)
	if stale.Anonymous.OrgID != f.orgB.ID {
		t.Fatalf("under sealed the queued record keeps OrgID %d, want %d", stale.Anonymous.OrgID, f.orgB.ID)
	}

	before, err := s.Community(ctx, f.comm.Slug)
	mustOK(t, err)
	otherBefore, err := s.Community(ctx, f.other.Slug)
	mustOK(t, err)
	setRecord(t, s, f.comm, isachub.RecordNone)
	// The re-minting secret keyed the sealed ids by organisation: it is
	// replaced, so that no one can recompute them.
	after, err := s.Community(ctx, f.comm.Slug)
	mustOK(t, err)
	otherAfter, err := s.Community(ctx, f.other.Slug)
	mustOK(t, err)
	if len(after.AnonSecret) != 32 || string(after.AnonSecret) == string(before.AnonSecret) {
		t.Errorf("switching to none keeps the re-minting secret (%d bytes)", len(after.AnonSecret))
	}
	if string(otherAfter.AnonSecret) != string(otherBefore.AnonSecret) {
		t.Errorf("switching one community to none replaced another's secret")
	}

	// erased is what a record must be once its organisation is forgotten:
	// everything else as it was.
	erased := func(a *isachub.AnonymousSubmission) *isachub.AnonymousSubmission {
		e := *a
		e.OrgID = 0
		return &e
	}
	t.Run("OKSealedErased", func(t *testing.T) {
		wantRecord(t, sealedOf(t, s, f.comm.ID, IndicatorID(1)), erased(published))
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("n1"))
		mustOK(t, err)
		wantRecord(t, got, erased(published))
	})
	t.Run("OKPendingErased", func(t *testing.T) {
		got, err := s.Pending(ctx, f.comm.ID, queued.ID)
		mustOK(t, err)
		if got.Anonymous == nil || got.SubmitterOrgID != 0 {
			t.Fatalf("queued anonymous submission after the switch: submitter %d, record %+v", got.SubmitterOrgID, got.Anonymous)
		}
		wantRecord(t, got.Anonymous, erased(queued.Anonymous))
		if len(got.Objects) != 1 || string(got.Objects[0]) != string(queued.Objects[0]) {
			t.Fatalf("the switch changed the queued objects: %q", got.Objects)
		}
		queue, err := s.PendingSubmissions(ctx, moderated.ID)
		mustOK(t, err)
		for _, p := range queue {
			if p.Anonymous != nil && (p.Anonymous.OrgID != 0 || p.SubmitterOrgID != 0) {
				t.Fatalf("PendingSubmissions still names an organisation for %s: submitter %d, record %+v", p.ID, p.SubmitterOrgID, p.Anonymous)
			}
		}
	})
	t.Run("OKNotAnonymousKept", func(t *testing.T) {
		// A submission that is not anonymous is published under its
		// submitter's name: it keeps it.
		got, err := s.Pending(ctx, f.comm.ID, named.ID)
		mustOK(t, err)
		if got.Anonymous != nil || got.SubmitterOrgID != f.orgA.ID {
			t.Fatalf("the switch changed a named pending submission: submitter %d, record %+v", got.SubmitterOrgID, got.Anonymous)
		}
	})
	t.Run("OKApprovedAfter", func(t *testing.T) {
		// A caller that still holds the record read under sealed.
		rec := *stale.Anonymous
		rec.ID, rec.ObjectIDs = stale.ID, nil
		_, err := s.AddAnonymous(ctx, moderated.ID, []*stix.Object{Indicator(2)}, &rec)
		mustOK(t, err)
		if rec.OrgID != 0 {
			t.Fatalf("AddAnonymous under none handed back OrgID %d", rec.OrgID)
		}
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("n2"))
		mustOK(t, err)
		if got.ID != stale.ID || got.OrgID != 0 {
			t.Fatalf("the approved record is %+v, want id %s and OrgID 0", got, stale.ID)
		}
		wantRecord(t, sealedOf(t, s, f.comm.ID, IndicatorID(2)), got)
	})
	t.Run("OKAddGivenOrg", func(t *testing.T) {
		rec := &isachub.AnonymousSubmission{HandleHash: handle("n3"), OrgID: f.orgA.ID}
		_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(3)}, rec)
		mustOK(t, err)
		if rec.OrgID != 0 {
			t.Fatalf("AddAnonymous under none handed back OrgID %d", rec.OrgID)
		}
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("n3"))
		mustOK(t, err)
		wantRecord(t, got, rec)
	})
	t.Run("OKQueueGivenOrg", func(t *testing.T) {
		given := &isachub.AnonymousSubmission{CommunityID: f.comm.ID, CollectionID: moderated.ID, HandleHash: handle("n4"),
			OrgID: f.orgA.ID, ObjectIDs: []string{"malware--" + UUID(7, 2)}}
		p := &isachub.Pending{ID: "40000000-0000-4000-8000-000000000004", CommunityID: f.comm.ID, CollectionID: moderated.ID,
			SubmitterOrgID: f.orgA.ID, Anonymous: given, Objects: pendingObjects()[1:2]}
		mustOK(t, s.CreatePending(ctx, p))
		if p.Anonymous.OrgID != 0 || p.SubmitterOrgID != 0 {
			t.Fatalf("CreatePending under none left submitter %d, record %+v", p.SubmitterOrgID, p.Anonymous)
		}
		if given.OrgID != f.orgA.ID {
			t.Fatal("CreatePending changed the caller's record instead of replacing it with a copy")
		}
		got, err := s.Pending(ctx, f.comm.ID, p.ID)
		mustOK(t, err)
		if got.SubmitterOrgID != 0 {
			t.Fatalf("CreatePending under none stored submitter %d", got.SubmitterOrgID)
		}
		wantRecord(t, got.Anonymous, erased(given))
	})
	t.Run("OKOtherCommunityKept", func(t *testing.T) {
		wantRecord(t, sealedOf(t, s, f.other.ID, IndicatorID(1)), otherPublished)
		got, err := s.Pending(ctx, f.other.ID, otherQueued.ID)
		mustOK(t, err)
		wantRecord(t, got.Anonymous, otherQueued.Anonymous)
	})
	t.Run("OKBackToSealed", func(t *testing.T) {
		setRecord(t, s, f.comm, isachub.RecordSealed)
		for _, i := range []int{1, 2, 3} {
			if got := sealedOf(t, s, f.comm.ID, IndicatorID(i)); got.OrgID != 0 {
				t.Fatalf("back under sealed, the record of %s has OrgID %d", IndicatorID(i), got.OrgID)
			}
		}
		for _, id := range []string{queued.ID, "40000000-0000-4000-8000-000000000004"} {
			got, err := s.Pending(ctx, f.comm.ID, id)
			mustOK(t, err)
			if got.Anonymous.OrgID != 0 || got.SubmitterOrgID != 0 {
				t.Fatalf("back under sealed, pending %s names organisation %d/%d", id, got.Anonymous.OrgID, got.SubmitterOrgID)
			}
		}
		// New submissions are sealed again.
		rec := &isachub.AnonymousSubmission{HandleHash: handle("n5"), OrgID: f.orgB.ID}
		_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(4)}, rec)
		mustOK(t, err)
		if got := sealedOf(t, s, f.comm.ID, IndicatorID(4)); got.OrgID != f.orgB.ID {
			t.Fatalf("a new submission under sealed has OrgID %d, want %d", got.OrgID, f.orgB.ID)
		}
	})
	t.Run("OKCreatedNone", func(t *testing.T) {
		// A community created under none never stores one either.
		c := &isachub.Community{Slug: "rail", Title: "Rail ISAC", SubmitterRecord: isachub.RecordNone}
		mustOK(t, s.CreateCommunity(ctx, c))
		coll := &isachub.Collection{CommunityID: c.ID, Title: "Shared", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, coll))
		rec := &isachub.AnonymousSubmission{OrgID: f.orgA.ID}
		_, err := s.AddAnonymous(ctx, coll.ID, []*stix.Object{Indicator(5)}, rec)
		mustOK(t, err)
		if got := sealedOf(t, s, c.ID, IndicatorID(5)); got.OrgID != 0 {
			t.Fatalf("AddAnonymous in a community created under none stored OrgID %d", got.OrgID)
		}
	})
}

// testRecordNoneConcurrent switches a community to none while anonymous
// submissions made under sealed are added and queued: whichever commits
// first, once the switch has committed no record of the community names
// an organisation (the store must not let an add that read sealed commit
// its OrgID after the erasure).
func testRecordNoneConcurrent(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	moderated := &isachub.Collection{CommunityID: f.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	mustOK(t, s.CreateCollection(ctx, moderated))
	const writers, each = 4, 10
	errs := make([]error, writers+1)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				rec := &isachub.AnonymousSubmission{HandleHash: handle(fmt.Sprint("c", n)), OrgID: f.orgA.ID}
				if _, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(n)}, rec); err != nil {
					errs[w] = err
					return
				}
				p := &isachub.Pending{ID: fmt.Sprintf("50000000-0000-4000-8000-%012d", n), CommunityID: f.comm.ID,
					CollectionID: moderated.ID, Objects: pendingObjects()[:1],
					Anonymous: &isachub.AnonymousSubmission{CommunityID: f.comm.ID, OrgID: f.orgA.ID}}
				if err := s.CreatePending(ctx, p); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Go(func() {
		time.Sleep(5 * time.Millisecond) // after some adds, before the last
		c := *f.comm
		c.SubmitterRecord = isachub.RecordNone
		errs[writers] = s.UpdateCommunity(ctx, &c)
	})
	wg.Wait()
	for _, err := range errs {
		mustOK(t, err)
	}
	for n := range writers * each {
		if got := sealedOf(t, s, f.comm.ID, IndicatorID(n)); got.OrgID != 0 {
			t.Fatalf("the record of %s kept OrgID %d across the switch to none", IndicatorID(n), got.OrgID)
		}
	}
	queue, err := s.PendingSubmissions(ctx, moderated.ID)
	mustOK(t, err)
	if len(queue) != writers*each {
		t.Fatalf("the queue holds %d submissions, want %d", len(queue), writers*each)
	}
	for _, p := range queue {
		if p.Anonymous.OrgID != 0 {
			t.Fatalf("pending %s kept OrgID %d across the switch to none", p.ID, p.Anonymous.OrgID)
		}
	}
}
