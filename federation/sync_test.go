package federation_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/taxii"
)

// TLP 2.0 marking definitions (OASIS TLP 2.0 marking definitions).
const (
	tlpClear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	tlpGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	tlpAmber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
)

// testHub is an isachub hub served on 127.0.0.1 over a SQLite file: one
// community with a member organisation "member", the organisation
// "federation" whose token the other hubs use, and collections.
type testHub struct {
	slug  string
	store isachub.Store
	url   string // the API root URL
	comm  *isachub.Community
	orgs  map[string]*isachub.Org
	colls map[string]*isachub.Collection
	token map[string]string // org slug to an API token of its analyst
}

func newTestHub(t testing.TB, slug string) *testHub {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), slug+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &testHub{slug: slug, store: db, orgs: map[string]*isachub.Org{}, colls: map[string]*isachub.Collection{}, token: map[string]string{}}
	h.comm = &isachub.Community{Slug: slug, Title: slug, Sector: "aviation"}
	must(t, db.CreateCommunity(ctx, h.comm))
	for _, o := range []string{"member", "federation", "other"} {
		org := &isachub.Org{CommunityID: h.comm.ID, Slug: o, Name: slug + " " + o}
		must(t, db.CreateOrg(ctx, org))
		h.orgs[o] = org
		u := &isachub.User{OrgID: org.ID, Username: slug + "-" + o, Role: isachub.RoleAnalyst}
		must(t, db.CreateUser(ctx, u))
		secret, hash, err := server.NewToken()
		must(t, err)
		must(t, db.CreateToken(ctx, &isachub.Token{UserID: u.ID, Name: "test", Hash: hash}))
		h.token[o] = secret
	}
	for _, c := range []*isachub.Collection{
		{Alias: "shared", Title: "Shared", ReadAll: true, WriteAll: true},
		{Alias: "inbox", Title: "From peers", ReadAll: true, WriteAll: true},
		{Alias: "group", Title: "Sharing group", Readers: []int64{h.orgs["member"].ID}, Writers: []int64{h.orgs["member"].ID}},
	} {
		c.CommunityID = h.comm.ID
		must(t, db.CreateCollection(ctx, c))
		h.colls[c.Alias] = c
	}
	srv := httptest.NewServer(server.New(server.Config{}, db, nil).Handler())
	t.Cleanup(srv.Close)
	h.url = srv.URL + "/" + slug + "/"
	return h
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is a TAXII client of the hub as the organisation.
func (h *testHub) client(t *testing.T, org string) *taxii.Client {
	t.Helper()
	c, err := taxii.NewClient(h.url, taxii.ClientOptions{Auth: taxii.Bearer(h.token[org])})
	must(t, err)
	return c
}

// publish posts objects to the collection as the organisation.
func (h *testHub) publish(t *testing.T, org, alias string, objs ...string) {
	t.Helper()
	st, err := h.client(t, org).AddObjects(context.Background(), h.colls[alias].ID, []byte(`{"objects":[`+strings.Join(objs, ",")+`]}`))
	must(t, err)
	if st.FailureCount != 0 || st.SuccessCount != len(objs) {
		t.Fatalf("publishing to %s: %+v", alias, st)
	}
}

// ids returns the ids of every object version in the collection, as the
// hub sees them (the test reads as the hub).
func (h *testHub) ids(t *testing.T, alias string) map[string]int {
	t.Helper()
	out := map[string]int{}
	f := isachub.ObjectFilter{Versions: []string{"all"}, Limit: 1000}
	for {
		p, err := h.store.Objects(context.Background(), h.colls[alias].ID, isachub.Unrestricted(), f)
		must(t, err)
		for _, v := range p.Objects {
			out[v.ID]++
		}
		if !p.More {
			return out
		}
		f.Next = p.Next
	}
}

