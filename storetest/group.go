package storetest

import (
	"slices"
	"testing"

	"github.com/isachub/isachub"
)

func testGroups(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	g := &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "hub-airports", Name: "Hub airports", Members: []int64{f.orgA.ID, f.orgA.ID}}
	mustOK(t, s.CreateGroup(f.ctx, g))
	if g.ID == 0 || g.CreatedAt.IsZero() || !slices.Equal(g.Members, []int64{f.orgA.ID}) {
		t.Fatalf("created %+v", g)
	}
	readerA := isachub.Reader{OrgID: f.orgA.ID, CommunityID: f.comm.ID}
	readerB := isachub.Reader{OrgID: f.orgB.ID, CommunityID: f.comm.ID}
	operator := isachub.Reader{OrgID: f.otherOrg.ID, CommunityID: f.other.ID, HubOperator: true}
	slugs := func(r isachub.Reader) []string {
		t.Helper()
		gs, err := s.Groups(f.ctx, f.comm.ID, r)
		mustOK(t, err)
		var out []string
		for _, g := range gs {
			out = append(out, g.Slug)
		}
		return out
	}
	t.Run("OKGet", func(t *testing.T) {
		got, err := s.Group(f.ctx, f.comm.ID, "hub-airports")
		mustOK(t, err)
		if got.ID != g.ID || got.Name != g.Name || got.CommunityID != f.comm.ID || !slices.Equal(got.Members, g.Members) || !got.CreatedAt.Equal(g.CreatedAt) {
			t.Fatalf("got %+v, want %+v", got, g)
		}
		_, err = s.Group(f.ctx, f.other.ID, "hub-airports")
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("OKListOnlyMembers", func(t *testing.T) {
		if got := slugs(readerA); !slices.Equal(got, []string{"hub-airports"}) {
			t.Errorf("member sees %v", got)
		}
		if got := slugs(readerB); len(got) != 0 {
			t.Errorf("non-member sees %v", got)
		}
		if got := slugs(operator); !slices.Equal(got, []string{"hub-airports"}) {
			t.Errorf("operator sees %v", got)
		}
		// A member of another community never sees the group, even with
		// the same org id in that community's list.
		if got := slugs(isachub.Reader{OrgID: f.orgA.ID, CommunityID: f.other.ID}); len(got) != 0 {
			t.Errorf("reader of another community sees %v", got)
		}
	})
	t.Run("OKMembers", func(t *testing.T) {
		mustOK(t, s.AddGroupMember(f.ctx, f.comm.ID, "hub-airports", f.orgB.ID))
		mustOK(t, s.AddGroupMember(f.ctx, f.comm.ID, "hub-airports", f.orgB.ID))
		if got := slugs(readerB); !slices.Equal(got, []string{"hub-airports"}) {
			t.Errorf("new member sees %v", got)
		}
		mustOK(t, s.RemoveGroupMember(f.ctx, f.comm.ID, "hub-airports", f.orgB.ID))
		wantCode(t, s.RemoveGroupMember(f.ctx, f.comm.ID, "hub-airports", f.orgB.ID), isachub.ENOTFOUND)
		if got := slugs(readerB); len(got) != 0 {
			t.Errorf("removed member sees %v", got)
		}
	})
	t.Run("ErrInput", func(t *testing.T) {
		wantCode(t, s.CreateGroup(f.ctx, &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "hub-airports", Name: "Again"}), isachub.ECONFLICT)
		wantCode(t, s.CreateGroup(f.ctx, &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "Bad Slug", Name: "x"}), isachub.EINVALID)
		wantCode(t, s.CreateGroup(f.ctx, &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "noname"}), isachub.EINVALID)
		wantCode(t, s.CreateGroup(f.ctx, &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "foreign", Name: "x", Members: []int64{f.otherOrg.ID}}), isachub.EINVALID)
		wantCode(t, s.AddGroupMember(f.ctx, f.comm.ID, "hub-airports", f.otherOrg.ID), isachub.EINVALID)
		wantCode(t, s.AddGroupMember(f.ctx, f.comm.ID, "nothing", f.orgB.ID), isachub.ENOTFOUND)
		wantCode(t, s.DeleteGroup(f.ctx, f.comm.ID, "nothing"), isachub.ENOTFOUND)
		// The same slug in another community is another group.
		mustOK(t, s.CreateGroup(f.ctx, &isachub.SharingGroup{CommunityID: f.other.ID, Slug: "hub-airports", Name: "Other"}))
	})
}

func testGroupCollections(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	g := &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "red-team", Name: "Red team", Members: []int64{f.orgA.ID}}
	mustOK(t, s.CreateGroup(f.ctx, g))
	coll := &isachub.Collection{CommunityID: f.comm.ID, Title: "Red team intel", GroupID: g.ID, DefaultTLP: "red"}
	mustOK(t, s.CreateCollection(f.ctx, coll))
	load := func() *isachub.Collection {
		t.Helper()
		c, err := s.Collection(f.ctx, f.comm.ID, coll.ID)
		mustOK(t, err)
		return c
	}
	t.Run("OKMembersAreReadersAndWriters", func(t *testing.T) {
		for _, c := range []*isachub.Collection{coll, load()} {
			if c.GroupID != g.ID || !c.CanRead(f.orgA.ID) || !c.CanWrite(f.orgA.ID) || c.CanRead(f.orgB.ID) || c.CanWrite(f.orgB.ID) {
				t.Fatalf("collection %+v", c)
			}
		}
		mustOK(t, s.AddGroupMember(f.ctx, f.comm.ID, "red-team", f.orgB.ID))
		if c := load(); !c.CanRead(f.orgB.ID) || !c.CanWrite(f.orgB.ID) {
			t.Fatalf("after adding B: %+v", c)
		}
		mustOK(t, s.RemoveGroupMember(f.ctx, f.comm.ID, "red-team", f.orgB.ID))
		if c := load(); c.CanRead(f.orgB.ID) {
			t.Fatalf("after removing B: %+v", c)
		}
		cs, err := s.Collections(f.ctx, f.comm.ID)
		mustOK(t, err)
		for _, c := range cs {
			if c.ID == coll.ID && (c.GroupID != g.ID || !slices.Equal(c.Readers, []int64{f.orgA.ID})) {
				t.Fatalf("listed %+v", c)
			}
		}
	})
	t.Run("ErrInput", func(t *testing.T) {
		for _, c := range []*isachub.Collection{
			{CommunityID: f.comm.ID, Title: "x", GroupID: g.ID, ReadAll: true},
			{CommunityID: f.comm.ID, Title: "x", GroupID: g.ID, Readers: []int64{f.orgB.ID}},
			{CommunityID: f.comm.ID, Title: "x", ReadAll: true, DefaultTLP: "red"},
		} {
			wantCode(t, s.CreateCollection(f.ctx, c), isachub.EINVALID)
		}
		wantCode(t, s.CreateCollection(f.ctx, &isachub.Collection{CommunityID: f.other.ID, Title: "x", GroupID: g.ID}), isachub.ENOTFOUND)
	})
	t.Run("OKDeleteGroupDeletesCollections", func(t *testing.T) {
		mustAdd(t, s, coll.ID, f.orgA.ID, Indicator(1))
		mustOK(t, s.DeleteGroup(f.ctx, f.comm.ID, "red-team"))
		_, err := s.Collection(f.ctx, f.comm.ID, coll.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.Group(f.ctx, f.comm.ID, "red-team")
		wantCode(t, err, isachub.ENOTFOUND)
	})
}
