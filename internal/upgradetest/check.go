package upgradetest

// The checks of TestMigrateFromEveryVersion, through the store's API only.

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// Check checks that db, upgraded from schema version v, holds the fixture
// as the store of version v stored it, with what the later migrations
// derive from it, and takes new writes. It runs the subtests Accounts,
// Collections, Objects, Derived, Records and Write.
func Check(t *testing.T, db isachub.Store, f *Fixture, v int) {
	ctx := t.Context()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready after the upgrade from %d: %v", v, err)
	}
	t.Run("Accounts", func(t *testing.T) { checkAccounts(t, db, f, v) })
	t.Run("Collections", func(t *testing.T) { checkCollections(t, db, f, v) })
	t.Run("Objects", func(t *testing.T) {
		for _, c := range f.CollsAt(v) {
			checkObjects(t, db, c, f.At(v))
		}
	})
	t.Run("Derived", func(t *testing.T) { checkDerived(t, db, f, f.At(v)) })
	t.Run("Records", func(t *testing.T) { checkRecords(t, db, f, v) })
	t.Run("Write", func(t *testing.T) { checkWrite(t, db, f, v) })
}

// same fails the test unless got and want are equal, comparing times as
// instants and empty slices as nil.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, w := normalize(reflect.ValueOf(got)), normalize(reflect.ValueOf(want))
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s after the upgrade:\n got %+v\nwant %+v", what, g, w)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// normalize returns a copy of v with every time in UTC and every empty
// slice nil.
func normalize(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return norm(v).Interface()
}

func norm(v reflect.Value) reflect.Value {
	switch {
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return reflect.ValueOf(time.Time{})
		}
		return reflect.ValueOf(t.UTC())
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(norm(v.Elem()))
		return p
	case v.Kind() == reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := range v.NumField() {
			if c.Field(i).CanSet() {
				c.Field(i).Set(norm(v.Field(i)))
			}
		}
		return c
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(norm(v.Index(i)))
		}
		return c
	case v.Kind() == reflect.Slice && v.Len() == 0:
		return reflect.Zero(v.Type())
	case v.Kind() == reflect.Map:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), norm(it.Value()))
		}
		return c
	}
	return v
}

