package storetest

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// all pages through the collection with f and returns every version.
func all(t *testing.T, s isachub.Store, collID string, f isachub.ObjectFilter) []*isachub.ObjectVersion {
	t.Helper()
	return allSeen(t, s, collID, isachub.Unrestricted(), f)
}

// everything is the search scope of the collections, hiding nothing.
func everything(collIDs ...string) map[string]isachub.Visibility {
	scope := make(map[string]isachub.Visibility, len(collIDs))
	for _, id := range collIDs {
		scope[id] = isachub.Unrestricted()
	}
	return scope
}

// allSeen is all for a read that sees what see shows.
func allSeen(t *testing.T, s isachub.Store, collID string, see isachub.Visibility, f isachub.ObjectFilter) []*isachub.ObjectVersion {
	t.Helper()
	var out []*isachub.ObjectVersion
	for range 100000 {
		page, err := s.Objects(t.Context(), collID, see, f)
		mustOK(t, err)
		out = append(out, page.Objects...)
		if !page.More {
			if page.Next != "" {
				t.Fatalf("a last page has next = %q", page.Next)
			}
			return out
		}
		if page.Next == "" || len(page.Objects) == 0 {
			t.Fatalf("a page with more = true has next %q and %d objects", page.Next, len(page.Objects))
		}
		f.Next = page.Next
	}
	t.Fatal("paging did not end")
	return nil
}

// ids returns the STIX ids of vs in order.
func ids(vs []*isachub.ObjectVersion) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// versions returns the Version() strings of vs in order.
func versions(vs []*isachub.ObjectVersion) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Version()
	}
	return out
}

// mustAdd adds objs and fails the test on any error.
func mustAdd(t *testing.T, s isachub.Store, collID string, org int64, objs ...*stix.Object) []isachub.AddResult {
	t.Helper()
	res, err := s.AddObjects(t.Context(), collID, org, objs)
	mustOK(t, err)
	if len(res) != len(objs) {
		t.Fatalf("AddObjects returned %d results for %d objects", len(res), len(objs))
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("AddObjects result %d (%s): %v", i, r.ID, r.Err)
		}
	}
	return res
}