// indicator returns a STIX indicator named name with the markings.
func indicator(n int, name string, markings ...string) string {
	refs := ""
	if len(markings) > 0 {
		b, _ := json.Marshal(markings)
		refs = `,"object_marking_refs":` + string(b)
	}
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-1111-4000-8000-000000000000","created":"2026-12-01T00:00:00.000Z","modified":"2026-12-01T00:00:00.000Z","name":%q,"pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2026-12-01T00:00:00Z"%s}`,
		n, name, n%250, refs)
}

func indicatorID(n int) string { return fmt.Sprintf("indicator--%08x-1111-4000-8000-000000000000", n) }

// federate makes a peer of to in from's community, authenticated with the
// token of to's federation organisation, and returns it with a syncer.
func federate(t testing.TB, from, to *testHub, name string, trusted bool) (*isachub.Peer, *federation.Syncer) {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	peerOrg := &isachub.Org{CommunityID: from.comm.ID, Slug: "peer-" + name, Name: "Peer " + name}
	must(t, from.store.CreateOrg(ctx, peerOrg))
	p := &isachub.Peer{ID: "peer-" + name, CommunityID: from.comm.ID, Name: name, URL: to.url, OrgID: peerOrg.ID, Trusted: trusted}
	cred, err := federation.Seal(key, p.ID, to.token["federation"])
	must(t, err)
	p.Credential = cred
	must(t, from.store.CreatePeer(ctx, p))
	return p, &federation.Syncer{Store: from.store, Key: key, StatusWait: 10 * time.Second,
		ClientOptions: taxii.ClientOptions{MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}}
}

func subscribe(t *testing.T, h *testHub, p *isachub.Peer, dir isachub.Direction, remote, local string) *isachub.Subscription {
	t.Helper()
	s := &isachub.Subscription{PeerID: p.ID, Direction: dir, Remote: remote, Local: local}
	must(t, h.store.CreateSubscription(context.Background(), s))
	return s
}

func syncOK(t *testing.T, s *federation.Syncer, peerID string) []federation.Result {
	t.Helper()
	results, err := s.SyncPeer(context.Background(), peerID)
	must(t, err)
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s %s: %v", r.Subscription.Direction, r.Subscription.ID, r.Err)
		}
	}
	return results
}

// TestTwoHubs syncs two isachub hubs both ways: A pulls B's shared
// collection into its own and pushes its own to B's. Each object arrives
// once, the copy keeps the exact bytes, nothing goes back where it came
// from, a second run moves nothing, and new versions follow.
func TestTwoHubs(t *testing.T) {
	a, b := newTestHub(t, "aviation-isac"), newTestHub(t, "defence-isac")
	peer, syncer := federate(t, a, b, "defence", false)
	subscribe(t, a, peer, isachub.Pull, b.colls["shared"].ID, a.colls["shared"].ID)
	subscribe(t, a, peer, isachub.Push, b.colls["shared"].ID, a.colls["shared"].ID)

	b.publish(t, "member", "shared", indicator(1, "from B one", tlpClear), indicator(2, "from B two", tlpClear))
	a.publish(t, "member", "shared", indicator(3, "from A", tlpClear))
	results := syncOK(t, syncer, peer.ID)
	if results[0].Moved != 2 || results[1].Moved != 1 || results[1].Withheld != 2 {
		t.Fatalf("pull moved %d, push moved %d and withheld %d", results[0].Moved, results[1].Moved, results[1].Withheld)
	}
	for _, h := range []*testHub{a, b} {
		got := h.ids(t, "shared")
		if len(got) != 3 || got[indicatorID(1)] != 1 || got[indicatorID(3)] != 1 {
			t.Errorf("%s holds %v", h.slug, got)
		}
	}
	// the copy is the bytes B holds
	pa, _ := a.store.Objects(context.Background(), a.colls["shared"].ID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{indicatorID(1)}})
	if len(pa.Objects) != 1 || string(pa.Objects[0].Raw) != indicator(1, "from B one", tlpClear) {
		t.Errorf("the pulled copy differs from what B holds: %s", pa.Objects[0].Raw)
	}
	// a second run moves nothing
	results = syncOK(t, syncer, peer.ID)
	if results[0].Moved != 0 || results[1].Moved != 0 {
		t.Errorf("a second pull moved %d, a second push %d", results[0].Moved, results[1].Moved)
	}
	if got := b.ids(t, "shared"); len(got) != 3 {
		t.Errorf("B holds %v after a second run", got)
	}
	// a new version on B follows
	b.publish(t, "member", "shared", strings.Replace(indicator(1, "from B one, revoked", tlpClear), `"modified":"2026-12-01T00:00:00.000Z"`, `"modified":"2026-12-02T00:00:00.000Z","revoked":true`, 1))
	syncOK(t, syncer, peer.ID)
	if got := a.ids(t, "shared"); got[indicatorID(1)] != 2 {
		t.Errorf("the new version did not follow: %v", got)
	}
	subs, err := a.store.Subscriptions(context.Background(), peer.ID)
	must(t, err)
	for _, s := range subs {
		if s.LastSuccess.IsZero() || s.LastError != "" || s.Checkpoint == "" || s.NextRun.IsZero() {
			t.Errorf("subscription %s after its runs: %+v", s.Direction, s)
		}
	}
}