func checkAccounts(t *testing.T, db isachub.Store, f *Fixture, v int) {
	ctx := t.Context()
	cs, err := db.Communities(ctx)
	if err != nil || len(cs) != len(f.Comms) {
		t.Fatalf("Communities = %d, %v; want %d", len(cs), err, len(f.Comms))
	}
	for i, want := range f.Comms {
		got, err := db.Community(ctx, want.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if v >= f.schema.Anonymous {
			want.AnonSecret, want.SubmitterRecord = f.Secrets[i], []string{"sealed", "none"}[i]
		} else {
			// The migration gives each community its own random secret.
			if len(got.AnonSecret) != 32 || i > 0 && bytes.Equal(got.AnonSecret, cs[0].AnonSecret) && cs[0].ID != got.ID {
				t.Errorf("community %s has secret %x after the upgrade: want 32 random bytes of its own", got.Slug, got.AnonSecret)
			}
			want.AnonSecret = got.AnonSecret
		}
		if v >= f.schema.SightingK && want.ID == 1 {
			want.SightingK = 5
		}
		same(t, "community "+want.Slug, *got, want)
	}
	if bytes.Equal(cs[0].AnonSecret, cs[1].AnonSecret) {
		t.Errorf("two communities have the same secret %x", cs[0].AnonSecret)
	}
	for _, want := range f.Orgs {
		got, err := db.OrgByID(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v >= f.schema.Anonymous && want.ID == 1 {
			want.Staff = true
			want.Redaction = isachub.Redaction{Domains: []string{"acme-air.example"}, Emails: []string{"ceo@acme-air.example"}}
		}
		same(t, "organisation "+want.Slug, *got, want)
	}
	for _, want := range f.Users {
		got, err := db.User(ctx, want.Username)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "user "+want.Username, *got, want.User)
		if want.Password != "" && want.ID == 1 { // one argon2id check is enough: the hashes are compared above
			if ok, err := server.VerifyPassword(got.PasswordHash, want.Password); !ok || err != nil {
				t.Errorf("user %s cannot sign in with their password after the upgrade: %v", got.Username, err)
			}
		}
	}
	for _, want := range f.Tokens {
		got, err := db.TokenByHash(ctx, want.Hash)
		if want.Mig > v {
			if err == nil {
				t.Errorf("token %q resolves, but it was never stored", want.Name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("token %q: %v", want.Name, err)
		}
		same(t, "token "+want.Name, *got, want.Token)
	}
	if v >= f.schema.Sessions {
		got, err := db.SessionByHash(ctx, f.Session.Hash)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "session", *got, f.Session)
	}
}

func checkCollections(t *testing.T, db isachub.Store, f *Fixture, v int) {
	ctx := t.Context()
	n := map[int64]int{}
	for _, c := range f.CollsAt(v) {
		n[c.CommunityID]++
		got, err := db.Collection(ctx, c.CommunityID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "collection "+c.Title, *got, c.Collection)
		if c.Alias != "" {
			if byAlias, err := db.Collection(ctx, c.CommunityID, c.Alias); err != nil || byAlias.ID != c.ID {
				t.Errorf("collection by alias %q = %v, %v", c.Alias, byAlias, err)
			}
		}
		for _, o := range f.Orgs {
			r := isachub.Reader{OrgID: o.ID, CommunityID: o.CommunityID, Role: isachub.RoleAnalyst}
			want := o.CommunityID == c.CommunityID && (c.ReadAll || slices.Contains(c.Readers, o.ID))
			if r.MayOpen(got) != want {
				t.Errorf("organisation %s may open collection %s: %t, want %t", o.Slug, c.Title, !want, want)
			}
		}
	}
	for id, want := range n {
		if cs, err := db.Collections(ctx, id); err != nil || len(cs) != want {
			t.Errorf("Collections(%d) = %d, %v; want %d", id, len(cs), err, want)
		}
	}
	if v >= f.schema.Groups {
		got, err := db.Group(ctx, f.Group.CommunityID, f.Group.Slug)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "sharing group", *got, f.Group)
	}
}

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

func checkRecords(t *testing.T, db isachub.Store, f *Fixture, v int) {
	ctx := t.Context()
	for _, want := range f.Statuses {
		got, err := db.Status(ctx, want.CommunityID, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "status "+want.Status, *got, want)
	}
	es, err := db.AuditEntries(ctx, 1, 10)
	if err != nil || len(es) != 1 {
		t.Fatalf("AuditEntries = %v, %v; want the one stored", es, err)
	}
	same(t, "audit entry", *es[0], f.Audit)
	q, err := db.Queues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := isachub.Queues{PendingStatuses: 1, Jobs: 1}
	if v >= f.schema.Anonymous {
		want.Moderation = 1
	}
	if v >= f.schema.Webhooks {
		want.WebhooksRetrying, want.WebhooksDead = 1, 1
	}
	same(t, "queues", q, want)
	jobs, err := db.ClaimJobs(ctx, f.Job.Kind, 10, time.Minute)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("ClaimJobs = %v, %v; want the one stored", jobs, err)
	}
	wantJob := f.Job
	wantJob.Attempts++ // this claim
	same(t, "job", *jobs[0], wantJob)
	if v >= f.schema.Anonymous {
		got, err := db.AnonymousByHandle(ctx, 1, f.Anon.HandleHash)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "anonymous submission", *got, f.Anon)
		subs, err := db.AnonymousSubmissions(ctx, 1, f.Anon.ObjectIDs[0])
		if err != nil || len(subs) != 1 || subs[0].ID != f.Anon.ID {
			t.Errorf("AnonymousSubmissions = %v, %v; want %s", subs, err, f.Anon.ID)
		}
		p, err := db.Pending(ctx, 1, f.Pending.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "pending submission", *p, f.Pending)
		if ps, err := db.PendingSubmissions(ctx, f.Pending.CollectionID); err != nil || len(ps) != 1 {
			t.Errorf("PendingSubmissions = %v, %v; want 1", ps, err)
		}
	}
	if v >= f.schema.Joining {
		rs, err := db.MembershipRequests(ctx, 1, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "membership requests", rs, []*isachub.MembershipRequest{&f.Requests[0], &f.Requests[1]})
		if n, err := db.CountMembershipRequests(ctx, 1, isachub.RequestPending); err != nil || n != 1 {
			t.Errorf("CountMembershipRequests = %d, %v; want 1", n, err)
		}
		inv, err := db.InvitationByHash(ctx, f.Invite.Hash)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "invitation", *inv, f.Invite)
	}
	if v >= f.schema.Feeds {
		got, err := db.Feed(ctx, 1, f.Feed.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := f.Feed
		want.Everyone = v >= f.schema.Anonymous // its organisation is the staff's
		same(t, "feed", *got, want)
	}
	if v >= f.schema.Webhooks {
		hs, err := db.Webhooks(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "webhooks", hs, []*isachub.Webhook{&f.Hooks[0], &f.Hooks[1]})
		ds, err := db.Deliveries(ctx, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		d := f.Delivery
		if v >= f.schema.Duration {
			d.Duration = f.Took
		}
		same(t, "deliveries", ds, []*isachub.WebhookDelivery{&d})
	}
	if v >= f.schema.Federation {
		p, err := db.Peer(ctx, f.Peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "peer", *p, f.Peer)
		subs, err := db.Subscriptions(ctx, f.Peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "subscriptions", subs, []*isachub.Subscription{&f.Sub})
		origins, err := db.Origins(ctx, f.OriginOf.Coll, []string{f.OriginOf.Obj.ID()})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "origins", origins, map[string][]isachub.Origin{f.OriginOf.Obj.ID(): {f.Origin}})
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
