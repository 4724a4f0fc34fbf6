package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// relationship returns version modified of relationship number i from
// source to target, marked with level, revoked when asked.
func relationship(i int, modified time.Time, source, target string, level stix.TLP, revoked bool) *stix.Object {
	m := map[string]any{"type": "relationship", "spec_version": "2.1", "id": "relationship--" + UUID(7, i),
		"created": stamp(Epoch), "modified": stamp(modified), "relationship_type": "indicates",
		"source_ref": source, "target_ref": target}
	if level != stix.TLPNone {
		m["object_marking_refs"] = []string{stix.TLPMarkingID(level)}
	}
	if revoked {
		m["revoked"] = true
	}
	return mustObject(m)
}

// sighting returns sighting number i of the object sighted.
func sighting(i int, sighted string) *stix.Object {
	return mustObject(map[string]any{"type": "sighting", "spec_version": "2.1", "id": "sighting--" + UUID(8, i),
		"created": stamp(Epoch), "modified": stamp(Epoch), "sighting_of_ref": sighted,
		"where_sighted_refs": []string{"identity--" + UUID(9, i), "identity--" + UUID(9, i)}})
}

// hours is how many hours after Epoch the version was modified, as two digits.
func hours(t *testing.T, v *isachub.ObjectVersion) string {
	t.Helper()
	m, err := time.Parse(time.RFC3339, v.Modified)
	mustOK(t, err)
	return fmt.Sprintf("%02d", int(m.Sub(Epoch)/time.Hour))
}

