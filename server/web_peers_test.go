package server_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/server"
)

// federated is the staff hub (organisation a is the ISAC's staff) with one
// peer, "Defence ISAC": another hub on 127.0.0.1, reached with b-analyst's
// token there. The staff hub pulls the peer's open collection into its
// own (pull), pulls a collection the peer does not have (broken, which
// fails) and pushes its open collection to the peer's (push); each ran
// once through federation.Syncer.
type federated struct {
	*hub
	remote             *hub
	peer               *isachub.Peer
	pull, broken, push *isachub.Subscription
	secret             string // the peer's credential, in clear
	sealed             []byte
	key                []byte // the federation key
	pulled             string // the id of the object pulled
}

const greenMarking = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"

func newFederated(t *testing.T) *federated {
	t.Helper()
	ctx := context.Background()
	h, _ := staffHub(t)
	f := &federated{hub: h, remote: newHub(t, server.Config{}), pulled: "indicator--5eed0000-0000-4000-8000-000000000001"}
	f.remote.post(t, "b-analyst", "open", envelope(`{"type":"indicator","spec_version":"2.1","id":"`+f.pulled+`","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z","name":"Kestrel beacon","pattern":"[domain-name:value = 'kestrel.example']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00Z","object_marking_refs":["`+greenMarking+`"]}`))

	f.key = make([]byte, 32)
	rand.Read(f.key)
	f.secret = f.remote.tokens["b-analyst"]
	org := &isachub.Org{CommunityID: h.comm.ID, Slug: "peer-defence-isac", Name: "Peer: Defence ISAC"}
	if err := h.store.CreateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}
	f.peer = &isachub.Peer{ID: uuid.NewString(), CommunityID: h.comm.ID, Name: "Defence ISAC", URL: f.remote.srv.URL + root,
		OrgID: org.ID, Trusted: true}
	var err error
	if f.peer.Credential, err = federation.Seal(f.key, f.peer.ID, f.secret); err != nil {
		t.Fatal(err)
	}
	f.sealed = f.peer.Credential
	if err := h.store.CreatePeer(ctx, f.peer); err != nil {
		t.Fatal(err)
	}
	f.pull = &isachub.Subscription{PeerID: f.peer.ID, Direction: isachub.Pull, Remote: f.remote.colls["open"].ID, Local: h.colls["open"].ID}
	f.broken = &isachub.Subscription{PeerID: f.peer.ID, Direction: isachub.Pull, Remote: "no-such-collection", Local: h.colls["open"].ID}
	f.push = &isachub.Subscription{PeerID: f.peer.ID, Direction: isachub.Push, Remote: f.remote.colls["open"].ID, Local: h.colls["open"].ID}
	for _, s := range []*isachub.Subscription{f.pull, f.broken, f.push} {
		if err := h.store.CreateSubscription(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	results, err := f.syncer().SyncPeer(ctx, f.peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[0].Err != nil || results[0].Moved != 1 || results[1].Err == nil || results[2].Err != nil {
		t.Fatalf("the syncs: %+v", results)
	}
	return f
}

// syncer runs the staff hub's subscriptions.
func (f *federated) syncer() *federation.Syncer {
	return &federation.Syncer{Store: f.store, Key: f.key}
}

// credentialTexts are the spellings of the peer's credential that no page
// may show.
func (f *federated) credentialTexts() []string {
	return []string{f.secret, hex.EncodeToString(f.sealed), base64.StdEncoding.EncodeToString(f.sealed),
		base64.RawURLEncoding.EncodeToString(f.sealed)}
}

// TestWebPeers: the staff's federation page lists the peer (name, API
// root, trusted) and each subscription's state, the failing one said in
// words with its error; it is in the staff's navigation and linked from
// the administration page. A member and an anonymous visitor get neither
// the page nor the link, and no page shows the peer's credential.
func TestWebPeers(t *testing.T) {
	f := newFederated(t)
	staff, reader, admin, member, anon := f.browser(t), f.browser(t), f.browser(t), f.browser(t), f.browser(t)
	staff.signIn("a-analyst", "pw-a-analyst")
	reader.signIn("a-reader", "pw-a-reader")
	admin.signIn("operator", "pw-operator")
	member.signIn("b-analyst", "pw-b-analyst")

	for _, b := range []*browser{staff, reader, admin} {
		p := b.get("/ui/peers").want(t, http.StatusOK).contains(t,
			`<h1>Federation of ACME ISAC</h1>`, `<h2 id="peer-`+f.peer.ID+`">Defence ISAC</h2>`, f.peer.URL,
			"trusted: TLP:CLEAR and TLP:GREEN may go to it",
			`<th scope="col">Last success</th>`, `<th scope="col">Lag</th>`, `<th scope="col">Last error</th>`,
			`Pull into <a href="/ui/collections/`+f.hub.colls["open"].ID+`">Open</a><br><span class="muted small">from <code>`+f.pull.Remote+`</code>`,
			`Push <a href="/ui/collections/`+f.hub.colls["open"].ID+`">Open</a><br><span class="muted small">to <code>`+f.push.Remote+`</code>`,
			`<span class="state state-failing">failing</span>`, `<span class="state state-ok">ok</span>`,
			"1 subscription failing:", `<a href="#sub-`+f.broken.ID+`">Defence ISAC: pull into Open</a>`, `<tr id="sub-`+f.broken.ID+`">`, "no-such-collection", "every 5 min",
			`href="/ui/peers" aria-current="page">Federation</a>`).lacks(t, f.credentialTexts()...)
		if strings.Count(p.body, `<span class="state state-ok">ok</span>`) != 2 {
			t.Errorf("want two subscriptions ok: %s", p.body)
		}
		if _, err := checkHTML(p.body); err != nil {
			t.Errorf("the federation page: %v", err)
		}
	}
	admin.get("/ui/admin").want(t, http.StatusOK).contains(t, `<a href="/ui/peers`)
	admin.get("/ui/peers?community=other-isac").want(t, http.StatusOK).contains(t, "This community has no peers yet").lacks(t, "Defence ISAC")
	staff.get("/ui/").contains(t, `<a href="/ui/peers" >Federation</a>`)

	member.get("/ui/peers").want(t, http.StatusForbidden).lacks(t, "Defence ISAC", f.peer.URL, "no-such-collection")
	member.get("/ui/peers?community=acme-isac").want(t, http.StatusForbidden).lacks(t, "Defence ISAC")
	member.get("/ui/").want(t, http.StatusOK).lacks(t, "/ui/peers", "Federation")
	p := anon.get("/ui/peers")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/ui/login") || strings.Contains(p.body, "Defence ISAC") {
		t.Errorf("an anonymous visitor: %d to %q", p.status, p.location)
	}
	// the failing subscription fixed: the page says so
	f.broken.LastError = ""
	if err := f.store.RecordSync(context.Background(), f.broken); err != nil {
		t.Fatal(err)
	}
	staff.get("/ui/peers").want(t, http.StatusOK).lacks(t, "state-failing", "subscription failing")
}

// TestWebObjectProvenance: on the page of an object pulled from a peer,
// the staff read which peer sent each version and when; a member reading
// the same object (the policy lets them) never reads the peer's name.
func TestWebObjectProvenance(t *testing.T) {
	f := newFederated(t)
	staff, member := f.browser(t), f.browser(t)
	staff.signIn("a-analyst", "pw-a-analyst")
	member.signIn("b-analyst", "pw-b-analyst")
	subs, err := f.store.Subscriptions(context.Background(), f.peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	received := subs[0].LastRun.UTC().Format("2006-01-02 ") // the run's day; the minute may turn
	staff.get("/ui/objects/"+f.pulled).want(t, http.StatusOK).contains(t, "Kestrel beacon",
		`Received from peer <strong>Defence ISAC</strong> on `+received).lacks(t, f.credentialTexts()...)
	member.get("/ui/objects/"+f.pulled).want(t, http.StatusOK).contains(t, "Kestrel beacon", "2026-03-01T00:00:00.000Z").
		lacks(t, "Defence ISAC", "Received from peer", "provenance")

	// a second version from the peer: each version says where it came from
	f.remote.post(t, "b-analyst", "open", envelope(`{"type":"indicator","spec_version":"2.1","id":"`+f.pulled+`","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-02T00:00:00.000Z","name":"Kestrel beacon v2","pattern":"[domain-name:value = 'kestrel.example']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00Z","object_marking_refs":["`+greenMarking+`"]}`))
	// and one published here by a member: no peer
	f.post(t, "b-analyst", "open", envelope(indicator(7, "2026-01-01T00:00:00.000Z")))
	if _, err := f.syncer().SyncPeer(context.Background(), f.peer.ID); err != nil {
		t.Fatal(err)
	}
	p := staff.get("/ui/objects/"+f.pulled).want(t, http.StatusOK)
	if _, err := checkHTML(p.body); err != nil {
		t.Errorf("the object page: %v", err)
	}
	if n := strings.Count(p.body, "Received from peer <strong>Defence ISAC</strong>"); n != 2 {
		t.Errorf("%d versions say where they came from, want 2", n)
	}
	staff.get("/ui/objects/"+indicatorID(7)).want(t, http.StatusOK).lacks(t, "Received from peer")
	member.get("/ui/objects/"+f.pulled).want(t, http.StatusOK).contains(t, "Kestrel beacon v2").lacks(t, "Defence ISAC", "Received from peer")
}
