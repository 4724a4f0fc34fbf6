package storetest

import (
	"slices"
	"testing"

	"github.com/isachub/isachub"
)

func testCommunities(t *testing.T, s isachub.Store) {
	ctx := t.Context()
	b := &isachub.Community{Slug: "maritime", Title: "Maritime ISAC", Description: "ships", Sector: "maritime",
		IdentityID: "identity--" + UUID(9, 1), MaxContentLength: 1 << 20, SightingK: 5}
	a := &isachub.Community{Slug: "aviation", Title: "Aviation ISAC"}
	mustOK(t, s.CreateCommunity(ctx, b))
	mustOK(t, s.CreateCommunity(ctx, a))
	if b.ID == 0 || b.CreatedAt.IsZero() || a.ID == b.ID {
		t.Fatalf("CreateCommunity did not set ID/CreatedAt: %+v %+v", a, b)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		wantCode(t, s.CreateCommunity(ctx, &isachub.Community{Slug: "maritime", Title: "Again"}), isachub.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, slug := range []string{"", "Upper", "a/b", "-lead", "with space", "..", string(make([]byte, 64))} {
			wantCode(t, s.CreateCommunity(ctx, &isachub.Community{Slug: slug, Title: "T"}), isachub.EINVALID)
		}
		wantCode(t, s.CreateCommunity(ctx, &isachub.Community{Slug: "notitle"}), isachub.EINVALID)
		wantCode(t, s.CreateCommunity(ctx, &isachub.Community{Slug: "onlyone", Title: "T", SightingK: 1}), isachub.EINVALID)
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.Community(ctx, "maritime")
		mustOK(t, err)
		if got.ID != b.ID || got.Title != b.Title || got.Description != b.Description || got.Sector != b.Sector ||
			got.IdentityID != b.IdentityID || got.MaxContentLength != b.MaxContentLength || !got.CreatedAt.Equal(b.CreatedAt) ||
			got.SightingK != 5 || got.SightingThreshold() != 5 {
			t.Fatalf("Community = %+v, want %+v", got, b)
		}
		if got, _ := s.Community(ctx, "aviation"); got.SightingK != 0 || got.SightingThreshold() != isachub.DefaultSightingK {
			t.Fatalf("the default sighting k = %d (%d)", got.SightingThreshold(), got.SightingK)
		}
		got.SightingK = 2
		mustOK(t, s.UpdateCommunity(ctx, got))
		if again, _ := s.Community(ctx, "maritime"); again.SightingK != 2 {
			t.Fatalf("UpdateCommunity kept sighting k %d, want 2", again.SightingK)
		}
		got.SightingK = 5
		mustOK(t, s.UpdateCommunity(ctx, got))
		all, err := s.Communities(ctx)
		mustOK(t, err)
		if len(all) != 2 || all[0].Slug != "aviation" || all[1].Slug != "maritime" {
			t.Fatalf("Communities not ordered by slug: %+v", all)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Community(ctx, "nope")
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeleteCommunity(ctx, "nope"), isachub.ENOTFOUND)
	})
	t.Run("DeleteCascades", func(t *testing.T) {
		o := &isachub.Org{CommunityID: b.ID, Slug: "shipco", Name: "Ship Co"}
		mustOK(t, s.CreateOrg(ctx, o))
		u := &isachub.User{OrgID: o.ID, Username: "captain", Role: isachub.RoleAdmin}
		mustOK(t, s.CreateUser(ctx, u))
		c := &isachub.Collection{CommunityID: b.ID, Title: "Ships", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, c))
		_, err := s.AddObjects(ctx, c.ID, o.ID, Indicators(0, 3))
		mustOK(t, err)
		st := &isachub.Status{CommunityID: b.ID, CollectionID: c.ID, OrgID: o.ID, Status: isachub.StatusComplete}
		mustOK(t, s.CreateStatus(ctx, st))
		mustOK(t, s.DeleteCommunity(ctx, "maritime"))
		_, err = s.Community(ctx, "maritime")
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.OrgByID(ctx, o.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.User(ctx, "captain")
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.Collection(ctx, b.ID, c.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.Status(ctx, b.ID, st.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		page, err := s.Objects(ctx, c.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}})
		if err == nil && len(page.Objects) != 0 {
			t.Fatalf("objects of a deleted community's collection are still served: %d", len(page.Objects))
		}
		// The slug is free again.
		mustOK(t, s.CreateCommunity(ctx, &isachub.Community{Slug: "maritime", Title: "Maritime ISAC 2"}))
	})
}

