package storetest

import (
	"slices"
	"testing"

	"github.com/isachub/isachub"
)

// testUpdateCollection holds UpdateCollection: every settable field
// changes and reads back, reader and writer lists are replaced (not
// merged), the id, community and creation time stay, and the errors:
// an unknown collection, another community's organisation as a reader,
// a taken alias, a sharing group added or removed, and an invalid TLP.
func testUpdateCollection(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Before", Alias: "before",
		Readers: []int64{f.orgA.ID, f.orgB.ID}, Writers: []int64{f.orgA.ID}}
	mustOK(t, s.CreateCollection(ctx, c))
	created := c.CreatedAt

	up := *c
	up.Title, up.Description, up.Alias = "After", "now restricted", "after"
	up.Readers, up.Writers = []int64{f.orgB.ID}, []int64{f.orgB.ID}
	up.DefaultTLP, up.Anonymous, up.Moderated = "red", true, true
	mustOK(t, s.UpdateCollection(ctx, &up))
	got, err := s.Collection(ctx, f.comm.ID, "after")
	mustOK(t, err)
	if got.ID != c.ID || got.Title != "After" || got.Description != "now restricted" || got.DefaultTLP != "red" ||
		!got.Anonymous || !got.Moderated || !got.CreatedAt.Equal(created) ||
		!slices.Equal(got.Readers, []int64{f.orgB.ID}) || !slices.Equal(got.Writers, []int64{f.orgB.ID}) || got.ReadAll || got.WriteAll {
		t.Fatalf("after UpdateCollection: %+v", got)
	}
	if _, err := s.Collection(ctx, f.comm.ID, "before"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
		t.Fatalf("the old alias still finds the collection: %v", err)
	}

	open := *got
	open.Readers, open.Writers, open.ReadAll, open.WriteAll, open.DefaultTLP, open.Alias = nil, nil, true, true, "green", ""
	mustOK(t, s.UpdateCollection(ctx, &open))
	if got, _ := s.Collection(ctx, f.comm.ID, c.ID); !got.ReadAll || !got.WriteAll || got.Readers != nil || got.Alias != "" {
		t.Fatalf("opening the collection to all: %+v", got)
	}

	t.Run("Errors", func(t *testing.T) {
		ghost := open
		ghost.ID = "1d7b9f58-6a0c-4c7e-9d57-0f3e9e2b1a11"
		wantCode(t, s.UpdateCollection(ctx, &ghost), isachub.ENOTFOUND)
		stranger := open
		stranger.ReadAll, stranger.Readers = false, []int64{f.otherOrg.ID}
		wantCode(t, s.UpdateCollection(ctx, &stranger), isachub.ENOTFOUND)
		taken := open
		taken.Alias = f.coll.Alias
		wantCode(t, s.UpdateCollection(ctx, &taken), isachub.ECONFLICT)
		badTLP := open
		badTLP.DefaultTLP = "purple"
		wantCode(t, s.UpdateCollection(ctx, &badTLP), isachub.EINVALID)

		g := &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "ops", Name: "Ops", Members: []int64{f.orgA.ID}}
		mustOK(t, s.CreateGroup(ctx, g))
		joined := open
		joined.ReadAll, joined.WriteAll, joined.GroupID = false, false, g.ID
		wantCode(t, s.UpdateCollection(ctx, &joined), isachub.EINVALID)
		gc := &isachub.Collection{CommunityID: f.comm.ID, Title: "Ops only", GroupID: g.ID}
		mustOK(t, s.CreateCollection(ctx, gc))
		left := *gc
		left.GroupID, left.Readers, left.Writers, left.ReadAll, left.WriteAll = 0, nil, nil, true, true
		wantCode(t, s.UpdateCollection(ctx, &left), isachub.EINVALID)
		renamed := *gc
		renamed.Readers, renamed.Writers, renamed.Title = nil, nil, "Ops, renamed"
		mustOK(t, s.UpdateCollection(ctx, &renamed))
		if !slices.Equal(renamed.Readers, []int64{f.orgA.ID}) {
			t.Fatalf("a group collection's readers after update = %v, want the group's members", renamed.Readers)
		}
		if got, _ := s.Collection(ctx, f.comm.ID, gc.ID); got.Title != "Ops, renamed" || got.GroupID != g.ID {
			t.Fatalf("group collection after update: %+v", got)
		}
	})
}
