package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// testJoining holds membership requests and invitations: a request is
// stored pending and scoped to its community; approving it creates the
// organisation and its invitation in one transaction, and nothing when
// any part fails; a request is decided once; an invitation is used once,
// never after it expires, and creates its user with its role.
func testJoining(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	req := func(name string) *isachub.MembershipRequest {
		r := &isachub.MembershipRequest{CommunityID: f.comm.ID, OrgName: name, Contact: "Ada Lovelace",
			Email: "ada@example.org", Sector: "aviation", Reason: "We run airports."}
		mustOK(t, s.CreateMembershipRequest(ctx, r))
		return r
	}
	inv := func(secret byte) *isachub.Invitation {
		return &isachub.Invitation{Role: isachub.RoleAdmin, Hash: []byte{secret, 1, 2}, ExpiresAt: time.Now().Add(time.Hour)}
	}
	r1, r2, r3 := req("Initech Air"), req("Umbrella Airlines"), req("Hooli Jets")

	t.Run("Requests", func(t *testing.T) {
		got, err := s.MembershipRequest(ctx, f.comm.ID, r1.ID)
		mustOK(t, err)
		if got.OrgName != "Initech Air" || got.Email != "ada@example.org" || got.Status != isachub.RequestPending ||
			!got.CreatedAt.Equal(r1.CreatedAt) || !got.DecidedAt.IsZero() || got.OrgID != 0 {
			t.Fatalf("MembershipRequest = %+v", got)
		}
		_, err = s.MembershipRequest(ctx, f.other.ID, r1.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		list, err := s.MembershipRequests(ctx, f.comm.ID, isachub.RequestPending, 10)
		mustOK(t, err)
		if len(list) != 3 || list[0].ID != r1.ID || list[2].ID != r3.ID {
			t.Fatalf("MembershipRequests = %d requests, want the three, oldest first", len(list))
		}
		if list, _ := s.MembershipRequests(ctx, f.other.ID, "", 10); len(list) != 0 {
			t.Fatalf("another community sees %d requests", len(list))
		}
		wantCode(t, s.CreateMembershipRequest(ctx, &isachub.MembershipRequest{CommunityID: f.comm.ID, OrgName: "x",
			Contact: "y", Email: "not an address"}), isachub.EINVALID)
		wantCode(t, s.CreateMembershipRequest(ctx, &isachub.MembershipRequest{CommunityID: 987654, OrgName: "x",
			Contact: "y", Email: "y@example.org"}), isachub.ENOTFOUND)
	})

	t.Run("Approve", func(t *testing.T) {
		o := &isachub.Org{Slug: "initech", Name: "Initech Air"}
		i := inv(1)
		mustOK(t, s.ApproveMembershipRequest(ctx, f.comm.ID, r1.ID, 0, "Known to the board.", o, i))
		if o.ID == 0 || i.OrgID != o.ID || i.ID == 0 {
			t.Fatalf("approval set org %d, invitation %d to org %d", o.ID, i.ID, i.OrgID)
		}
		got, err := s.MembershipRequest(ctx, f.comm.ID, r1.ID)
		mustOK(t, err)
		if got.Status != isachub.RequestApproved || got.OrgID != o.ID || got.Decision != "Known to the board." || got.DecidedAt.IsZero() {
			t.Fatalf("approved request = %+v", got)
		}
		if org, err := s.Org(ctx, f.comm.ID, "initech"); err != nil || org.Name != "Initech Air" {
			t.Fatalf("Org after approval = %v, %v", org, err)
		}
		// Decided once: neither a second approval nor a decline.
		wantCode(t, s.ApproveMembershipRequest(ctx, f.comm.ID, r1.ID, 0, "", &isachub.Org{Slug: "initech2", Name: "x"}, inv(2)), isachub.ECONFLICT)
		wantCode(t, s.DeclineMembershipRequest(ctx, f.comm.ID, r1.ID, 0, "no"), isachub.ECONFLICT)
		if _, err := s.Org(ctx, f.comm.ID, "initech2"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Fatalf("a refused approval left its organisation: %v", err)
		}
		if n, err := s.CountMembershipRequests(ctx, f.comm.ID, isachub.RequestPending); err != nil || n != 2 {
			t.Fatalf("CountMembershipRequests = %d, %v; want 2 pending", n, err)
		}
	})

	t.Run("ApproveAtomic", func(t *testing.T) {
		// The slug is taken: the request stays pending, no invitation.
		i := inv(3)
		wantCode(t, s.ApproveMembershipRequest(ctx, f.comm.ID, r2.ID, 0, "", &isachub.Org{Slug: "acme", Name: "Umbrella"}, i), isachub.ECONFLICT)
		got, err := s.MembershipRequest(ctx, f.comm.ID, r2.ID)
		mustOK(t, err)
		if got.Status != isachub.RequestPending {
			t.Fatalf("a failed approval left the request %s", got.Status)
		}
		_, err = s.InvitationByHash(ctx, i.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
		// Another community's request is not found from this one.
		wantCode(t, s.ApproveMembershipRequest(ctx, f.other.ID, r2.ID, 0, "", &isachub.Org{Slug: "umbrella", Name: "U"}, inv(4)), isachub.ENOTFOUND)
		if _, err := s.Org(ctx, f.other.ID, "umbrella"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Fatalf("an approval of an unknown request left its organisation: %v", err)
		}
	})

	t.Run("Decline", func(t *testing.T) {
		mustOK(t, s.DeclineMembershipRequest(ctx, f.comm.ID, r3.ID, 0, "Not in the sector."))
		got, err := s.MembershipRequest(ctx, f.comm.ID, r3.ID)
		mustOK(t, err)
		if got.Status != isachub.RequestDeclined || got.Decision != "Not in the sector." || got.OrgID != 0 {
			t.Fatalf("declined request = %+v", got)
		}
		wantCode(t, s.DeclineMembershipRequest(ctx, f.comm.ID, 987654, 0, ""), isachub.ENOTFOUND)
	})

	t.Run("Invitations", func(t *testing.T) {
		i := &isachub.Invitation{OrgID: f.orgA.ID, Role: isachub.RoleAnalyst, Hash: []byte{7, 7}, Note: "for Grace",
			ExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)}
		mustOK(t, s.CreateInvitation(ctx, i))
		got, err := s.InvitationByHash(ctx, []byte{7, 7})
		mustOK(t, err)
		if got.ID != i.ID || got.OrgID != f.orgA.ID || got.Role != isachub.RoleAnalyst || got.Note != "for Grace" ||
			!bytes.Equal(got.Hash, i.Hash) || !got.ExpiresAt.Equal(i.ExpiresAt) || !got.UsedAt.IsZero() {
			t.Fatalf("InvitationByHash = %+v, want %+v", got, i)
		}
		wantCode(t, s.CreateInvitation(ctx, &isachub.Invitation{OrgID: f.orgA.ID, Role: isachub.RoleAnalyst, Hash: []byte{7, 7},
			ExpiresAt: i.ExpiresAt}), isachub.ECONFLICT)
		wantCode(t, s.CreateInvitation(ctx, &isachub.Invitation{OrgID: 987654, Role: isachub.RoleAnalyst, Hash: []byte{7, 8},
			ExpiresAt: i.ExpiresAt}), isachub.ENOTFOUND)
		wantCode(t, s.CreateInvitation(ctx, &isachub.Invitation{OrgID: f.orgA.ID, Role: "boss", Hash: []byte{7, 9},
			ExpiresAt: i.ExpiresAt}), isachub.EINVALID)

		// Used once, creating the user with the invitation's role.
		u := &isachub.User{Username: "grace", Role: isachub.RoleAdmin, HubAdmin: true, PasswordHash: "x"}
		used, err := s.AcceptInvitation(ctx, i.Hash, time.Now(), u)
		mustOK(t, err)
		if u.ID == 0 || u.OrgID != f.orgA.ID || u.Role != isachub.RoleAnalyst || u.HubAdmin || used.UserID != u.ID || used.UsedAt.IsZero() {
			t.Fatalf("AcceptInvitation made %+v, invitation %+v", u, used)
		}
		if got, err := s.User(ctx, "grace"); err != nil || got.Role != isachub.RoleAnalyst || got.HubAdmin {
			t.Fatalf("the invited user = %+v, %v", got, err)
		}
		_, err = s.AcceptInvitation(ctx, i.Hash, time.Now(), &isachub.User{Username: "grace2", PasswordHash: "x"})
		wantCode(t, err, isachub.ENOTFOUND)
		if list, err := s.Invitations(ctx, f.orgA.ID); err != nil || len(list) != 1 || list[0].UserID != u.ID {
			t.Fatalf("Invitations = %v, %v", list, err)
		}
	})

	t.Run("InvitationExpired", func(t *testing.T) {
		i := &isachub.Invitation{OrgID: f.orgA.ID, Role: isachub.RoleReader, Hash: []byte{8}, ExpiresAt: time.Now().Add(time.Hour)}
		mustOK(t, s.CreateInvitation(ctx, i))
		_, err := s.AcceptInvitation(ctx, i.Hash, time.Now().Add(2*time.Hour), &isachub.User{Username: "late", PasswordHash: "x"})
		wantCode(t, err, isachub.ENOTFOUND)
		// A taken username fails, and leaves the invitation usable.
		_, err = s.AcceptInvitation(ctx, i.Hash, time.Now(), &isachub.User{Username: "grace", PasswordHash: "x"})
		wantCode(t, err, isachub.ECONFLICT)
		if got, err := s.InvitationByHash(ctx, i.Hash); err != nil || !got.Usable(time.Now()) {
			t.Fatalf("a failed use spent the invitation: %+v, %v", got, err)
		}
		if _, err := s.User(ctx, "late"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Fatalf("an expired invitation created its user: %v", err)
		}
	})

	t.Run("InvitationOnceConcurrently", func(t *testing.T) {
		i := &isachub.Invitation{OrgID: f.orgB.ID, Role: isachub.RoleReader, Hash: []byte{9}, ExpiresAt: time.Now().Add(time.Hour)}
		mustOK(t, s.CreateInvitation(ctx, i))
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for n := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.AcceptInvitation(ctx, i.Hash, time.Now(), &isachub.User{Username: "racer" + string(rune('a'+n)), PasswordHash: "x"})
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if isachub.ErrorCode(err) != isachub.ENOTFOUND {
					t.Errorf("a concurrent use failed with %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d concurrent uses of one invitation succeeded, want 1", ok)
		}
	})

	t.Run("GoneWithOrg", func(t *testing.T) {
		i := &isachub.Invitation{OrgID: f.orgB.ID, Role: isachub.RoleReader, Hash: []byte{10}, ExpiresAt: time.Now().Add(time.Hour)}
		mustOK(t, s.CreateInvitation(ctx, i))
		mustOK(t, s.DeleteOrg(ctx, f.comm.ID, f.orgB.Slug))
		_, err := s.InvitationByHash(ctx, i.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
	})
}
