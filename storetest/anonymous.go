package storetest

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// The conformance tests of anonymous publishing (issue 6): community
// secrets and submitter-record policies, organisations' staff flag and
// redaction rules, anonymous and moderated collections, anonymous objects
// with their records, and statuses of anonymous submissions.

func testCommunitySecret(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	t.Run("OKGenerated", func(t *testing.T) {
		for _, c := range []*isachub.Community{f.comm, f.other} {
			if len(c.AnonSecret) != 32 {
				t.Fatalf("CreateCommunity set a secret of %d bytes for %s, want 32", len(c.AnonSecret), c.Slug)
			}
		}
		if bytes.Equal(f.comm.AnonSecret, f.other.AnonSecret) {
			t.Fatal("two communities got the same secret")
		}
		if bytes.Equal(f.comm.AnonSecret, make([]byte, 32)) {
			t.Fatal("the generated secret is all zero")
		}
		for range 2 {
			got, err := s.Community(ctx, f.comm.Slug)
			mustOK(t, err)
			if !bytes.Equal(got.AnonSecret, f.comm.AnonSecret) {
				t.Fatalf("Community returned secret %x, want %x", got.AnonSecret, f.comm.AnonSecret)
			}
		}
		all, err := s.Communities(ctx)
		mustOK(t, err)
		for _, c := range all {
			want := map[string][]byte{f.comm.Slug: f.comm.AnonSecret, f.other.Slug: f.other.AnonSecret}[c.Slug]
			if !bytes.Equal(c.AnonSecret, want) {
				t.Fatalf("Communities returned secret %x for %s, want %x", c.AnonSecret, c.Slug, want)
			}
		}
	})
	t.Run("OKGiven", func(t *testing.T) {
		secret := bytes.Repeat([]byte{7}, 32)
		c := &isachub.Community{Slug: "rail", Title: "Rail ISAC", AnonSecret: secret, SubmitterRecord: isachub.RecordNone}
		mustOK(t, s.CreateCommunity(ctx, c))
		got, err := s.Community(ctx, "rail")
		mustOK(t, err)
		if !bytes.Equal(got.AnonSecret, secret) || got.SubmitterRecord != isachub.RecordNone || got.Record() != isachub.RecordNone {
			t.Fatalf("Community = %+v, want the given secret and policy none", got)
		}
	})
	t.Run("OKUpdate", func(t *testing.T) {
		c := *f.comm
		c.Title, c.Description, c.Sector = "Aviation and Space ISAC", "airlines and launchers", "aerospace"
		c.IdentityID, c.MaxContentLength, c.SubmitterRecord = "identity--"+UUID(9, 2), 4<<20, isachub.RecordSealed
		c.Slug, c.AnonSecret = "renamed", bytes.Repeat([]byte{1}, 32) // kept by the store
		mustOK(t, s.UpdateCommunity(ctx, &c))
		got, err := s.Community(ctx, f.comm.Slug)
		mustOK(t, err)
		if got.ID != f.comm.ID || got.Title != c.Title || got.Description != c.Description || got.Sector != c.Sector ||
			got.IdentityID != c.IdentityID || got.MaxContentLength != c.MaxContentLength || got.SubmitterRecord != isachub.RecordSealed ||
			!bytes.Equal(got.AnonSecret, f.comm.AnonSecret) || !got.CreatedAt.Equal(f.comm.CreatedAt) {
			t.Fatalf("after UpdateCommunity: %+v, want %+v with the slug and secret kept", got, c)
		}
		if _, err := s.Community(ctx, "renamed"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Fatalf("UpdateCommunity changed the slug: %v", err)
		}
		// Switching to none replaces the secret with a new random one,
		// never the caller's (testRecordNone tells why).
		c.SubmitterRecord = isachub.RecordNone
		mustOK(t, s.UpdateCommunity(ctx, &c))
		got, err = s.Community(ctx, f.comm.Slug)
		mustOK(t, err)
		if got.SubmitterRecord != isachub.RecordNone || len(got.AnonSecret) != 32 ||
			bytes.Equal(got.AnonSecret, f.comm.AnonSecret) || bytes.Equal(got.AnonSecret, c.AnonSecret) {
			t.Fatalf("after setting none: policy %q, secret %x", got.SubmitterRecord, got.AnonSecret)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		before, err := s.Community(ctx, f.other.Slug)
		mustOK(t, err)
		c := *before
		c.Title, c.SubmitterRecord = "Changed", "public"
		wantCode(t, s.UpdateCommunity(ctx, &c), isachub.EINVALID)
		wantCode(t, s.CreateCommunity(ctx, &isachub.Community{Slug: "water", Title: "Water", SubmitterRecord: "everyone"}), isachub.EINVALID)
		got, err := s.Community(ctx, f.other.Slug)
		mustOK(t, err)
		if got.Title != before.Title || got.SubmitterRecord != before.SubmitterRecord {
			t.Fatalf("a rejected UpdateCommunity changed the community: %+v", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, s.UpdateCommunity(ctx, &isachub.Community{ID: 987654, Slug: "ghost", Title: "Ghost"}), isachub.ENOTFOUND)
	})
}

func testOrgUpdate(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	red := isachub.Redaction{
		Domains:  []string{"acme-air.example", "corp.acme-air.example"},
		Emails:   []string{"soc@acme-air.example"},
		IPRanges: []string{"192.0.2.0/24", "2001:db8::/32", "198.51.100.7"},
		Patterns: []string{`ACME-[0-9]{4}`, `(?i)project\s+falcon`},
	}
	check := func(t *testing.T, want *isachub.Org) {
		t.Helper()
		byID, err := s.OrgByID(ctx, want.ID)
		mustOK(t, err)
		bySlug, err := s.Org(ctx, want.CommunityID, want.Slug)
		mustOK(t, err)
		list, err := s.Orgs(ctx, want.CommunityID)
		mustOK(t, err)
		i := slices.IndexFunc(list, func(o *isachub.Org) bool { return o.ID == want.ID })
		if i < 0 {
			t.Fatalf("Orgs does not list %s", want.Slug)
		}
		for _, got := range []*isachub.Org{byID, bySlug, list[i]} {
			if got.Name != want.Name || got.IdentityID != want.IdentityID || got.Staff != want.Staff || got.Slug != want.Slug ||
				got.CommunityID != want.CommunityID || !got.CreatedAt.Equal(want.CreatedAt) {
				t.Fatalf("organisation = %+v, want %+v", got, want)
			}
			if diff := cmp.Diff(want.Redaction, got.Redaction); diff != "" {
				t.Fatalf("redaction (-want +got):\n%s", diff)
			}
		}
	}
	t.Run("OKCreate", func(t *testing.T) {
		staff := &isachub.Org{CommunityID: f.comm.ID, Slug: "isac-staff", Name: "Aviation ISAC staff", Staff: true, Redaction: red}
		mustOK(t, s.CreateOrg(ctx, staff))
		check(t, staff)
		check(t, f.orgB) // the zero values
	})
	t.Run("OKUpdate", func(t *testing.T) {
		o := *f.orgA
		o.Name, o.IdentityID, o.Staff, o.Redaction = "Acme Air Group", "identity--"+UUID(9, 3), true, red
		o.Slug, o.CommunityID = "renamed", f.other.ID // kept by the store
		mustOK(t, s.UpdateOrg(ctx, &o))
		want := *f.orgA
		want.Name, want.IdentityID, want.Staff, want.Redaction = o.Name, o.IdentityID, true, red
		check(t, &want)
		// Back to nothing declared.
		o.Staff, o.Redaction = false, isachub.Redaction{}
		mustOK(t, s.UpdateOrg(ctx, &o))
		want.Staff, want.Redaction = false, isachub.Redaction{}
		check(t, &want)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		before, err := s.OrgByID(ctx, f.orgB.ID)
		mustOK(t, err)
		for _, bad := range []isachub.Redaction{
			{IPRanges: []string{"192.0.2.0/33"}},
			{IPRanges: []string{"not-an-address"}},
			{Patterns: []string{"(unclosed"}},
			{Patterns: []string{"a*"}},
			{Patterns: []string{""}},
			{Domains: []string{"no_underscores.example"}},
			{Emails: []string{"nobody"}},
		} {
			o := *before
			o.Name, o.Staff, o.Redaction = "Changed", true, bad
			wantCode(t, s.UpdateOrg(ctx, &o), isachub.EINVALID)
			o.ID, o.Slug = 0, "newcomer"
			wantCode(t, s.CreateOrg(ctx, &o), isachub.EINVALID)
		}
		check(t, before)
		if _, err := s.Org(ctx, f.comm.ID, "newcomer"); isachub.ErrorCode(err) != isachub.ENOTFOUND {
			t.Fatalf("a rejected CreateOrg stored an organisation: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, s.UpdateOrg(ctx, &isachub.Org{ID: 987654, Slug: "ghost", Name: "Ghost"}), isachub.ENOTFOUND)
	})
}

func testCollectionFlags(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	g := &isachub.SharingGroup{CommunityID: f.comm.ID, Slug: "whistle", Name: "Whistleblowers", Members: []int64{f.orgA.ID}}
	mustOK(t, s.CreateGroup(ctx, g))
	colls := []*isachub.Collection{
		{CommunityID: f.comm.ID, Title: "Anonymous", ReadAll: true, WriteAll: true, Anonymous: true},
		{CommunityID: f.comm.ID, Title: "Both", ReadAll: true, WriteAll: true, Anonymous: true, Moderated: true},
		{CommunityID: f.comm.ID, Title: "Group", GroupID: g.ID, Anonymous: true, Moderated: true},
		{CommunityID: f.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true},
	}
	for _, c := range colls {
		mustOK(t, s.CreateCollection(ctx, c))
	}
	want := map[string][2]bool{f.coll.ID: {false, false}}
	for _, c := range colls {
		want[c.ID] = [2]bool{c.Anonymous, c.Moderated}
	}
	for id, w := range want {
		got, err := s.Collection(ctx, f.comm.ID, id)
		mustOK(t, err)
		if got.Anonymous != w[0] || got.Moderated != w[1] {
			t.Fatalf("Collection %q: anonymous %v, moderated %v; want %v", got.Title, got.Anonymous, got.Moderated, w)
		}
	}
	list, err := s.Collections(ctx, f.comm.ID)
	mustOK(t, err)
	if len(list) != len(want) {
		t.Fatalf("Collections returned %d collections, want %d", len(list), len(want))
	}
	for _, got := range list {
		if w := want[got.ID]; got.Anonymous != w[0] || got.Moderated != w[1] {
			t.Fatalf("Collections: %q anonymous %v, moderated %v; want %v", got.Title, got.Anonymous, got.Moderated, w)
		}
	}
}

// handle returns the hash of a withdrawal handle.
func handle(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// wantRecord fails the test unless got is want (times compared as
// instants).
func wantRecord(tb testing.TB, got, want *isachub.AnonymousSubmission) {
	tb.Helper()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		tb.Fatalf("anonymous submission (-want +got):\n%s", diff)
	}
}

func testAddAnonymous(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	rec := &isachub.AnonymousSubmission{CommunityID: f.comm.ID, HandleHash: handle("h1"), OrgID: f.orgA.ID}
	res, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(1), Indicator(2)}, rec)
	mustOK(t, err)
	for _, r := range res {
		mustOK(t, r.Err)
	}
	if len(rec.ID) != 36 || rec.CreatedAt.IsZero() || rec.CollectionID != f.coll.ID || rec.CommunityID != f.comm.ID ||
		!slices.Equal(rec.ObjectIDs, []string{IndicatorID(1), IndicatorID(2)}) {
		t.Fatalf("AddAnonymous left the record %+v", rec)
	}
	first := *rec

	t.Run("OKObjects", func(t *testing.T) {
		got := all(t, s, f.coll.ID, isachub.ObjectFilter{})
		if !slices.Equal(ids(got), []string{IndicatorID(1), IndicatorID(2)}) {
			t.Fatalf("the collection holds %v", ids(got))
		}
		for _, v := range got {
			if v.SubmitterOrgID != 0 {
				t.Fatalf("anonymous object %s has submitter %d, want 0", v.ID, v.SubmitterOrgID)
			}
		}
	})
	t.Run("OKOwnership", func(t *testing.T) {
		// The community owns the id: no member may add versions of it.
		res, err := s.AddObjects(ctx, f.coll.ID, f.orgA.ID, []*stix.Object{IndicatorVersion(1, Epoch.Add(time.Hour))})
		mustOK(t, err)
		wantCode(t, res[0].Err, isachub.ECONFLICT)
		// Another anonymous submission may (a revocation, for example).
		rec2 := &isachub.AnonymousSubmission{HandleHash: handle("h2")}
		res, err = s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{IndicatorVersion(1, Epoch.Add(2*time.Hour))}, rec2)
		mustOK(t, err)
		mustOK(t, res[0].Err)
		if rec2.ID == first.ID || rec2.OrgID != 0 || !slices.Equal(rec2.ObjectIDs, []string{IndicatorID(1)}) {
			t.Fatalf("second record %+v", rec2)
		}
		got := all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(1)}, Versions: []string{"all"}})
		if len(got) != 2 || got[1].Modified != stamp(Epoch.Add(2*time.Hour)) {
			t.Fatalf("versions of the anonymous object: %v", versions(got))
		}
		subs, err := s.AnonymousSubmissions(ctx, f.comm.ID, IndicatorID(1))
		mustOK(t, err)
		if len(subs) != 2 {
			t.Fatalf("AnonymousSubmissions = %d records, want 2", len(subs))
		}
		wantRecord(t, subs[0], &first)
		wantRecord(t, subs[1], rec2)
	})
	t.Run("OKByHandle", func(t *testing.T) {
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("h1"))
		mustOK(t, err)
		wantRecord(t, got, &first)
		_, err = s.AnonymousByHandle(ctx, f.other.ID, handle("h1"))
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.AnonymousByHandle(ctx, f.comm.ID, handle("unknown"))
		wantCode(t, err, isachub.ENOTFOUND)
		_, err = s.AnonymousByHandle(ctx, f.comm.ID, nil)
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("OKByObject", func(t *testing.T) {
		got, err := s.AnonymousSubmissions(ctx, f.comm.ID, IndicatorID(2))
		mustOK(t, err)
		if len(got) != 1 {
			t.Fatalf("AnonymousSubmissions = %+v, want the first record", got)
		}
		wantRecord(t, got[0], &first)
		for _, tc := range []struct {
			comm int64
			id   string
		}{{f.other.ID, IndicatorID(2)}, {f.comm.ID, IndicatorID(99)}} {
			got, err := s.AnonymousSubmissions(ctx, tc.comm, tc.id)
			mustOK(t, err)
			if len(got) != 0 {
				t.Fatalf("AnonymousSubmissions(%d, %s) = %+v, want none", tc.comm, tc.id, got)
			}
		}
	})
	t.Run("OKRetried", func(t *testing.T) {
		// An approval retried after it committed: the same record id, the
		// same objects and a new one; the stored record is kept as it is.
		again := &isachub.AnonymousSubmission{ID: first.ID, CommunityID: f.comm.ID, HandleHash: handle("h-retry"), OrgID: f.orgB.ID}
		res, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(2), Indicator(3)}, again)
		mustOK(t, err)
		for _, r := range res {
			mustOK(t, r.Err)
		}
		if !again.CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("a retried AddAnonymous set CreatedAt %v, want the stored %v", again.CreatedAt, first.CreatedAt)
		}
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("h1"))
		mustOK(t, err)
		wantRecord(t, got, &first)
		_, err = s.AnonymousByHandle(ctx, f.comm.ID, handle("h-retry"))
		wantCode(t, err, isachub.ENOTFOUND)
		subs, err := s.AnonymousSubmissions(ctx, f.comm.ID, IndicatorID(3))
		mustOK(t, err)
		if len(subs) != 0 {
			t.Fatalf("a retried AddAnonymous stored a second record: %+v", subs)
		}
		if n := len(all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{IndicatorID(3)}})); n != 1 {
			t.Fatalf("the retried add stored %d versions of its new object, want 1", n)
		}
		// Retried again: every object is stored already.
		again = &isachub.AnonymousSubmission{ID: first.ID, HandleHash: handle("h-retry")}
		res, err = s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(1), Indicator(2)}, again)
		mustOK(t, err)
		for _, r := range res {
			mustOK(t, r.Err)
		}
		if !again.CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("a retried AddAnonymous set CreatedAt %v, want the stored %v", again.CreatedAt, first.CreatedAt)
		}
		_, err = s.AnonymousByHandle(ctx, f.comm.ID, handle("h-retry"))
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("OKNothingValid", func(t *testing.T) {
		// Only invalid objects: each fails in its result, and the record
		// names no object.
		noID := Parse(t, `{"type":"indicator","spec_version":"2.1","created":"2026-01-02T03:04:05.000Z","modified":"2026-01-02T03:04:05.000Z"}`)
		r := &isachub.AnonymousSubmission{HandleHash: handle("h-empty")}
		res, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{noID}, r)
		mustOK(t, err)
		wantCode(t, res[0].Err, isachub.EINVALID)
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("h-empty"))
		mustOK(t, err)
		if len(got.ObjectIDs) != 0 || got.ID != r.ID {
			t.Fatalf("record of a submission without valid objects: %+v", got)
		}
	})
	t.Run("OKNoHandle", func(t *testing.T) {
		// A record without a handle (the sealed policy) twice: no handle
		// is unique, not the empty one.
		for i := range 2 {
			r := &isachub.AnonymousSubmission{OrgID: f.orgB.ID}
			_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Malware(i)}, r)
			mustOK(t, err)
			subs, err := s.AnonymousSubmissions(ctx, f.comm.ID, MalwareID(i))
			mustOK(t, err)
			if len(subs) != 1 || subs[0].HandleHash != nil || subs[0].OrgID != f.orgB.ID {
				t.Fatalf("record without a handle: %+v", subs)
			}
		}
	})
	t.Run("OKWithdrawn", func(t *testing.T) {
		at := time.Date(2026, 11, 23, 9, 30, 0, 123456000, time.UTC)
		mustOK(t, s.MarkWithdrawn(ctx, f.comm.ID, first.ID, at))
		got, err := s.AnonymousByHandle(ctx, f.comm.ID, handle("h1"))
		mustOK(t, err)
		if !got.WithdrawnAt.Equal(at) {
			t.Fatalf("WithdrawnAt = %v, want %v", got.WithdrawnAt, at)
		}
		got.WithdrawnAt = time.Time{}
		wantRecord(t, got, &first)
		wantCode(t, s.MarkWithdrawn(ctx, f.other.ID, first.ID, at), isachub.ENOTFOUND)
		wantCode(t, s.MarkWithdrawn(ctx, f.comm.ID, "00000000-0000-4000-8000-000000000000", at), isachub.ENOTFOUND)
	})
	// A failed add stores neither the objects nor the record.
	nothingStored := func(t *testing.T, objectID string, hash []byte) {
		t.Helper()
		if n := len(all(t, s, f.coll.ID, isachub.ObjectFilter{IDs: []string{objectID}})); n != 0 {
			t.Fatalf("a failed AddAnonymous stored %s", objectID)
		}
		subs, err := s.AnonymousSubmissions(ctx, f.comm.ID, objectID)
		mustOK(t, err)
		if len(subs) != 0 {
			t.Fatalf("a failed AddAnonymous stored a record: %+v", subs)
		}
		if hash != nil {
			_, err = s.AnonymousByHandle(ctx, f.comm.ID, hash)
			wantCode(t, err, isachub.ENOTFOUND)
		}
	}
	t.Run("ErrUnknownCollection", func(t *testing.T) {
		r := &isachub.AnonymousSubmission{CommunityID: f.comm.ID, HandleHash: handle("h-lost")}
		_, err := s.AddAnonymous(ctx, "00000000-0000-4000-8000-000000000000", []*stix.Object{Indicator(10)}, r)
		wantCode(t, err, isachub.ENOTFOUND)
		nothingStored(t, IndicatorID(10), handle("h-lost"))
	})
	t.Run("ErrOtherCommunity", func(t *testing.T) {
		r := &isachub.AnonymousSubmission{CommunityID: f.other.ID, HandleHash: handle("h-other")}
		_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(11)}, r)
		wantCode(t, err, isachub.ENOTFOUND)
		nothingStored(t, IndicatorID(11), nil)
		_, err = s.AnonymousByHandle(ctx, f.other.ID, handle("h-other"))
		wantCode(t, err, isachub.ENOTFOUND)
	})
	t.Run("ErrHandleInUse", func(t *testing.T) {
		// The record fails after the objects were written: they go too.
		r := &isachub.AnonymousSubmission{HandleHash: handle("h2")}
		_, err := s.AddAnonymous(ctx, f.coll.ID, []*stix.Object{Indicator(12)}, r)
		wantCode(t, err, isachub.ECONFLICT)
		nothingStored(t, IndicatorID(12), nil)
	})
}

