package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

func testVersions(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	h := func(n int) time.Time { return Epoch.Add(time.Duration(n) * time.Hour) }
	// Versions arrive out of order: the latest is by modified, not by arrival.
	mustAdd(t, s, f.coll.ID, f.orgA.ID, IndicatorVersion(1, h(2)), IndicatorVersion(1, h(0)))
	mustAdd(t, s, f.coll.ID, f.orgA.ID, IndicatorVersion(1, h(5)), IndicatorVersion(1, h(1)), Indicator(2))
	mustAdd(t, s, f.coll.ID, f.orgA.ID, IndicatorVersion(2, h(3)))
	for _, tc := range []struct {
		name     string
		versions []string
		want     []string // "id@hour" in date_added order
	}{
		{"DefaultLast", nil, []string{"1@5", "2@3"}},
		{"Last", []string{"last"}, []string{"1@5", "2@3"}},
		{"First", []string{"first"}, []string{"1@0", "2@0"}},
		{"All", []string{"all"}, []string{"1@2", "1@0", "1@5", "1@1", "2@0", "2@3"}},
		{"AllWins", []string{"first", "all"}, []string{"1@2", "1@0", "1@5", "1@1", "2@0", "2@3"}},
		{"FirstOrLast", []string{"first", "last"}, []string{"1@0", "1@5", "2@0", "2@3"}},
		{"Timestamp", []string{stamp(h(1))}, []string{"1@1"}},
		{"TimestampOtherPrecision", []string{h(2).Format(time.RFC3339)}, []string{"1@2"}},
		{"TimestampsOred", []string{stamp(h(1)), stamp(h(3)), "first"}, []string{"1@0", "1@1", "2@0", "2@3"}},
		{"TimestampNoMatch", []string{stamp(h(9))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: tc.versions, Limit: 2})
			var labels []string
			for _, v := range got {
				m, err := time.Parse(time.RFC3339, v.Modified)
				mustOK(t, err)
				n := map[string]string{IndicatorID(1): "1", IndicatorID(2): "2"}[v.ID]
				labels = append(labels, n+"@"+string(rune('0'+int(m.Sub(Epoch)/time.Hour))))
			}
			if !slices.Equal(labels, tc.want) {
				t.Fatalf("versions %v = %v, want %v", tc.versions, labels, tc.want)
			}
		})
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, v := range []string{"latest", "2026-13-01T00:00:00Z", "", "1"} {
			_, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{v}})
			wantCode(t, err, isachub.EINVALID)
		}
	})
}

func testSCOVersions(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	res := mustAdd(t, s, f.coll.ID, f.orgA.ID, Domain("evil.example.com"))
	again := mustAdd(t, s, f.coll.ID, f.orgA.ID, Domain("evil.example.com"))
	got := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
	if len(got) != 1 {
		t.Fatalf("an identical SCO copy was stored again: %d versions", len(got))
	}
	// An SCO's version is its date_added.
	if v := got[0].Version(); v != isachub.FormatTimestamp(got[0].DateAdded) || res[0].Version != v || again[0].Version != v {
		t.Fatalf("SCO versions: stored %q, first result %q, duplicate result %q", v, res[0].Version, again[0].Version)
	}
	// A copy with other bytes is another version, and the latest.
	other := Parse(t, `{"type":"domain-name","id":"`+DomainID("evil.example.com")+`","value":"evil.example.com","x_seen":2}`)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, other)
	got = all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"all"}})
	if len(got) != 2 {
		t.Fatalf("SCO has %d versions, want 2", len(got))
	}
	last := all(t, s, f.coll.ID, isachub.ObjectFilter{})
	if len(last) != 1 || string(last[0].Raw) != string(other.Raw()) {
		t.Fatalf("latest SCO version is %s", last[0].Raw)
	}
	// STIX 2.1 section 3.2: an SCO without spec_version is 2.1.
	if last[0].SpecVersion != "2.1" {
		t.Fatalf("spec_version of an SCO without one = %q, want 2.1", last[0].SpecVersion)
	}
	byVersion := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{got[0].Version()}})
	if len(byVersion) != 1 || byVersion[0].DateAdded != got[0].DateAdded {
		t.Fatalf("match[version]=%s found %d versions", got[0].Version(), len(byVersion))
	}
	first := all(t, s, f.coll.ID, isachub.ObjectFilter{Versions: []string{"first"}})
	if len(first) != 1 || !first[0].DateAdded.Equal(got[0].DateAdded) {
		t.Fatalf("first SCO version wrong: %+v", first)
	}
}