// TestBorder holds a push to the border rule: TLP:CLEAR to any peer, GREEN
// only to a trusted one, AMBER and unmarked (the collection's default,
// AMBER) never, nothing of a sharing group's collection.
func TestBorder(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted=%t", trusted), func(t *testing.T) {
			a, b := newTestHub(t, "aviation-isac"), newTestHub(t, "defence-isac")
			peer, syncer := federate(t, a, b, "defence", trusted)
			subscribe(t, a, peer, isachub.Push, b.colls["inbox"].ID, a.colls["shared"].ID)
			a.publish(t, "member", "shared",
				indicator(1, "clear", tlpClear), indicator(2, "green", tlpGreen), indicator(3, "amber", tlpAmber), indicator(4, "unmarked"))
			a.publish(t, "member", "group", indicator(5, "group clear", tlpClear))
			syncOK(t, syncer, peer.ID)
			got := b.ids(t, "inbox")
			want := map[string]int{indicatorID(1): 1}
			if trusted {
				want[indicatorID(2)] = 1
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("the peer received %v, want %v", got, want)
			}
			// a push of a sharing group's collection fails, and says why
			subscribe(t, a, peer, isachub.Push, b.colls["inbox"].ID, a.colls["group"].ID)
			results, err := syncer.SyncPeer(context.Background(), peer.ID)
			must(t, err)
			if results[1].Err == nil || !strings.Contains(results[1].Err.Error(), "restricted to named organisations") {
				t.Errorf("pushing a sharing group's collection: %v", results[1].Err)
			}
			if got := b.ids(t, "inbox"); len(got) != len(want) {
				t.Errorf("the peer received %v after the group's push", got)
			}
		})
	}
}

// TestRing federates three hubs in a ring, each pushing its shared
// collection to the next and pulling from the previous: every object ends
// on every hub exactly once, and further runs move nothing.
func TestRing(t *testing.T) {
	hubs := []*testHub{newTestHub(t, "aviation-isac"), newTestHub(t, "defence-isac"), newTestHub(t, "energy-isac")}
	type link struct {
		peer   *isachub.Peer
		syncer *federation.Syncer
		from   *testHub
	}
	var links []link
	for i, h := range hubs {
		next := hubs[(i+1)%3]
		p, s := federate(t, h, next, next.slug, true)
		subscribe(t, h, p, isachub.Push, next.colls["shared"].ID, h.colls["shared"].ID)
		subscribe(t, h, p, isachub.Pull, next.colls["shared"].ID, h.colls["shared"].ID)
		links = append(links, link{p, s, h})
	}
	for i, h := range hubs {
		h.publish(t, "member", "shared", indicator(10+i, "from "+h.slug, tlpClear))
	}
	for round := 0; round < 3; round++ {
		for _, l := range links {
			syncOK(t, l.syncer, l.peer.ID)
		}
	}
	for _, h := range hubs {
		got := h.ids(t, "shared")
		if len(got) != 3 {
			t.Errorf("%s holds %v", h.slug, got)
		}
		for id, n := range got {
			if n != 1 {
				t.Errorf("%s holds %d versions of %s", h.slug, n, id)
			}
		}
	}
	for _, l := range links {
		for _, r := range syncOK(t, l.syncer, l.peer.ID) {
			if r.Subscription.Direction == isachub.Push && r.Moved != 0 {
				t.Errorf("%s pushed %d more after the ring settled", l.from.slug, r.Moved)
			}
		}
	}
}

