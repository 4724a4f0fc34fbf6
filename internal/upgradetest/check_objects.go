package upgradetest

// The checks of the object versions, what is derived from them, and the
// writes after the upgrade.

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// wantVersion is what the store reads of a fixture version.
func wantVersion(v *Version) *isachub.ObjectVersion {
	o := v.Obj
	return &isachub.ObjectVersion{CollectionID: v.Coll, ID: o.ID(), Type: o.Type(), SpecVersion: v.Spec,
		Created: o.Created(), Modified: o.Modified(), Revoked: o.Revoked(), CreatedByRef: o.CreatedByRef(),
		Markings: o.ObjectMarkingRefs(), TLP: stix.EffectiveTLP(o), DateAdded: fromMicros(v.Added),
		SubmitterOrgID: v.Org, Raw: []byte(o.Raw())}
}

func wantVersions(vs []*Version, keep func(*Version) bool) []*isachub.ObjectVersion {
	var out []*isachub.ObjectVersion
	for _, v := range vs {
		if keep(v) {
			out = append(out, wantVersion(v))
		}
	}
	return out
}

// sameVersions compares versions, their exact bytes included.
func sameVersions(t *testing.T, what string, got, want []*isachub.ObjectVersion) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d versions, want %d:\n got %s\nwant %s", what, len(got), len(want), versionList(got), versionList(want))
		return
	}
	for i := range got {
		if !bytes.Equal(got[i].Raw, want[i].Raw) {
			t.Errorf("%s: version %d of %s has bytes\n%s\nwant\n%s", what, i, want[i].ID, got[i].Raw, want[i].Raw)
		}
		g, w := *got[i], *want[i]
		g.Raw, w.Raw = nil, nil
		same(t, fmt.Sprintf("%s: version %d", what, i), g, w)
	}
}

func versionList(vs []*isachub.ObjectVersion) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%s@%s ", v.ID, v.Version())
	}
	return b.String()
}