func testSpecVersions(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	// A STIX 2.0 version (no spec_version) and a later 2.1 version of one id,
	// and an id that exists only in 2.0.
	old := Parse(t, `{"type":"malware","id":"`+MalwareID(1)+`","created":"2016-01-01T00:00:00.000Z","modified":"2016-01-01T00:00:00.000Z","name":"x","labels":["trojan"]}`)
	only20 := Parse(t, `{"type":"malware","id":"`+MalwareID(2)+`","created":"2016-01-01T00:00:00.000Z","modified":"2016-01-01T00:00:00.000Z","name":"y","labels":["trojan"]}`)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, old, only20, Malware(1))
	for _, tc := range []struct {
		name     string
		specs    []string
		versions []string
		want     []string
	}{
		{"DefaultLatestSpec", nil, []string{"all"}, []string{MalwareID(2) + "@2.0", MalwareID(1) + "@2.1"}},
		{"Only20", []string{"2.0"}, []string{"all"}, []string{MalwareID(1) + "@2.0", MalwareID(2) + "@2.0"}},
		{"Only21", []string{"2.1"}, []string{"all"}, []string{MalwareID(1) + "@2.1"}},
		{"Both", []string{"2.0", "2.1"}, []string{"all"}, []string{MalwareID(1) + "@2.0", MalwareID(2) + "@2.0", MalwareID(1) + "@2.1"}},
		{"DefaultLast", nil, nil, []string{MalwareID(2) + "@2.0", MalwareID(1) + "@2.1"}},
		{"Unknown", []string{"2.2"}, []string{"all"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := all(t, s, f.coll.ID, isachub.ObjectFilter{SpecVersions: tc.specs, Versions: tc.versions})
			var labels []string
			for _, v := range got {
				labels = append(labels, v.ID+"@"+v.SpecVersion)
			}
			if !slices.Equal(labels, tc.want) {
				t.Fatalf("spec_version %v = %v, want %v", tc.specs, labels, tc.want)
			}
		})
	}
}

