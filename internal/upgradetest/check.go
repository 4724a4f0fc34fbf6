package upgradetest

// The checks of TestMigrateFromEveryVersion, through the store's API only:
// the entry, and the accounts, collections and records (check_objects.go
// has the object versions, what derives from them, and later writes).

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
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
