package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

func testDeleteObject(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	h := func(n int) time.Time { return Epoch.Add(time.Duration(n) * time.Hour) }
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicator(1), IndicatorVersion(1, h(1)), IndicatorVersion(1, h(2)), Indicator(2))
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(99), f.orgA.ID, isachub.ObjectFilter{}), isachub.ENOTFOUND)
		wantCode(t, s.DeleteObject(ctx, "00000000-0000-4000-8000-000000000000", IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{}), isachub.ENOTFOUND)
		wantCode(t, s.DeleteObject(ctx, f.otherColl.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{}), isachub.ENOTFOUND)
		wantCode(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{stamp(h(7))}}), isachub.ENOTFOUND)
		wantCode(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{SpecVersions: []string{"2.0"}}), isachub.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		wantCode(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgB.ID, isachub.ObjectFilter{}), isachub.EFORBIDDEN)
		if n := len(all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})); n != 4 {
			t.Fatalf("a forbidden delete removed versions: %d left", n)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		wantCode(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"newest"}}), isachub.EINVALID)
	})
	modified := func() []string {
		var out []string
		for _, v := range all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(1)}, Versions: []string{"all"}}) {
			out = append(out, v.Modified)
		}
		return out
	}
	t.Run("LastThenNewLatest", func(t *testing.T) {
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"last"}}))
		if got := modified(); !slices.Equal(got, []string{stamp(h(0)), stamp(h(1))}) {
			t.Fatalf("after deleting the last version: %v", got)
		}
		last := all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(1)}})
		if len(last) != 1 || last[0].Modified != stamp(h(1)) {
			t.Fatalf("the previous version did not become the latest: %v", versions(last))
		}
	})
	t.Run("First", func(t *testing.T) {
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"first"}}))
		if got := modified(); !slices.Equal(got, []string{stamp(h(1))}) {
			t.Fatalf("after deleting the first version: %v", got)
		}
		first := all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(1)}, Versions: []string{"first"}})
		if len(first) != 1 || first[0].Modified != stamp(h(1)) {
			t.Fatalf("the remaining version is not the first: %v", versions(first))
		}
	})
	t.Run("All", func(t *testing.T) {
		mustAdd(t, s, f.coll.ID, f.orgA.ID, IndicatorVersion(1, h(3)))
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(1), f.orgA.ID, isachub.ObjectFilter{}))
		if got := modified(); len(got) != 0 {
			t.Fatalf("after deleting all versions: %v", got)
		}
		rest := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
		if !slices.Equal(ids(rest), []string{IndicatorID(2)}) {
			t.Fatalf("other objects changed: %v", ids(rest))
		}
		// With every version gone, the id is free to publish again.
		mustAdd(t, s, f.coll.ID, f.orgB.ID, Indicator(1))
	})
	t.Run("Timestamp", func(t *testing.T) {
		mustAdd(t, s, f.coll.ID, f.orgA.ID, IndicatorVersion(2, h(4)), IndicatorVersion(2, h(5)))
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, IndicatorID(2), f.orgA.ID, isachub.ObjectFilter{Versions: []string{stamp(h(4))}}))
		got := all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(2)}, Versions: []string{"all"}})
		if !slices.Equal(versions(got), []string{stamp(h(0)), stamp(h(5))}) {
			t.Fatalf("after deleting one timestamp: %v", versions(got))
		}
	})
}

func testDeleteCollectionObjects(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Doomed", ReadAll: true, WriteAll: true}
	mustOK(t, s.CreateCollection(f.ctx, c))
	mustAdd(t, s, c.ID, f.orgA.ID, Indicators(0, 20)...)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, 5)...)
	mustOK(t, s.DeleteCollection(f.ctx, f.comm.ID, c.ID))
	page, err := s.Objects(f.ctx, c.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}})
	mustOK(t, err)
	if len(page.Objects) != 0 {
		t.Fatalf("a deleted collection still serves %d objects", len(page.Objects))
	}
	found, err := Searched(s.SearchObjects(f.ctx, everything(c.ID, f.coll.ID), isachub.SearchQuery{Text: "Malicious", Limit: 100}))
	mustOK(t, err)
	if len(found) != 5 {
		t.Fatalf("search after DeleteCollection found %d objects, want the other collection's 5", len(found))
	}
	// The same id may be created again, empty.
	c2 := &isachub.Collection{ID: c.ID, CommunityID: f.comm.ID, Title: "Reborn"}
	mustOK(t, s.CreateCollection(f.ctx, c2))
	page, err = s.Objects(f.ctx, c.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}})
	mustOK(t, err)
	if len(page.Objects) != 0 {
		t.Fatalf("a re-created collection holds %d objects", len(page.Objects))
	}
}