func testFilters(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	var objs []*stix.Object
	for i := range 10 {
		objs = append(objs, Indicator(i), Malware(i), Domain(domainName(i)))
	}
	mustAdd(t, s, f.coll.ID, f.orgA.ID, objs...)
	everything := all(t, s, f.coll.ID, isachub.ObjectFilter{})
	if len(everything) != 30 {
		t.Fatalf("collection holds %d objects, want 30", len(everything))
	}
	mid := everything[14].DateAdded
	count := func(pred func(v *isachub.ObjectVersion) bool) []string {
		var out []string
		for _, v := range everything {
			if pred(v) {
				out = append(out, v.ID)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    isachub.ObjectFilter
		want []string
	}{
		{"Type", isachub.ObjectFilter{Types: []string{"malware"}},
			count(func(v *isachub.ObjectVersion) bool { return v.Type == "malware" })},
		{"TypesOred", isachub.ObjectFilter{Types: []string{"malware", "domain-name"}},
			count(func(v *isachub.ObjectVersion) bool { return v.Type != "indicator" })},
		{"UnknownType", isachub.ObjectFilter{Types: []string{"campaign"}}, nil},
		{"IDs", isachub.ObjectFilter{IDs: []string{MalwareID(3), IndicatorID(7), DomainID(domainName(0)), "indicator--" + UUID(99, 99)}},
			[]string{DomainID(domainName(0)), MalwareID(3), IndicatorID(7)}},
		{"AddedAfterExclusive", isachub.ObjectFilter{AddedAfter: mid},
			count(func(v *isachub.ObjectVersion) bool { return v.DateAdded.After(mid) })},
		{"AddedAfterSubMicro", isachub.ObjectFilter{AddedAfter: mid.Add(-500 * time.Nanosecond)},
			count(func(v *isachub.ObjectVersion) bool { return !v.DateAdded.Before(mid) })},
		{"TypeAndAddedAfter", isachub.ObjectFilter{Types: []string{"indicator"}, AddedAfter: mid},
			count(func(v *isachub.ObjectVersion) bool { return v.Type == "indicator" && v.DateAdded.After(mid) })},
		{"TypeAndIDs", isachub.ObjectFilter{Types: []string{"indicator"}, IDs: []string{MalwareID(3), IndicatorID(7)}},
			[]string{IndicatorID(7)}},
		{"Everything", isachub.ObjectFilter{Types: []string{"indicator", "malware"}, IDs: []string{MalwareID(3), IndicatorID(7)},
			Versions: []string{"first", "last"}, SpecVersions: []string{"2.1"}, AddedAfter: everything[0].DateAdded},
			[]string{MalwareID(3), IndicatorID(7)}},
		{"AddedAfterLast", isachub.ObjectFilter{AddedAfter: everything[29].DateAdded}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(all(t, s, f.coll.ID, tc.f))
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("Objects(%+v) = %v, want %v", tc.f, got, want)
			}
		})
	}
	t.Run("UnknownCollectionIsEmpty", func(t *testing.T) {
		page, err := s.Objects(f.ctx, "00000000-0000-4000-8000-000000000000", isachub.Unrestricted(), isachub.ObjectFilter{})
		mustOK(t, err)
		if len(page.Objects) != 0 || page.More {
			t.Fatalf("unknown collection returned %+v", page)
		}
	})
	t.Run("TenantScoping", func(t *testing.T) {
		page, err := s.Objects(f.ctx, f.otherColl.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}})
		mustOK(t, err)
		if len(page.Objects) != 0 {
			t.Fatalf("another collection sees %d objects", len(page.Objects))
		}
	})
}

func testLimits(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	mustAdd(t, s, f.coll.ID, f.orgA.ID, Indicators(0, isachub.MaxPageSize+1)...)
	for _, tc := range []struct {
		limit, want int
		more        bool
	}{
		{0, isachub.DefaultPageSize, true},
		{-5, isachub.DefaultPageSize, true},
		{1, 1, true},
		{isachub.MaxPageSize, isachub.MaxPageSize, true},
		{isachub.MaxPageSize + 1, isachub.MaxPageSize, true},
		{1 << 30, isachub.MaxPageSize, true},
	} {
		page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: tc.limit})
		mustOK(t, err)
		if len(page.Objects) != tc.want || page.More != tc.more {
			t.Fatalf("limit %d: %d objects, more %v; want %d, %v", tc.limit, len(page.Objects), page.More, tc.want, tc.more)
		}
	}
	// Exactly a page left: more is false.
	page, err := s.Objects(f.ctx, f.coll.ID, isachub.Unrestricted(), isachub.ObjectFilter{Limit: 1, AddedAfter: all(t, s, f.coll.ID, isachub.ObjectFilter{Limit: 1000})[isachub.MaxPageSize-1].DateAdded})
	mustOK(t, err)
	if len(page.Objects) != 1 || page.More || page.Next != "" {
		t.Fatalf("last page: %d objects, more %v, next %q", len(page.Objects), page.More, page.Next)
	}
}

// domainName is the value of the i-th generated domain.
func domainName(i int) string { return fmt.Sprintf("d%d.example.org", i) }