// TestPullRefuses stores what is valid of a page and reports the rest: an
// object that is no STIX, one that breaks the TLP rule of the local
// collection and one that claims our own community's identity.
func TestPullRefuses(t *testing.T) {
	a, b := newTestHub(t, "aviation-isac"), newTestHub(t, "defence-isac")
	ctx := context.Background()
	a.comm.IdentityID = "identity--aaaaaaaa-0000-4000-8000-000000000001"
	must(t, a.store.UpdateCommunity(ctx, a.comm))
	peer, syncer := federate(t, a, b, "defence", true)
	subscribe(t, a, peer, isachub.Pull, b.colls["group"].ID, a.colls["shared"].ID)
	red := strings.Replace(indicator(2, "red"), `"name"`, `"object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"],"name"`, 1)
	forged := strings.Replace(indicator(3, "forged", tlpClear), `"name"`, `"created_by_ref":"`+a.comm.IdentityID+`","name"`, 1)
	b.publish(t, "member", "group", indicator(1, "fine", tlpClear), red, forged)
	// B's federation organisation may read its group collection
	b.colls["group"].Readers = append(b.colls["group"].Readers, b.orgs["federation"].ID)
	must(t, b.store.UpdateCollection(ctx, b.colls["group"]))
	results, err := syncer.SyncPeer(ctx, peer.ID)
	must(t, err)
	r := results[0]
	if r.Err != nil || r.Moved != 1 || r.Refused != 2 {
		t.Fatalf("moved %d, refused %d %v, err %v", r.Moved, r.Refused, r.Refusals, r.Err)
	}
	joined := strings.Join(r.Refusals, "\n")
	for _, want := range []string{"TLP:RED", "claims to be created by this community's own identity"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the refusals do not say %q:\n%s", want, joined)
		}
	}
	if got := a.ids(t, "shared"); len(got) != 1 || got[indicatorID(1)] != 1 {
		t.Errorf("A holds %v", got)
	}
}

// TestRunDue runs what is due, once across two syncers of one store (two
// replicas), and schedules the next run after the interval.
func TestRunDue(t *testing.T) {
	a, b := newTestHub(t, "aviation-isac"), newTestHub(t, "defence-isac")
	peer, one := federate(t, a, b, "defence", false)
	two := *one
	s := &isachub.Subscription{PeerID: peer.ID, Direction: isachub.Pull, Remote: b.colls["shared"].ID, Local: a.colls["shared"].ID, Interval: time.Hour}
	must(t, a.store.CreateSubscription(context.Background(), s))
	b.publish(t, "member", "shared", indicator(1, "from B", tlpClear))
	r1, err := one.RunDue(context.Background(), 10)
	must(t, err)
	r2, err := two.RunDue(context.Background(), 10)
	must(t, err)
	if len(r1)+len(r2) != 1 || len(r1) == 1 && r1[0].Moved != 1 {
		t.Fatalf("runs: %d and %d", len(r1), len(r2))
	}
	subs, err := a.store.Subscriptions(context.Background(), peer.ID)
	must(t, err)
	if d := time.Until(subs[0].NextRun); d < 55*time.Minute || d > time.Hour {
		t.Errorf("the next run is in %s, want about an hour", d)
	}
}