func checkObjects(t *testing.T, db isachub.Store, c Coll, vs []*Version) {
	ctx := t.Context()
	in := func(v *Version) bool { return v.Coll == c.ID }
	for _, q := range []struct {
		version string
		keep    func(*Version) bool
	}{
		{"all", in},
		{"last", func(v *Version) bool { return in(v) && v.Latest }},
		{"first", func(v *Version) bool { return in(v) && v.First }},
	} {
		page, err := db.Objects(ctx, c.ID, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{q.version}, Limit: isachub.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		sameVersions(t, c.Title+" match[version]="+q.version, page.Objects, wantVersions(vs, q.keep))
		for i, v := range page.Objects {
			if i > 0 && !v.DateAdded.After(page.Objects[i-1].DateAdded) {
				t.Errorf("%s: versions out of date_added order", c.Title)
			}
		}
	}
	// What each member may see: the stored TLP levels decide, with the
	// collection's default for unmarked versions.
	coll := c.Collection
	for _, org := range []int64{1, 2} {
		r := isachub.Reader{OrgID: org, CommunityID: 1, Role: isachub.RoleReader}
		seen := func(v *Version) bool {
			return in(v) && r.MaySee(&coll, isachub.CollectionTLP(&coll, stix.EffectiveTLP(v.Obj)))
		}
		latest := map[string]*Version{}
		for _, v := range vs {
			if seen(v) && (latest[v.Obj.ID()] == nil || v.later(latest[v.Obj.ID()])) {
				latest[v.Obj.ID()] = v
			}
		}
		page, err := db.Objects(ctx, c.ID, r.Visibility(&coll), isachub.ObjectFilter{Limit: isachub.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		sameVersions(t, fmt.Sprintf("%s as read by organisation %d", c.Title, org), page.Objects,
			wantVersions(vs, func(v *Version) bool { return latest[v.Obj.ID()] == v }))
	}
}

// scopeOf is every collection of community 1 in vs, unrestricted.
func scopeOf(f *Fixture, vs []*Version) map[string]isachub.Visibility {
	scope := map[string]isachub.Visibility{}
	for _, v := range vs {
		if f.Coll(v.Coll).CommunityID == 1 {
			scope[v.Coll] = isachub.Unrestricted()
		}
	}
	return scope
}

// newestFirst returns what keep keeps of the latest versions in scope,
// newest first.
func newestFirst(vs []*Version, scope map[string]isachub.Visibility, keep func(*Version) bool) []*isachub.ObjectVersion {
	var out []*isachub.ObjectVersion
	for _, v := range slices.Backward(vs) {
		if _, ok := scope[v.Coll]; ok && v.Latest && keep(v) {
			out = append(out, wantVersion(v))
		}
	}
	return out
}

func refersTo(o *stix.Object, id string) bool {
	return slices.ContainsFunc(isachub.References(o), func(r isachub.Reference) bool { return r.Ref == id })
}

// checkDerived checks what is computed from the stored versions: search,
// references, per-day counts, the ranking and what an organisation
// submitted.
func checkDerived(t *testing.T, db isachub.Store, f *Fixture, vs []*Version) {
	ctx := t.Context()
	scope := scopeOf(f, vs)
	for _, text := range []string{"zeppelin", "evil.example.net", "Board phishing"} {
		got, err := storetest.Searched(db.SearchObjects(ctx, scope, isachub.SearchQuery{Text: text, Limit: 100}))
		if err != nil {
			t.Fatal(err)
		}
		sameVersions(t, "search for "+text, got, newestFirst(vs, scope, func(v *Version) bool {
			return strings.Contains(strings.ToLower(isachub.SearchText(v.Obj)), strings.ToLower(text))
		}))
	}
	for _, id := range []string{storetest.IndicatorID(1), storetest.MalwareID(1), storetest.IndicatorID(3)} {
		got, err := db.Referring(ctx, scope, isachub.ReferenceFilter{ID: id, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		sameVersions(t, "referring to "+id, got, newestFirst(vs, scope, func(v *Version) bool {
			return !v.Obj.Revoked() && refersTo(v.Obj, id)
		}))
	}
	got, err := db.Submitted(ctx, scope, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	sameVersions(t, "submitted by organisation 1", got, newestFirst(vs, scope, func(v *Version) bool {
		return !v.Obj.Revoked() && v.Org == 1
	}))
	checkCounts(t, db, f, vs, nil)
}

// checkCounts checks CountAdded and MostReferenced over the fixture's
// versions and the ones written after the upgrade (extra), over every day
// and from a day in the middle of the fixture's (the stores keep the counts
// by day: the ranking's cumulative counts must be right on each).
func checkCounts(t *testing.T, db isachub.Store, f *Fixture, vs []*Version, extra []*Version) {
	ctx := t.Context()
	middle := fromMicros(vs[len(vs)/2].Added)
	vs = append(slices.Clone(vs), extra...)
	scope := scopeOf(f, vs)
	for _, since := range []time.Time{fromMicros(vs[0].Added).Add(-48 * time.Hour), middle} {
		from := isachub.FirstDayAfter(since)
		wantCounts := map[isachub.DailyCount]int64{}
		wantRefs := map[string]int64{}
		for _, v := range vs {
			if _, ok := scope[v.Coll]; !ok || v.Added < from {
				continue
			}
			wantCounts[isachub.DailyCount{CollectionID: v.Coll, Day: isachub.DayOf(v.Added), Type: v.Obj.Type()}]++
			if !v.Latest || v.Obj.Revoked() {
				continue
			}
			seen := map[string]bool{}
			for _, r := range isachub.References(v.Obj) {
				typ, _, _ := strings.Cut(r.Ref, "--")
				if slices.Contains(isachub.RankedTypes, typ) && !seen[r.Ref] {
					seen[r.Ref] = true
					wantRefs[r.Ref]++
				}
			}
		}
		counts, err := db.CountAdded(ctx, scope, since)
		if err != nil {
			t.Fatal(err)
		}
		gotCounts := map[isachub.DailyCount]int64{}
		for _, c := range counts {
			n := c.Count
			c.Count, c.Day = 0, c.Day.UTC()
			gotCounts[c] += n
		}
		same(t, "versions added per day since "+since.Format(time.DateTime), gotCounts, wantCounts)
		rank, err := db.MostReferenced(ctx, scope, isachub.RankedTypes, since, 100)
		if err != nil {
			t.Fatal(err)
		}
		gotRefs := map[string]int64{}
		for i, r := range rank {
			gotRefs[r.ID] = r.Count
			if i > 0 && r.Count > rank[i-1].Count {
				t.Errorf("most referenced out of order: %v", rank)
			}
		}
		same(t, "most referenced since "+since.Format(time.DateTime), gotRefs, wantRefs)
	}
}

// checkWrite writes after the upgrade: a new version of a stored indicator
// and a new relationship, and checks that every read and count takes them.
func checkWrite(t *testing.T, db isachub.Store, f *Fixture, v int) {
	ctx := t.Context()
	vs := f.At(v)
	ind1 := storetest.IndicatorID(1)
	var old *Version
	for _, fv := range vs {
		if fv.Obj.ID() == ind1 && fv.Latest {
			old = fv
		}
	}
	newer := parseFixture(t, `{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00Z",
		"modified":"2026-01-08T00:00:00Z","name":"Zeppelin loader beacon, third look","pattern":"[domain-name:value = 'zeppelin.example.net']",
		"pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","object_marking_refs":[%q]}`, ind1, tlp2Green)
	rel := parseFixture(t, `{"type":"relationship","spec_version":"2.1","id":%q,"created":"2026-01-08T00:00:00Z",
		"modified":"2026-01-08T00:00:00Z","relationship_type":"indicates","source_ref":%q,"target_ref":%q}`,
		"relationship--"+storetest.UUID(23, 3), ind1, storetest.MalwareID(1))
	res, err := db.AddObjects(ctx, old.Coll, 1, []*stix.Object{newer, rel})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil || r.Existed {
			t.Fatalf("AddObjects after the upgrade: %+v", r)
		}
	}
	page, err := db.Objects(ctx, old.Coll, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}, Limit: isachub.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	n := len(page.Objects)
	if n < 2 || page.Objects[n-2].ID != ind1 || page.Objects[n-1].ID != rel.ID() ||
		!page.Objects[n-2].DateAdded.After(fromMicros(vs[len(vs)-1].Added)) {
		t.Fatalf("after the write, the collection ends with %s", versionList(page.Objects[max(0, n-3):]))
	}
	// The written versions join the fixture's for the checks: the old
	// latest version of the indicator is no longer the latest.
	var all []*Version
	for _, fv := range vs {
		c := *fv
		if fv == old {
			c.Latest = false
		}
		all = append(all, &c)
	}
	extra := []*Version{
		{Coll: old.Coll, Org: 1, Added: Micros(page.Objects[n-2].DateAdded), Obj: newer, Latest: true, Spec: "2.1"},
		{Coll: old.Coll, Org: 1, Added: Micros(page.Objects[n-1].DateAdded), Obj: rel, Latest: true, Spec: "2.1"},
	}
	last, err := db.Objects(ctx, old.Coll, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{ind1}})
	if err != nil {
		t.Fatal(err)
	}
	sameVersions(t, "the indicator's latest version after the write", last.Objects, wantVersions(extra[:1], func(*Version) bool { return true }))
	scope := scopeOf(f, vs)
	got, err := storetest.Searched(db.SearchObjects(ctx, scope, isachub.SearchQuery{Text: "zeppelin", Limit: 100}))
	if err != nil {
		t.Fatal(err)
	}
	everything := append(all, extra...)
	slices.SortStableFunc(everything, func(a, b *Version) int { return cmp.Compare(a.Added, b.Added) })
	sameVersions(t, "search for zeppelin after the write", got, newestFirst(everything, scope, func(v *Version) bool {
		return strings.Contains(strings.ToLower(isachub.SearchText(v.Obj)), "zeppelin")
	}))
	checkCounts(t, db, f, all, extra)
	sids, err := db.RuleSIDs(ctx, []string{ind1, storetest.IndicatorID(2), storetest.IndicatorID(5)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{ind1: 0, storetest.IndicatorID(2): 1, storetest.IndicatorID(5): 2}
	same(t, "rule numbers", sids, want)
}
