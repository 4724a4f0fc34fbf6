package isachub_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/storetest"
)

// moderationFixture is a SQLite store with one community, one organisation
// and a moderated collection.
func moderationFixture(t *testing.T) (isachub.Store, *isachub.Community, *isachub.Org, *isachub.Collection) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	comm := &isachub.Community{Slug: "m-isac", Title: "M ISAC"}
	if err := db.CreateCommunity(ctx, comm); err != nil {
		t.Fatal(err)
	}
	org := &isachub.Org{CommunityID: comm.ID, Slug: "a", Name: "Org A"}
	if err := db.CreateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}
	coll := &isachub.Collection{CommunityID: comm.ID, Title: "Tips", ReadAll: true, WriteAll: true, Moderated: true}
	if err := db.CreateCollection(ctx, coll); err != nil {
		t.Fatal(err)
	}
	return db, comm, org, coll
}

// pendingOf queues the indicators as org's submission, with its status
// unless withStatus is false.
func pendingOf(t *testing.T, db isachub.Store, comm *isachub.Community, org *isachub.Org, coll *isachub.Collection, id string, withStatus bool, n ...int) *isachub.Pending {
	t.Helper()
	p := &isachub.Pending{ID: id, CommunityID: comm.ID, CollectionID: coll.ID, SubmitterOrgID: org.ID}
	st := &isachub.Status{ID: id, CommunityID: comm.ID, CollectionID: coll.ID, OrgID: org.ID, Status: isachub.StatusPending, TotalCount: len(n)}
	for _, i := range n {
		o := storetest.Indicator(i)
		p.Objects = append(p.Objects, json.RawMessage(o.Raw()))
		st.Pendings = append(st.Pendings, isachub.StatusDetail{ID: o.ID(), Version: o.Version()})
	}
	if err := db.CreatePending(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if withStatus {
		if err := db.CreateStatus(context.Background(), st); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestApproveReject(t *testing.T) {
	ctx := context.Background()
	db, comm, org, coll := moderationFixture(t)
	count := func() int {
		p, err := db.Objects(ctx, coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Objects)
	}
	t.Run("OKApprove", func(t *testing.T) {
		p := pendingOf(t, db, comm, org, coll, "50000000-0000-4000-8000-000000000001", true, 1, 2)
		st, err := isachub.Approve(ctx, db, p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != isachub.StatusComplete || len(st.Successes) != 2 || len(st.Pendings) != 0 || count() != 2 {
			t.Fatalf("status %+v, %d objects", st, count())
		}
		if _, err := db.Pending(ctx, comm.ID, p.ID); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Errorf("the approved submission is still queued: %v", err)
		}
		// Approving again (a retry after the queue was left) adds nothing.
		if _, err := isachub.Approve(ctx, db, p); err != nil || count() != 2 {
			t.Errorf("second approval: %v, %d objects", err, count())
		}
	})
	t.Run("OKReject", func(t *testing.T) {
		p := pendingOf(t, db, comm, org, coll, "50000000-0000-4000-8000-000000000002", true, 3)
		st, err := isachub.Reject(ctx, db, p, "not actionable")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Failures) != 1 || st.Failures[0].Message != "The ISAC's moderators did not approve this submission. Reason: not actionable" || count() != 2 {
			t.Fatalf("status %+v, %d objects", st, count())
		}
	})
	t.Run("OKApproveWithoutStatus", func(t *testing.T) {
		// A submission whose status was never stored still leaves the
		// queue, with a status of its own.
		p := pendingOf(t, db, comm, org, coll, "50000000-0000-4000-8000-000000000003", false, 4)
		st, err := isachub.Approve(ctx, db, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Status(ctx, comm.ID, p.ID)
		if err != nil || got.Status != isachub.StatusComplete || len(got.Successes) != 1 || got.Successes[0].ID != storetest.IndicatorID(4) || st.OrgID != org.ID {
			t.Fatalf("stored status %+v (%v)", got, err)
		}
		if count() != 3 {
			t.Errorf("%d objects, want 3", count())
		}
	})
}
