package storetest

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// pendingObjects are raw objects as a client may send them: odd spacing
// and escapes, characters that encoders like to escape, big numbers and
// whitespace around the object. A moderated submission must come back
// byte for byte.
func pendingObjects() []json.RawMessage {
	return []json.RawMessage{
		json.RawMessage(`{ "type":"indicator","spec_version":"2.1","id":"indicator--` + UUID(7, 1) + `",
  "created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"caf\u00e9 \u2603 <b>&amp;</b>",
  "pattern":"[url:value = 'http://x.example/?a=1&b=2']","pattern_type":"stix","valid_from":"2026-01-02T03:04:05Z",
  "x_custom":{"n":12345678901234567890, "f": 1.50, "e": 1E+2} }`),
		json.RawMessage("\n\t{\"type\":\"malware\",\"id\":\"malware--" + UUID(7, 2) + "\",\"name\":\"\u00e9\",\"is_family\":false}  \r\n"),
		json.RawMessage(`{"type":"domain-name","value":"a,b].example","id":"domain-name--` + UUID(7, 3) + `"}`),
	}
}

func testPending(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	moderated := &isachub.Collection{CommunityID: f.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	mustOK(t, s.CreateCollection(ctx, moderated))
	anon := &isachub.AnonymousSubmission{ID: "30000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID,
		CollectionID: moderated.ID, HandleHash: handle("p1"), OrgID: f.orgA.ID,
		ObjectIDs: []string{"indicator--" + UUID(7, 1), "malware--" + UUID(7, 2)},
		CreatedAt: time.Date(2026, 11, 23, 8, 0, 0, 654321000, time.UTC)}
	// Created in the order c, b, a: the queue is oldest first, not by id.
	ps := []*isachub.Pending{
		{ID: "c0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: moderated.ID,
			SubmitterOrgID: f.orgA.ID, Objects: pendingObjects()},
		{ID: "b0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: moderated.ID,
			Anonymous: anon, Objects: pendingObjects()[:2]},
		{ID: "a0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: moderated.ID,
			SubmitterOrgID: f.orgB.ID},
	}
	for _, p := range ps {
		mustOK(t, s.CreatePending(ctx, p))
		if p.CreatedAt.IsZero() {
			t.Fatalf("CreatePending did not set CreatedAt: %+v", p)
		}
		time.Sleep(2 * time.Millisecond) // distinct created_at
	}
	other := &isachub.Pending{ID: "d0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: f.coll.ID,
		SubmitterOrgID: f.orgA.ID, Objects: pendingObjects()[2:]}
	mustOK(t, s.CreatePending(ctx, other))

	check := func(t *testing.T, got, want *isachub.Pending) {
		t.Helper()
		if got.ID != want.ID || got.CommunityID != want.CommunityID || got.CollectionID != want.CollectionID ||
			got.SubmitterOrgID != want.SubmitterOrgID || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Fatalf("pending = %+v, want %+v", got, want)
		}
		if len(got.Objects) != len(want.Objects) {
			t.Fatalf("pending %s has %d objects, want %d", want.ID, len(got.Objects), len(want.Objects))
		}
		for i := range want.Objects {
			if !bytes.Equal(got.Objects[i], want.Objects[i]) {
				t.Fatalf("object %d of %s changed:\n got %q\nwant %q", i, want.ID, got.Objects[i], want.Objects[i])
			}
		}
		if (got.Anonymous == nil) != (want.Anonymous == nil) {
			t.Fatalf("pending %s: anonymous record %+v, want %+v", want.ID, got.Anonymous, want.Anonymous)
		}
		if want.Anonymous != nil {
			wantRecord(t, got.Anonymous, want.Anonymous)
		}
	}
	t.Run("OK", func(t *testing.T) {
		for _, want := range append(ps, other) {
			got, err := s.Pending(ctx, f.comm.ID, want.ID)
			mustOK(t, err)
			check(t, got, want)
		}
	})
	t.Run("OKQueue", func(t *testing.T) {
		got, err := s.PendingSubmissions(ctx, moderated.ID)
		mustOK(t, err)
		if len(got) != len(ps) {
			t.Fatalf("PendingSubmissions returned %d, want %d", len(got), len(ps))
		}
		for i := range ps {
			check(t, got[i], ps[i])
		}
		if !slices.IsSortedFunc(got, func(a, b *isachub.Pending) int { return a.CreatedAt.Compare(b.CreatedAt) }) {
			t.Fatal("PendingSubmissions is not oldest first")
		}
		for _, id := range []string{f.otherColl.ID, "00000000-0000-4000-8000-000000000000"} {
			got, err := s.PendingSubmissions(ctx, id)
			mustOK(t, err)
			if len(got) != 0 {
				t.Fatalf("PendingSubmissions(%s) = %d submissions, want none", id, len(got))
			}
		}
	})
	t.Run("TenantScoping", func(t *testing.T) {
		_, err := s.Pending(ctx, f.other.ID, ps[0].ID)
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeletePending(ctx, f.other.ID, ps[0].ID), isachub.ENOTFOUND)
		// A collection of another community.
		p := &isachub.Pending{ID: "e0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: f.otherColl.ID}
		wantCode(t, s.CreatePending(ctx, p), isachub.ENOTFOUND)
		_, err = s.Pending(ctx, f.comm.ID, p.ID)
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("Errors", func(t *testing.T) {
		dup := *ps[0]
		wantCode(t, s.CreatePending(ctx, &dup), isachub.ECONFLICT)
		wantCode(t, s.CreatePending(ctx, &isachub.Pending{CommunityID: f.comm.ID, CollectionID: moderated.ID}), isachub.EINVALID)
		bad := &isachub.Pending{ID: "f0000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID, CollectionID: moderated.ID,
			Objects: []json.RawMessage{json.RawMessage(`{"type":"indicator"`)}}
		wantCode(t, s.CreatePending(ctx, bad), isachub.EINVALID)
		_, err := s.Pending(ctx, f.comm.ID, "00000000-0000-4000-8000-000000000000")
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeletePending(ctx, f.comm.ID, "00000000-0000-4000-8000-000000000000"), isachub.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		mustOK(t, s.DeletePending(ctx, f.comm.ID, ps[1].ID))
		_, err := s.Pending(ctx, f.comm.ID, ps[1].ID)
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeletePending(ctx, f.comm.ID, ps[1].ID), isachub.ENOTFOUND)
		got, err := s.PendingSubmissions(ctx, moderated.ID)
		mustOK(t, err)
		if len(got) != 2 || got[0].ID != ps[0].ID || got[1].ID != ps[2].ID {
			t.Fatalf("after DeletePending the queue holds %+v", got)
		}
	})
	t.Run("DeleteCollectionCascades", func(t *testing.T) {
		mustOK(t, s.DeleteCollection(ctx, f.comm.ID, moderated.ID))
		for _, p := range ps {
			_, err := s.Pending(ctx, f.comm.ID, p.ID)
			wantCode(t, err, isachub.ENOTFOUND)
		}
		got, err := s.PendingSubmissions(ctx, moderated.ID)
		mustOK(t, err)
		if len(got) != 0 {
			t.Fatalf("the deleted collection's queue holds %d submissions", len(got))
		}
		if _, err := s.Pending(ctx, f.comm.ID, other.ID); err != nil {
			t.Fatalf("deleting one collection removed another's pending submission: %v", err)
		}
	})
	t.Run("DeleteCommunityCascades", func(t *testing.T) {
		// Everything of issue 6 goes with its community.
		r := &isachub.AnonymousSubmission{HandleHash: handle("gone")}
		_, err := s.AddAnonymous(ctx, f.otherColl.ID, Indicators(0, 1), r)
		mustOK(t, err)
		p := &isachub.Pending{ID: "e1000000-0000-4000-8000-000000000000", CommunityID: f.other.ID, CollectionID: f.otherColl.ID,
			Anonymous: r, Objects: pendingObjects()}
		mustOK(t, s.CreatePending(ctx, p))
		mustOK(t, s.DeleteCommunity(ctx, f.other.Slug))
		_, err = s.Pending(ctx, f.other.ID, p.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.AnonymousByHandle(ctx, f.other.ID, handle("gone"))
		wantCode(t, err, isachub.ENOTFOUND)
	})
}