// testStatusAnonymous checks the status of an anonymous submission, which
// names no organisation (OrgID 0).
func testStatusAnonymous(t *testing.T, s isachub.Store) {
	f := newFixture(t, s)
	ctx := f.ctx
	st := &isachub.Status{CommunityID: f.comm.ID, CollectionID: f.coll.ID, Status: isachub.StatusPending,
		RequestTimestamp: time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC), TotalCount: 1,
		Pendings: []isachub.StatusDetail{{ID: IndicatorID(1), Version: stamp(Epoch)}}}
	mustOK(t, s.CreateStatus(ctx, st))
	got, err := s.Status(ctx, f.comm.ID, st.ID)
	mustOK(t, err)
	if got.OrgID != 0 || got.Status != isachub.StatusPending || !slices.Equal(got.Pendings, st.Pendings) {
		t.Fatalf("Status = %+v, want %+v", got, st)
	}
	st.Status, st.Successes, st.Pendings = isachub.StatusComplete, st.Pendings, nil
	mustOK(t, s.UpdateStatus(ctx, st))
	got, err = s.Status(ctx, f.comm.ID, st.ID)
	mustOK(t, err)
	if got.OrgID != 0 || got.Status != isachub.StatusComplete || !slices.Equal(got.Successes, st.Successes) || len(got.Pendings) != 0 {
		t.Fatalf("after UpdateStatus: %+v", got)
	}
	_, err = s.Status(ctx, f.other.ID, st.ID)
	wantCode(t, err, isachub.ENOTFOUND)
}
