package storetest

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// testPaging pages through thousands of versions with small pages, with
// next and with added_after, and checks each is seen exactly once, in
// date_added order.
func testPaging(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	const n = 3000
	var want []string
	for b := 0; b < n; b += 500 {
		var objs []*stix.Object
		for i := b; i < b+500; i++ {
			if i%3 == 0 {
				objs = append(objs, Malware(i))
			} else {
				objs = append(objs, Indicator(i))
			}
		}
		mustAdd(t, s, f.coll.ID, f.orgA.ID, objs...)
		for _, o := range objs {
			want = append(want, o.ID())
		}
	}
	check := func(t *testing.T, got []*isachub.ObjectVersion, want []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("paged %d versions, want %d", len(got), len(want))
		}
		seen := map[string]bool{}
		for i, v := range got {
			if v.ID != want[i] {
				t.Fatalf("version %d is %s, want %s", i, v.ID, want[i])
			}
			if seen[v.ID] {
				t.Fatalf("%s seen twice", v.ID)
			}
			seen[v.ID] = true
			if i > 0 && !v.DateAdded.After(got[i-1].DateAdded) {
				t.Fatalf("out of date_added order at %d", i)
			}
		}
	}
	for _, limit := range []int{7, 100, 1000} {
		t.Run(fmt.Sprintf("NextLimit%d", limit), func(t *testing.T) {
			check(t, all(t, s, f.coll.ID, isachub.ObjectFilter{Limit: limit}), want)
		})
	}
	t.Run("AddedAfter", func(t *testing.T) {
		var got []*isachub.ObjectVersion
		var after time.Time
		for {
			page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 7, AddedAfter: after})
			mustOK(t, err)
			got = append(got, page.Objects...)
			if !page.More {
				break
			}
			after = page.Objects[len(page.Objects)-1].DateAdded
		}
		check(t, got, want)
	})
	t.Run("NextWithTypeFilter", func(t *testing.T) {
		var wantM []string
		for _, id := range want {
			if strings.HasPrefix(id, "malware--") {
				wantM = append(wantM, id)
			}
		}
		check(t, all(t, s, f.coll.ID, isachub.ObjectFilter{Limit: 13, Types: []string{"malware"}}), wantM)
	})
	t.Run("NextAndAddedAfter", func(t *testing.T) {
		everything := all(t, s, f.coll.ID, isachub.ObjectFilter{Limit: 1000})
		from := everything[1234].DateAdded
		check(t, all(t, s, f.coll.ID, isachub.ObjectFilter{Limit: 50, AddedAfter: from}), want[1235:])
	})
	t.Run("ChangingLimit", func(t *testing.T) {
		// A cursor does not pin the page size.
		page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 10})
		mustOK(t, err)
		page2, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 20, Next: page.Next})
		mustOK(t, err)
		if len(page2.Objects) != 20 || page2.Objects[0].ID != want[10] {
			t.Fatalf("second page with another limit starts at %s with %d objects", page2.Objects[0].ID, len(page2.Objects))
		}
	})
	t.Run("NewWritesAfterCursor", func(t *testing.T) {
		// Versions added while a client pages are on the later pages.
		f2 := isachub.ObjectFilter{Limit: 1000, Types: []string{"indicator"}}
		var got []*isachub.ObjectVersion
		page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), f2)
		mustOK(t, err)
		got = append(got, page.Objects...)
		mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(n, n+5)...)
		f2.Next = page.Next
		got = append(got, all(t, s, f.coll.ID, f2)...)
		var wantI []string
		for _, id := range want {
			if strings.HasPrefix(id, "indicator--") {
				wantI = append(wantI, id)
			}
		}
		for i := n; i < n+5; i++ {
			wantI = append(wantI, IndicatorID(i))
		}
		check(t, got, wantI)
	})
}

func testCursor(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, 10)...)
	q := isachub.ObjectFilter{Limit: 3, Types: []string{"indicator"}}
	page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), q)
	mustOK(t, err)
	if !page.More || page.Next == "" {
		t.Fatalf("first page: more %v next %q", page.More, page.Next)
	}
	for _, tc := range []struct {
		name string
		f    isachub.ObjectFilter
	}{
		{"Garbage", isachub.ObjectFilter{Next: "not a cursor"}},
		{"Base64Garbage", isachub.ObjectFilter{Next: base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdefg"))}},
		{"Truncated", isachub.ObjectFilter{Types: q.Types, Next: page.Next[:len(page.Next)-2]}},
		{"Padded", isachub.ObjectFilter{Types: q.Types, Next: page.Next + "=="}},
		{"OtherTypes", isachub.ObjectFilter{Types: []string{"malware"}, Next: page.Next}},
		{"NoTypes", isachub.ObjectFilter{Next: page.Next}},
		{"OtherVersions", isachub.ObjectFilter{Types: q.Types, Versions: []string{"all"}, Next: page.Next}},
		{"OtherAddedAfter", isachub.ObjectFilter{Types: q.Types, AddedAfter: Epoch, Next: page.Next}},
		{"Huge", isachub.ObjectFilter{Next: strings.Repeat("A", 10000)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), tc.f)
			wantCode(t, err, isachub.EINVALID)
		})
	}
	t.Run("OK", func(t *testing.T) {
		// The order of a filter's values does not change the query.
		q := isachub.ObjectFilter{Limit: 3, Types: []string{"indicator", "malware"}}
		page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), q)
		mustOK(t, err)
		q.Types, q.Next = []string{"malware", "indicator"}, page.Next
		page2, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), q)
		mustOK(t, err)
		if len(page2.Objects) != 3 || page2.Objects[0].ID != IndicatorID(3) {
			t.Fatalf("second page = %v", ids(page2.Objects))
		}
	})
}