func testAddObjects(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	// Odd formatting, a custom property and a unicode escape must come back
	// byte for byte.
	raw := `{ "type":"indicator","spec_version":"2.1","id":"indicator--` + UUID(7, 7) + `",
  "created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z","name":"caf\u00e9 \u2603",
  "pattern":"[url:value = 'http://x.example/']","pattern_type":"stix","valid_from":"2026-01-02T03:04:05Z",
  "revoked":true,"created_by_ref":"identity--` + UUID(8, 1) + `","x_custom":{"n":12345678901234567890},
  "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb","marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] }`
	exact := Parse(t, raw)
	before := time.Now().Add(-time.Second)
	res := mustAdd(t, s, f.coll.ID, f.orgA.ID, exact, Indicator(1), Malware(1))
	if res[0].ID != exact.ID() || res[0].Version != "2026-01-02T03:04:05.000Z" {
		t.Fatalf("AddResult = %+v", res[0])
	}
	got := all(t, s, f.coll.ID, isachub.ObjectFilter{})
	if !slices.Equal(ids(got), []string{exact.ID(), IndicatorID(1), MalwareID(1)}) {
		t.Fatalf("Objects = %v, want the three in the order added", ids(got))
	}
	t.Run("ExactBytes", func(t *testing.T) {
		v := got[0]
		if !bytes.Equal(v.Raw, []byte(raw)) {
			t.Fatalf("stored bytes differ:\n got %s\nwant %s", v.Raw, raw)
		}
		if v.CollectionID != f.coll.ID || v.Type != "indicator" || v.SpecVersion != "2.1" ||
			v.Created != "2026-01-02T03:04:05.000Z" || v.Modified != "2026-01-02T03:04:05.000Z" || !v.Revoked ||
			v.CreatedByRef != "identity--"+UUID(8, 1) || v.SubmitterOrgID != f.orgA.ID ||
			!slices.Equal(v.Markings, exact.ObjectMarkingRefs()) {
			t.Fatalf("extracted columns wrong: %+v", v)
		}
		if got[1].Revoked || len(got[1].Markings) != 0 || got[1].CreatedByRef != "" {
			t.Fatalf("extracted columns of a plain indicator wrong: %+v", got[1])
		}
	})
	t.Run("DateAdded", func(t *testing.T) {
		for i, v := range got {
			if v.DateAdded.Before(before) || v.DateAdded.After(time.Now().Add(time.Second)) {
				t.Fatalf("date_added %v is not now", v.DateAdded)
			}
			if v.DateAdded.Location() != time.UTC || v.DateAdded.Nanosecond()%1000 != 0 {
				t.Fatalf("date_added %v is not UTC microseconds", v.DateAdded)
			}
			if i > 0 && !v.DateAdded.After(got[i-1].DateAdded) {
				t.Fatalf("date_added not strictly increasing: %v then %v", got[i-1].DateAdded, v.DateAdded)
			}
		}
	})
	t.Run("DuplicateStoresNothing", func(t *testing.T) {
		res := mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicator(1), Indicator(1), exact)
		for _, r := range res {
			if r.Err != nil {
				t.Fatalf("duplicate is not a success: %+v", r)
			}
		}
		again := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
		if len(again) != 3 {
			t.Fatalf("duplicates were stored: %d versions, want 3", len(again))
		}
		for i, r := range res {
			if r.Note != "" || !r.Existed {
				t.Fatalf("the same content sent again has a note or does not say it existed: %d %+v", i, r)
			}
		}
		// The same version with another precision is the same version.
		v2 := Parse(t, `{"type":"malware","spec_version":"2.1","id":"`+MalwareID(1)+`","created":"2026-01-02T03:04:05Z",
			"modified":"2026-01-02T03:04:05Z","name":"Trojan family 1","is_family":true}`)
		mustAdd(t, s, f.coll.ID, f.orgA.ID, v2)
		if n := len(all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})); n != 3 {
			t.Fatalf("a timestamp written with another precision made a new version: %d versions", n)
		}
	})
	t.Run("DuplicateOtherContentSaysSo", func(t *testing.T) {
		// The same id and version with other content: the first is kept,
		// and the result says so (TAXII 2.1 section 5.4), for a version
		// stored before and for one earlier in the same batch.
		changed := Parse(t, strings.Replace(string(Indicator(1).Raw()), `"name":"`, `"name":"changed `, 1))
		fresh := IndicatorVersion(40, Epoch)
		freshChanged := Parse(t, strings.Replace(string(fresh.Raw()), `"name":"`, `"name":"changed `, 1))
		reformatted := Parse(t, strings.Replace(string(Malware(1).Raw()), `{`, `{ `, 1)) // same JSON, other bytes
		res := mustAdd(t, s, f.coll.ID, f.orgA.ID, changed, fresh, freshChanged, reformatted)
		for i, want := range []string{isachub.MsgDuplicateContent, "", isachub.MsgDuplicateContent, ""} {
			if res[i].Err != nil || res[i].Note != want || res[i].Existed != (i != 1) {
				t.Fatalf("result %d = %+v, want success with note %q, existed %v", i, res[i], want, i != 1)
			}
		}
		for _, v := range all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(1), fresh.ID()}}) {
			if strings.Contains(string(v.Raw), "changed") {
				t.Fatalf("the later content replaced the first: %s", v.Raw)
			}
		}
	})
	t.Run("SameIDOtherCollection", func(t *testing.T) {
		// Ownership and versions are per collection.
		c2 := &isachub.Collection{CommunityID: f.comm.ID, Title: "Second", ReadAll: true, WriteAll: true}
		mustOK(t, s.CreateCollection(ctx, c2))
		mustAdd(t, s, c2.ID, f.orgB.ID, Indicator(1))
		page, err := s.Objects(ctx, c2.ID, isachub.Unrestricted(), isachub.ObjectFilter{})
		mustOK(t, err)
		if len(page.Objects) != 1 || page.Objects[0].SubmitterOrgID != f.orgB.ID {
			t.Fatalf("second collection holds %+v", page.Objects)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.AddObjects(ctx, "00000000-0000-4000-8000-000000000000", f.orgA.ID, Indicators(0, 1))
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("Empty", func(t *testing.T) {
		res, err := s.AddObjects(ctx, f.coll.ID, f.orgA.ID, nil)
		mustOK(t, err)
		if len(res) != 0 {
			t.Fatalf("AddObjects(nil) = %+v", res)
		}
	})
}

func testAddObjectsInvalid(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	bad := []*stix.Object{
		Parse(t, `{"type":"indicator","spec_version":"2.1","created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z"}`),
		Parse(t, `{"type":"indicator","spec_version":"2.1","id":"indicator--`+UUID(5, 1)+`","created":"yesterday","modified":"today"}`),
		Parse(t, `{"type":"malware","spec_version":"2.1","id":"indicator--`+UUID(5, 2)+`","created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z"}`),
	}
	objs := append([]*stix.Object{Indicator(1)}, bad...)
	objs = append(objs, Indicator(2))
	res, err := f.s.AddObjects(f.ctx, f.coll.ID, f.orgA.ID, objs)
	mustOK(t, err)
	for i := range bad {
		wantCode(t, res[i+1].Err, isachub.EINVALID)
	}
	if res[0].Err != nil || res[4].Err != nil {
		t.Fatalf("valid objects of the batch failed: %+v %+v", res[0], res[4])
	}
	got := all(t, f.s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
	if !slices.Equal(ids(got), []string{IndicatorID(1), IndicatorID(2)}) {
		t.Fatalf("stored %v, want only the two valid objects", ids(got))
	}
}

func testOwnership(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicator(1))
	later := IndicatorVersion(1, Epoch.Add(time.Hour))
	res, err := s.AddObjects(f.ctx, f.coll.ID, f.orgB.ID, []*stix.Object{later, Indicator(2), Indicator(1)})
	mustOK(t, err)
	for _, i := range []int{0, 2} {
		wantCode(t, res[i].Err, isachub.ECONFLICT)
		if msg := isachub.ErrorMessage(res[i].Err); !bytes.Contains([]byte(msg), []byte("another organisation")) {
			t.Fatalf("conflict message %q does not say another organisation published it", msg)
		}
	}
	if res[1].Err != nil {
		t.Fatalf("the batch's other object failed: %v", res[1].Err)
	}
	got := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
	if len(got) != 2 || got[0].Modified != stamp(Epoch) || got[0].SubmitterOrgID != f.orgA.ID || got[1].SubmitterOrgID != f.orgB.ID {
		t.Fatalf("after the conflict the collection holds %v", versions(got))
	}
	// The owner may add versions.
	mustAdd(t, s, f.coll.ID, f.orgA.ID, later)
	// And B owns what it published first, even within the same batch.
	res, err = s.AddObjects(f.ctx, f.coll.ID, f.orgA.ID, []*stix.Object{IndicatorVersion(2, Epoch.Add(time.Hour))})
	mustOK(t, err)
	wantCode(t, res[0].Err, isachub.ECONFLICT)
}