func testOrgs(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	t.Run("OK", func(t *testing.T) {
		got, err := s.Org(ctx, f.comm.ID, "acme")
		mustOK(t, err)
		if got.ID != f.orgA.ID || got.Name != "Acme Air" || got.CommunityID != f.comm.ID || !got.CreatedAt.Equal(f.orgA.CreatedAt) {
			t.Fatalf("Org = %+v, want %+v", got, f.orgA)
		}
		got, err = s.OrgByID(ctx, f.otherOrg.ID)
		mustOK(t, err)
		if got.Name != "Acme Power" {
			t.Fatalf("OrgByID = %+v", got)
		}
		all, err := s.Orgs(ctx, f.comm.ID)
		mustOK(t, err)
		if len(all) != 2 || all[0].Slug != "acme" || all[1].Slug != "globex" {
			t.Fatalf("Orgs = %+v", all)
		}
	})
	t.Run("TenantScoping", func(t *testing.T) {
		// The same slug in another community is another organisation, and an
		// organisation is never found through another community's id.
		got, err := s.Org(ctx, f.other.ID, "acme")
		mustOK(t, err)
		if got.ID != f.otherOrg.ID {
			t.Fatalf("Org(other, acme) = %d, want %d", got.ID, f.otherOrg.ID)
		}
		_, err = s.Org(ctx, f.other.ID, "globex")
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeleteOrg(ctx, f.other.ID, "globex"), isachub.ENOTFOUND)
		all, err := s.Orgs(ctx, f.other.ID)
		mustOK(t, err)
		if len(all) != 1 {
			t.Fatalf("Orgs(other) = %d organisations, want 1", len(all))
		}
	})
	t.Run("Errors", func(t *testing.T) {
		wantCode(t, s.CreateOrg(ctx, &isachub.Org{CommunityID: f.comm.ID, Slug: "acme", Name: "Again"}), isachub.ECONFLICT)
		wantCode(t, s.CreateOrg(ctx, &isachub.Org{CommunityID: 987654, Slug: "lost", Name: "Lost"}), isachub.ENOTFOUND)
		wantCode(t, s.CreateOrg(ctx, &isachub.Org{CommunityID: f.comm.ID, Slug: "Bad Slug", Name: "Bad"}), isachub.EINVALID)
		wantCode(t, s.CreateOrg(ctx, &isachub.Org{CommunityID: f.comm.ID, Slug: "noname"}), isachub.EINVALID)
		_, err := s.OrgByID(ctx, 987654)
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("DeleteCascades", func(t *testing.T) {
		u := &isachub.User{OrgID: f.orgB.ID, Username: "bob", Role: isachub.RoleAnalyst}
		mustOK(t, s.CreateUser(ctx, u))
		tok := &isachub.Token{UserID: u.ID, Hash: []byte("0123456789abcdef0123456789abcdef")}
		mustOK(t, s.CreateToken(ctx, tok))
		_, err := s.AddObjects(ctx, f.coll.ID, f.orgB.ID, Indicators(0, 2))
		mustOK(t, err)
		mustOK(t, s.DeleteOrg(ctx, f.comm.ID, "globex"))
		_, err = s.User(ctx, "bob")
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.TokenByHash(ctx, tok.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
		// The intelligence it published stays.
		page, err := s.Objects(ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{})
		mustOK(t, err)
		if len(page.Objects) != 2 {
			t.Fatalf("after DeleteOrg the collection has %d objects, want 2", len(page.Objects))
		}
	})
}

func testUsers(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	zed := &isachub.User{OrgID: f.orgA.ID, Username: "zed", Role: isachub.RoleReader}
	ann := &isachub.User{OrgID: f.orgA.ID, Username: "ann", Role: isachub.RoleAdmin, HubAdmin: true, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"}
	mustOK(t, s.CreateUser(ctx, zed))
	mustOK(t, s.CreateUser(ctx, ann))
	t.Run("OK", func(t *testing.T) {
		got, err := s.User(ctx, "ann")
		mustOK(t, err)
		if got.ID != ann.ID || got.OrgID != f.orgA.ID || got.Role != isachub.RoleAdmin || !got.HubAdmin ||
			got.PasswordHash != ann.PasswordHash || !got.CreatedAt.Equal(ann.CreatedAt) {
			t.Fatalf("User = %+v, want %+v", got, ann)
		}
		got, err = s.UserByID(ctx, zed.ID)
		mustOK(t, err)
		if got.Username != "zed" || got.HubAdmin || got.Role != isachub.RoleReader {
			t.Fatalf("UserByID = %+v", got)
		}
		all, err := s.Users(ctx, f.orgA.ID)
		mustOK(t, err)
		if len(all) != 2 || all[0].Username != "ann" || all[1].Username != "zed" {
			t.Fatalf("Users = %+v", all)
		}
		none, err := s.Users(ctx, f.orgB.ID)
		mustOK(t, err)
		if len(none) != 0 {
			t.Fatalf("Users(orgB) = %+v, want none", none)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		// Usernames are unique across the hub, not per organisation.
		wantCode(t, s.CreateUser(ctx, &isachub.User{OrgID: f.otherOrg.ID, Username: "ann", Role: isachub.RoleReader}), isachub.ECONFLICT)
		wantCode(t, s.CreateUser(ctx, &isachub.User{OrgID: 987654, Username: "ghost", Role: isachub.RoleReader}), isachub.ENOTFOUND)
		wantCode(t, s.CreateUser(ctx, &isachub.User{OrgID: f.orgA.ID, Username: "root", Role: "root"}), isachub.EINVALID)
		wantCode(t, s.CreateUser(ctx, &isachub.User{OrgID: f.orgA.ID, Role: isachub.RoleReader}), isachub.EINVALID)
		_, err := s.User(ctx, "nobody")
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.UserByID(ctx, 987654)
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeleteUser(ctx, "nobody"), isachub.ENOTFOUND)
	})
	t.Run("DeleteRemovesTokens", func(t *testing.T) {
		tok := &isachub.Token{UserID: zed.ID, Name: "siem", Hash: []byte("zed-token-hash-0123456789abcdef!")}
		mustOK(t, s.CreateToken(ctx, tok))
		mustOK(t, s.DeleteUser(ctx, "zed"))
		_, err := s.TokenByHash(ctx, tok.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.User(ctx, "zed")
		wantCode(t, err, isachub.ENOTFOUND)
	})
}

func testTokens(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	u := &isachub.User{OrgID: f.orgA.ID, Username: "robot", Role: isachub.RoleAnalyst}
	mustOK(t, s.CreateUser(ctx, u))
	t1 := &isachub.Token{UserID: u.ID, Name: "first", Hash: []byte{1, 2, 3, 0, 255}, Anonymous: true}
	t2 := &isachub.Token{UserID: u.ID, Name: "second", Hash: []byte{9, 9, 9}}
	mustOK(t, s.CreateToken(ctx, t1))
	mustOK(t, s.CreateToken(ctx, t2))
	t.Run("OK", func(t *testing.T) {
		got, err := s.TokenByHash(ctx, []byte{1, 2, 3, 0, 255})
		mustOK(t, err)
		if got.ID != t1.ID || got.UserID != u.ID || got.Name != "first" || !got.Anonymous ||
			!slices.Equal(got.Hash, t1.Hash) || !got.CreatedAt.Equal(t1.CreatedAt) || !got.LastUsedAt.IsZero() {
			t.Fatalf("TokenByHash = %+v, want %+v", got, t1)
		}
		all, err := s.Tokens(ctx, u.ID)
		mustOK(t, err)
		if len(all) != 2 || all[0].ID != t1.ID || all[1].ID != t2.ID {
			t.Fatalf("Tokens not oldest first: %+v", all)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := s.TokenByHash(ctx, []byte{1, 2, 3})
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.CreateToken(ctx, &isachub.Token{UserID: 987654, Hash: []byte{7}}), isachub.ENOTFOUND)
		wantCode(t, s.CreateToken(ctx, &isachub.Token{UserID: u.ID, Hash: []byte{9, 9, 9}}), isachub.ECONFLICT)
		wantCode(t, s.DeleteToken(ctx, 987654), isachub.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		mustOK(t, s.DeleteToken(ctx, t1.ID))
		_, err := s.TokenByHash(ctx, t1.Hash)
		wantCode(t, err, isachub.ENOTFOUND)
		all, err := s.Tokens(ctx, u.ID)
		mustOK(t, err)
		if len(all) != 1 || all[0].ID != t2.ID {
			t.Fatalf("Tokens after delete = %+v", all)
		}
	})
}

func testCollections(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	restricted := &isachub.Collection{
		ID: "91a7b528-80eb-42ed-a74d-c6fbd5a26116", CommunityID: f.comm.ID, Title: "Acme and Globex",
		Description: "a sharing group", Readers: []int64{f.orgB.ID, f.orgA.ID}, Writers: []int64{f.orgA.ID},
		DefaultTLP: "amber+strict",
	}
	mustOK(t, s.CreateCollection(ctx, restricted))
	t.Run("OK", func(t *testing.T) {
		if len(f.coll.ID) != 36 || f.coll.CreatedAt.IsZero() {
			t.Fatalf("CreateCollection did not set ID/CreatedAt: %+v", f.coll)
		}
		got, err := s.Collection(ctx, f.comm.ID, restricted.ID)
		mustOK(t, err)
		wantReaders := []int64{min(f.orgA.ID, f.orgB.ID), max(f.orgA.ID, f.orgB.ID)}
		if got.Title != restricted.Title || got.Description != "a sharing group" || got.Alias != "" || got.ReadAll || got.WriteAll ||
			!slices.Equal(got.Readers, wantReaders) || !slices.Equal(got.Writers, []int64{f.orgA.ID}) ||
			got.DefaultTLP != "amber+strict" || got.CommunityID != f.comm.ID || !got.CreatedAt.Equal(restricted.CreatedAt) {
			t.Fatalf("Collection = %+v, want %+v", got, restricted)
		}
		if !got.CanRead(f.orgB.ID) || got.CanWrite(f.orgB.ID) || !got.CanWrite(f.orgA.ID) {
			t.Fatalf("permissions of %+v wrong", got)
		}
		byAlias, err := s.Collection(ctx, f.comm.ID, "shared")
		mustOK(t, err)
		if byAlias.ID != f.coll.ID || !byAlias.ReadAll || !byAlias.WriteAll || len(byAlias.Readers) != 0 {
			t.Fatalf("Collection by alias = %+v, want %+v", byAlias, f.coll)
		}
		all, err := s.Collections(ctx, f.comm.ID)
		mustOK(t, err)
		if len(all) != 2 || all[0].Title != "Acme and Globex" || all[1].Title != "Shared" {
			t.Fatalf("Collections not ordered by title: %+v", all)
		}
	})
	t.Run("TenantScoping", func(t *testing.T) {
		_, err := s.Collection(ctx, f.other.ID, restricted.ID)
		wantCode(t, err, isachub.ENOTFOUND)
		got, err := s.Collection(ctx, f.other.ID, "shared")
		mustOK(t, err)
		if got.ID != f.otherColl.ID {
			t.Fatalf("alias resolved across communities: %s, want %s", got.ID, f.otherColl.ID)
		}
		wantCode(t, s.DeleteCollection(ctx, f.other.ID, restricted.ID), isachub.ENOTFOUND)
		// A reader from another community is not a member.
		c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Leaky", Readers: []int64{f.otherOrg.ID}}
		wantCode(t, s.CreateCollection(ctx, c), isachub.ENOTFOUND)
		all, err := s.Collections(ctx, f.comm.ID)
		mustOK(t, err)
		for _, c := range all {
			if c.Title == "Leaky" {
				t.Fatal("a failed CreateCollection left a collection behind")
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{ID: restricted.ID, CommunityID: f.comm.ID, Title: "Dup"}), isachub.ECONFLICT)
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{CommunityID: f.comm.ID, Title: "Dup", Alias: "shared"}), isachub.ECONFLICT)
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{ID: "not-a-uuid", CommunityID: f.comm.ID, Title: "Bad"}), isachub.EINVALID)
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{CommunityID: f.comm.ID}), isachub.EINVALID)
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{CommunityID: f.comm.ID, Title: "T", DefaultTLP: "white"}), isachub.EINVALID)
		wantCode(t, s.CreateCollection(ctx, &isachub.Collection{CommunityID: 987654, Title: "Lost"}), isachub.ENOTFOUND)
		_, err := s.Collection(ctx, f.comm.ID, "no-such-alias")
		wantCode(t, err, isachub.ENOTFOUND)
		wantCode(t, s.DeleteCollection(ctx, f.comm.ID, "00000000-0000-4000-8000-000000000000"), isachub.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		mustOK(t, s.DeleteCollection(ctx, f.comm.ID, restricted.ID))
		_, err := s.Collection(ctx, f.comm.ID, restricted.ID)
		wantCode(t, err, isachub.ENOTFOUND)
	})
}

// testMigrate checks that Migrate on a migrated store is a no-op that
// keeps the data.
func testMigrate(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, 3)...)
	for range 2 {
		mustOK(t, s.Migrate(f.ctx))
	}
	if n := len(all(t, s, f.coll.ID, isachub.ObjectFilter{})); n != 3 {
		t.Fatalf("after Migrate the collection holds %d objects, want 3", n)
	}
	if _, err := s.Community(f.ctx, f.comm.Slug); err != nil {
		t.Fatalf("after Migrate: %v", err)
	}
}