// testReferences checks the reference index: Referring finds the latest
// versions that refer to an id, by any _ref or _refs property but
// created_by_ref and the markings, in scope only, without hidden levels or
// revoked versions; a version that no longer refers is not found; deleted
// versions leave the index; MostReferenced ranks by referring versions;
// Submitted finds an organisation's latest versions.
func testReferences(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	ind1, ind2, mal1, mal2 := IndicatorID(1), IndicatorID(2), MalwareID(1), MalwareID(2)
	h := func(n int) time.Time { return Epoch.Add(time.Duration(n) * time.Hour) }
	// The rankings count by whole day: since the end of yesterday.
	before := isachub.DayOf(time.Now().UnixMicro()).Add(-time.Microsecond)
	mustAdd(t, s, f.coll.ID, f.orgA.ID,
		relationship(1, h(0), ind1, mal1, stix.TLPClear, false),
		relationship(2, h(0), ind2, mal1, stix.TLPAmber, false),
		relationship(3, h(0), ind1, mal2, stix.TLPRed, false),
		relationship(4, h(0), ind2, mal2, stix.TLPClear, false),
		relationship(4, h(1), ind2, mal2, stix.TLPClear, true), // revoked
		relationship(5, h(0), ind1, mal2, stix.TLPClear, false),
		relationship(5, h(1), ind2, mal1, stix.TLPClear, false), // now refers elsewhere
		sighting(1, ind1))
	mustAdd(t, s, f.otherColl.ID, f.otherOrg.ID, relationship(9, h(0), ind1, mal1, stix.TLPClear, false))
	referring := func(t *testing.T, scope map[string]isachub.Visibility, rf isachub.ReferenceFilter) []string {
		t.Helper()
		vs, err := s.Referring(ctx, scope, rf)
		mustOK(t, err)
		var ids []string
		for _, v := range vs {
			if v.CollectionID == "" || len(v.Raw) == 0 {
				t.Errorf("%s: no collection or raw bytes", v.ID)
			}
			ids = append(ids, v.Type[:3]+"@"+hours(t, v))
		}
		slices.Sort(ids)
		return ids
	}
	want := func(t *testing.T, got []string, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("referring = %v, want %v", got, want)
		}
	}
	all := everything(f.coll.ID)
	t.Run("ByAnyReferenceProperty", func(t *testing.T) {
		// relationship 1 (source_ref) and the sighting (sighting_of_ref);
		// 3 is RED but the scope is unrestricted; 5 no longer refers to it.
		want(t, referring(t, all, isachub.ReferenceFilter{ID: ind1}), "rel@00", "rel@00", "sig@00")
		want(t, referring(t, all, isachub.ReferenceFilter{ID: mal1}), "rel@00", "rel@00", "rel@01")
		want(t, referring(t, all, isachub.ReferenceFilter{ID: "identity--" + UUID(9, 1)}), "sig@00")
	})
	t.Run("Types", func(t *testing.T) {
		want(t, referring(t, all, isachub.ReferenceFilter{ID: ind1, Types: []string{"sighting"}}), "sig@00")
	})
	t.Run("NotMarkingsOrCreator", func(t *testing.T) {
		want(t, referring(t, all, isachub.ReferenceFilter{ID: stix.TLPMarkingID(stix.TLPClear)}))
	})
	t.Run("HiddenLevelsAndScope", func(t *testing.T) {
		var none isachub.TLPSet
		scope := map[string]isachub.Visibility{f.coll.ID: isachub.Hiding(none.With(stix.TLPRed).With(stix.TLPAmber))}
		want(t, referring(t, scope, isachub.ReferenceFilter{ID: mal1}), "rel@00", "rel@01")
		want(t, referring(t, map[string]isachub.Visibility{f.coll.ID: {}}, isachub.ReferenceFilter{ID: mal1}))
		want(t, referring(t, everything(f.otherColl.ID), isachub.ReferenceFilter{ID: mal1}), "rel@00")
	})
	t.Run("Limit", func(t *testing.T) {
		if got := referring(t, all, isachub.ReferenceFilter{ID: mal1, Limit: 2}); len(got) != 2 {
			t.Fatalf("referring with limit 2 = %v", got)
		}
	})
	rank := func(t *testing.T, scope map[string]isachub.Visibility, types []string, since time.Time, limit int) []isachub.ReferenceCount {
		t.Helper()
		r, err := s.MostReferenced(ctx, scope, types, since, limit)
		mustOK(t, err)
		return r
	}
	wantRank := func(t *testing.T, got []isachub.ReferenceCount, want ...isachub.ReferenceCount) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("most referenced = %v, want %v", got, want)
		}
	}
	t.Run("MostReferenced", func(t *testing.T) {
		// mal1: 1, 2 (AMBER) and 5's second version; mal2: 3 (RED) alone,
		// as 4's latest version is revoked and 5's first is not latest.
		wantRank(t, rank(t, all, []string{"malware"}, before, 10), isachub.ReferenceCount{ID: mal1, Count: 3}, isachub.ReferenceCount{ID: mal2, Count: 1})
		wantRank(t, rank(t, all, []string{"malware"}, before, 1), isachub.ReferenceCount{ID: mal1, Count: 3})
		var none isachub.TLPSet
		scope := map[string]isachub.Visibility{f.coll.ID: isachub.Hiding(none.With(stix.TLPRed).With(stix.TLPAmber))}
		wantRank(t, rank(t, scope, []string{"malware", "tool"}, before, 10), isachub.ReferenceCount{ID: mal1, Count: 2})
		wantRank(t, rank(t, everything(f.otherColl.ID), []string{"malware"}, before, 10), isachub.ReferenceCount{ID: mal1, Count: 1})
		wantRank(t, rank(t, all, []string{"malware"}, time.Now().Add(24*time.Hour), 10))
		_, err := s.MostReferenced(ctx, all, []string{"indicator"}, before, 10)
		wantCode(t, err, isachub.EINVALID)
	})
	t.Run("RankedTypes", func(t *testing.T) {
		// Every type of isachub.RankedTypes is counted, once per version
		// even when two of its properties name the id.
		c := &isachub.Collection{CommunityID: f.comm.ID, Title: "Ranked", Alias: "ranked", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, c))
		var objs []*stix.Object
		var want []isachub.ReferenceCount
		for i, typ := range isachub.RankedTypes {
			id := typ + "--" + UUID(10, i)
			objs = append(objs, relationship(20+i, h(0), id, id, stix.TLPClear, false))
			want = append(want, isachub.ReferenceCount{ID: id, Count: 1})
		}
		mustAdd(t, s, c.ID, f.orgA.ID, objs...)
		wantRank(t, rank(t, everything(c.ID), isachub.RankedTypes, before, 100), want...)
	})
	t.Run("Submitted", func(t *testing.T) {
		submitted := func(t *testing.T, scope map[string]isachub.Visibility, org int64, limit int) []string {
			t.Helper()
			vs, err := s.Submitted(ctx, scope, org, limit)
			mustOK(t, err)
			var ids []string
			for _, v := range vs {
				if v.CollectionID == "" || v.SubmitterOrgID != org {
					t.Errorf("%s: collection %q, submitter %d", v.ID, v.CollectionID, v.SubmitterOrgID)
				}
				ids = append(ids, v.ID[len(v.ID)-2:]+"@"+hours(t, v))
			}
			slices.Sort(ids)
			return ids
		}
		// The latest versions: relationship 4's is revoked, 5's is the second.
		want(t, submitted(t, all, f.orgA.ID, 0), "01@00", "01@00", "02@00", "03@00", "05@01")
		var none isachub.TLPSet
		scope := map[string]isachub.Visibility{f.coll.ID: isachub.Hiding(none.With(stix.TLPRed).With(stix.TLPAmber))}
		want(t, submitted(t, scope, f.orgA.ID, 0), "01@00", "01@00", "05@01")
		want(t, submitted(t, all, f.otherOrg.ID, 0))
		want(t, submitted(t, everything(f.otherColl.ID), f.otherOrg.ID, 0), "09@00")
		want(t, submitted(t, all, 0, 0))
		if got := submitted(t, all, f.orgA.ID, 2); len(got) != 2 {
			t.Fatalf("submitted with limit 2 = %v", got)
		}
	})
	t.Run("DeletedLeaveTheIndex", func(t *testing.T) {
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, "sighting--"+UUID(8, 1), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"all"}}))
		want(t, referring(t, all, isachub.ReferenceFilter{ID: ind1}), "rel@00", "rel@00")
		// Deleting 5's second version makes its first the latest again:
		// the ranking follows.
		mustOK(t, s.DeleteObject(ctx, f.coll.ID, "relationship--"+UUID(7, 5), f.orgA.ID, isachub.ObjectFilter{Versions: []string{"last"}}))
		wantRank(t, rank(t, all, []string{"malware"}, before, 10), isachub.ReferenceCount{ID: mal1, Count: 2}, isachub.ReferenceCount{ID: mal2, Count: 2})
	})
}
