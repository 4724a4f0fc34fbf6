package publish_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// world is a community with two organisations and three collections over
// a real SQLite file: open (all read and write), moderated, and named (a
// reads and writes only).
type world struct {
	store              isachub.Store
	comm               *isachub.Community
	a, b               *isachub.Org
	open, mod, private *isachub.Collection
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{store: db, comm: &isachub.Community{Slug: "aviation", Title: "Aviation ISAC", Sector: "aviation"}}
	must(t, db.CreateCommunity(ctx, w.comm))
	w.a = &isachub.Org{CommunityID: w.comm.ID, Slug: "acme", Name: "Acme Air"}
	w.b = &isachub.Org{CommunityID: w.comm.ID, Slug: "globex", Name: "Globex Airways"}
	must(t, db.CreateOrg(ctx, w.a))
	must(t, db.CreateOrg(ctx, w.b))
	w.open = &isachub.Collection{CommunityID: w.comm.ID, Title: "Open", ReadAll: true, WriteAll: true}
	w.mod = &isachub.Collection{CommunityID: w.comm.ID, Title: "Moderated", ReadAll: true, WriteAll: true, Moderated: true}
	w.private = &isachub.Collection{CommunityID: w.comm.ID, Title: "A only", Readers: []int64{w.a.ID}, Writers: []int64{w.a.ID}}
	for _, c := range []*isachub.Collection{w.open, w.mod, w.private} {
		must(t, db.CreateCollection(ctx, c))
	}
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// submission is org's submission of objs (raw JSON, each at
// $.objects[i]) to coll.
func (w *world) submission(t *testing.T, org *isachub.Org, coll *isachub.Collection, objs ...string) *publish.Submission {
	sub := &publish.Submission{Community: w.comm, Collection: coll, Org: org,
		Reader: isachub.Reader{OrgID: org.ID, CommunityID: w.comm.ID, Role: isachub.RoleAnalyst}}
	for i, raw := range objs {
		it := publish.Item{Path: "$.objects[" + strconv.Itoa(i) + "]"}
		o, err := stix.ParseObject([]byte(raw))
		if err != nil {
			it.Message = it.Path + ": " + err.Error()
		}
		it.Object = o
		sub.Items = append(sub.Items, it)
	}
	return sub
}

func indicator(n int) string { return string(storetest.Indicator(n).Raw()) }

func red(n int) string {
	return strings.Replace(indicator(n), `"type":"indicator"`, `"type":"indicator","object_marking_refs":["`+stix.TLP2Red+`"]`, 1)
}

const notSTIX = `{"type":"indicator","id":"indicator--bad"}`

func TestPublish(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	t.Run("Plain", func(t *testing.T) {
		out, err := publish.Publish(ctx, w.store, nil, w.submission(t, w.a, w.open, indicator(1), notSTIX, red(2), `[1]`))
		must(t, err)
		st := out.Status
		if st.TotalCount != 4 || len(st.Successes) != 1 || len(st.Failures) != 3 || out.WithdrawalHandle != "" {
			t.Fatalf("status %+v", st)
		}
		// Failures in submission order, each saying what and where.
		for i, want := range []string{"$.objects[1].id", "TLP:RED", "$.objects[3]"} {
			if !strings.Contains(st.Failures[i].Message, want) {
				t.Errorf("failure %d = %q, want it to mention %q", i, st.Failures[i].Message, want)
			}
		}
		stored, err := w.store.Status(ctx, w.comm.ID, st.ID)
		must(t, err)
		if stored.OrgID != w.a.ID || len(stored.Successes) != 1 {
			t.Fatalf("stored status %+v", stored)
		}
	})
	t.Run("Conflict", func(t *testing.T) {
		// b may not add a version of a's object; in the private collection,
		// which b cannot read, the answer does not admit the id exists.
		must(t, err0(publish.Publish(ctx, w.store, nil, w.submission(t, w.a, w.private, indicator(5)))))
		sub := w.submission(t, w.b, w.private, indicator(5))
		sub.Reader.OrgID = w.b.ID
		out, err := publish.Publish(ctx, w.store, nil, sub)
		must(t, err)
		if len(out.Status.Failures) != 1 || strings.Contains(out.Status.Failures[0].Message, "first published") {
			t.Fatalf("failures %+v: the conflict must not admit the object exists", out.Status.Failures)
		}
		out, err = publish.Publish(ctx, w.store, nil, w.submission(t, w.b, w.open, indicator(1)))
		must(t, err)
		if len(out.Status.Failures) != 1 || !strings.Contains(out.Status.Failures[0].Message, "first published") {
			t.Fatalf("failures %+v: in a collection b reads, the conflict says why", out.Status.Failures)
		}
	})
	t.Run("Moderated", func(t *testing.T) {
		out, err := publish.Publish(ctx, w.store, nil, w.submission(t, w.a, w.mod, indicator(3), notSTIX))
		must(t, err)
		if out.Status.Status != isachub.StatusPending || len(out.Status.Pendings) != 1 || len(out.Status.Failures) != 1 {
			t.Fatalf("status %+v", out.Status)
		}
		queue, err := w.store.PendingSubmissions(ctx, w.mod.ID)
		must(t, err)
		if len(queue) != 1 || len(queue[0].Objects) != 1 {
			t.Fatalf("queue %+v", queue)
		}
		page, err := w.store.Objects(ctx, w.mod.ID, isachub.Unrestricted(), isachub.ObjectFilter{})
		must(t, err)
		if len(page.Objects) != 0 {
			t.Fatal("a moderated submission was stored before approval")
		}
	})
	t.Run("AnonymousWholeOrNothing", func(t *testing.T) {
		sub := w.submission(t, w.a, w.open, indicator(4), notSTIX)
		sub.Anonymous = true
		_, err := publish.Publish(ctx, w.store, nil, sub)
		if isachub.ErrorCode(err) != isachub.EUNPROCESSABLE || !strings.Contains(isachub.ErrorMessage(err), "whole or not at all") {
			t.Fatalf("err %v", err)
		}
		if _, err := publish.PreviewAnonymous(sub); isachub.ErrorCode(err) != isachub.EUNPROCESSABLE {
			t.Fatalf("preview err %v", err)
		}
	})
	t.Run("AnonymousAndRevoke", func(t *testing.T) {
		sub := w.submission(t, w.a, w.open, indicator(6))
		sub.Anonymous = true
		p, err := publish.PreviewAnonymous(sub)
		must(t, err)
		if len(p.Objects) != 3 { // the community's and the sector's identities, then the indicator
			t.Fatalf("preview objects %d", len(p.Objects))
		}
		out, err := publish.Publish(ctx, w.store, nil, sub)
		must(t, err)
		if out.Status.OrgID != 0 || len(out.Status.Successes) != 1 || !strings.HasPrefix(out.WithdrawalHandle, publish.HandlePrefix) {
			t.Fatalf("outcome %+v", out)
		}
		if out.Status.Successes[0].ID == storetest.IndicatorID(6) {
			t.Fatal("the anonymous indicator kept the submitter's id")
		}
		rec, err := w.store.AnonymousByHandle(ctx, w.comm.ID, publish.HashHandle(out.WithdrawalHandle))
		must(t, err)
		wd, err := publish.Revoke(ctx, w.store, rec)
		must(t, err)
		if len(wd.Revoked) != 1 || wd.Revoked[0].ID != out.Status.Successes[0].ID {
			t.Fatalf("withdrawal %+v", wd)
		}
		again, err := publish.Revoke(ctx, w.store, rec)
		must(t, err)
		if len(again.Revoked) != 0 || len(again.Unchanged) != 1 {
			t.Fatalf("a second withdrawal %+v, want the object already revoked", again)
		}
	})
}

func err0(_ *publish.Outcome, err error) error { return err }
