package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

func testStatus(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	req := time.Date(2026, 11, 23, 6, 0, 0, 123456000, time.UTC)
	st := &isachub.Status{CommunityID: f.comm.ID, CollectionID: f.coll.ID, OrgID: f.orgA.ID,
		Status: isachub.StatusPending, RequestTimestamp: req, TotalCount: 3,
		Successes: []isachub.StatusDetail{{ID: IndicatorID(1), Version: stamp(Epoch)}},
		Pendings:  []isachub.StatusDetail{{ID: IndicatorID(2), Version: stamp(Epoch)}, {ID: IndicatorID(3), Version: stamp(Epoch)}},
	}
	mustOK(t, s.CreateStatus(ctx, st))
	if len(st.ID) != 36 {
		t.Fatalf("CreateStatus set id %q, want a UUID", st.ID)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := s.Status(ctx, f.comm.ID, st.ID)
		mustOK(t, err)
		if got.ID != st.ID || got.CollectionID != f.coll.ID || got.OrgID != f.orgA.ID || got.Status != isachub.StatusPending ||
			!got.RequestTimestamp.Equal(req) || got.TotalCount != 3 || !slices.Equal(got.Successes, st.Successes) ||
			len(got.Failures) != 0 || !slices.Equal(got.Pendings, st.Pendings) {
			t.Fatalf("Status = %+v, want %+v", got, st)
		}
	})
	t.Run("Update", func(t *testing.T) {
		st.Status = isachub.StatusComplete
		st.Successes = append(st.Successes, st.Pendings[0])
		st.Failures = []isachub.StatusDetail{{ID: IndicatorID(3), Version: stamp(Epoch), Message: "The object was first published by another organisation."}}
		st.Pendings = nil
		mustOK(t, s.UpdateStatus(ctx, st))
		got, err := s.Status(ctx, f.comm.ID, st.ID)
		mustOK(t, err)
		if got.Status != isachub.StatusComplete || len(got.Successes) != 2 || len(got.Pendings) != 0 ||
			!slices.Equal(got.Failures, st.Failures) {
			t.Fatalf("after UpdateStatus: %+v", got)
		}
	})
	t.Run("TenantScoping", func(t *testing.T) {
		_, err := s.Status(ctx, f.other.ID, st.ID)
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := s.Status(ctx, f.comm.ID, "00000000-0000-4000-8000-000000000000")
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.UpdateStatus(ctx, &isachub.Status{ID: "00000000-0000-4000-8000-000000000000", CommunityID: f.comm.ID,
			Status: isachub.StatusComplete}), isachub.ENOTFOUND)
		dup := *st
		wantCode(t, s.CreateStatus(ctx, &dup), isachub.ECONFLICT)
		wantCode(t, s.CreateStatus(ctx, &isachub.Status{CommunityID: f.comm.ID, Status: "done"}), isachub.EINVALID)
	})
}

func testAudit(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	at := time.Date(2026, 11, 23, 6, 0, 0, 5000, time.UTC)
	entries := []*isachub.AuditEntry{
		{CommunityID: f.comm.ID, UserID: 7, Action: "collection.create", Target: f.coll.ID, Detail: "title=Shared", At: at},
		{Action: "community.create", Target: "energy"},
		{CommunityID: f.comm.ID, Action: "object.delete", Target: IndicatorID(1)},
		{CommunityID: f.other.ID, Action: "org.create", Target: "acme"},
	}
	for _, e := range entries {
		mustOK(t, s.AppendAudit(ctx, e))
		if e.ID == 0 || e.At.IsZero() {
			t.Fatalf("AppendAudit did not set ID/At: %+v", e)
		}
	}
	if !entries[0].At.Equal(at) {
		t.Fatalf("AppendAudit changed a given At: %v", entries[0].At)
	}
	t.Run("Community", func(t *testing.T) {
		got, err := s.AuditEntries(ctx, f.comm.ID, 10)
		mustOK(t, err)
		if len(got) != 2 || got[0].ID != entries[2].ID || got[1].ID != entries[0].ID {
			t.Fatalf("AuditEntries(comm) = %+v", got)
		}
		e := got[1]
		if e.UserID != 7 || e.Action != "collection.create" || e.Target != f.coll.ID || e.Detail != "title=Shared" || !e.At.Equal(at) {
			t.Fatalf("entry = %+v, want %+v", e, entries[0])
		}
	})
	t.Run("All", func(t *testing.T) {
		got, err := s.AuditEntries(ctx, 0, 10)
		mustOK(t, err)
		if len(got) != 4 || got[0].ID != entries[3].ID || got[3].ID != entries[0].ID {
			t.Fatalf("AuditEntries(0) not newest first: %+v", got)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		got, err := s.AuditEntries(ctx, 0, 3)
		mustOK(t, err)
		if len(got) != 3 || got[0].ID != entries[3].ID {
			t.Fatalf("AuditEntries(0, 3) = %+v", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		wantCode(t, s.AppendAudit(ctx, &isachub.AuditEntry{Target: "x"}), isachub.EINVALID)
	})
}
