package server_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The adversarial suite extended to the border (issue 14). The hub of the
// suite has two peers, one declared trusted and one not, each another
// isachub hub on 127.0.0.1. Both ways out are attacked:
//
//   - a push of every collection to each peer hub: the peer receives
//     TLP:CLEAR of the open collection, GREEN only when trusted, and never
//     AMBER, AMBER+STRICT, RED, an unmarked version (the collection's
//     default, AMBER) or anything of a collection restricted to named
//     organisations; no byte it holds names a secret;
//   - the peer reading us with the account its organisation has here (a
//     peer that pulls): it is one more attacker of every read path, and
//     sees exactly what a push would send it.

// borderSees is what may cross the border to a peer (MayCross) of the
// suite's objects.
func borderSees(trusted bool) func(o *secretObject) bool {
	return func(o *secretObject) bool {
		return o.alias == "open" && (o.tlp == stix.TLPClear || trusted && o.tlp == stix.TLPGreen)
	}
}

// suitePeer is a peer of the suite's hub: another hub, and the peer's
// organisation and user on ours.
type suitePeer struct {
	peer    *isachub.Peer
	hub     *hub // the peer's own hub
	syncer  *federation.Syncer
	trusted bool
	user    string // the peer's user on the suite's hub
}

// addPeers makes the suite's two peers, trusted and not.
func (h *confidential) addPeers(t *testing.T) []*suitePeer {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	var peers []*suitePeer
	for _, trusted := range []bool{false, true} {
		name := fmt.Sprintf("peer-trusted-%t", trusted)
		p := &suitePeer{hub: newHub(t, server.Config{}), trusted: trusted, user: name + "-reader"}
		org := mustOrg(t, h.store, h.comm, name)
		p.peer = &isachub.Peer{ID: name, CommunityID: h.comm.ID, Name: name, URL: p.hub.srv.URL + root, OrgID: org.ID, Trusted: trusted}
		cred, err := federation.Seal(key, p.peer.ID, p.hub.tokens["a-analyst"])
		if err != nil {
			t.Fatal(err)
		}
		p.peer.Credential = cred
		if err := h.store.CreatePeer(ctx, p.peer); err != nil {
			t.Fatal(err)
		}
		h.addUser(t, org, p.user, isachub.RoleAnalyst, false)
		p.syncer = &federation.Syncer{Store: h.store, Key: key, StatusWait: 10 * time.Second,
			ClientOptions: taxii.ClientOptions{MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}}
		peers = append(peers, p)
	}
	return peers
}

// peerAttackers are the peers' users on the suite's hub, as attackers.
func peerAttackers(peers []*suitePeer) []attacker {
	var as []attacker
	for _, p := range peers {
		as = append(as, attacker{user: p.user, sees: borderSees(p.trusted)})
	}
	return as
}

// attackPush pushes every collection of the suite to the peer and checks
// what the peer's hub holds afterwards, byte for byte.
func (h *confidential) attackPush(t *testing.T, p *suitePeer) {
	ctx := context.Background()
	remote := p.hub.colls["open"].ID
	for _, alias := range []string{"open", "jewels", "restricted", "drop"} {
		s := &isachub.Subscription{PeerID: p.peer.ID, Direction: isachub.Push, Remote: remote, Local: h.colls[alias].ID}
		if err := h.store.CreateSubscription(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	results, err := p.syncer.SyncPeer(ctx, p.peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		local := r.Subscription.Local
		named := local != h.colls["open"].ID
		if !named && r.Err != nil {
			t.Errorf("pushing the open collection: %v", r.Err)
		}
		if named && (r.Err == nil || !strings.Contains(r.Err.Error(), "restricted to named organisations")) {
			t.Errorf("pushing collection %s (restricted to named organisations): moved %d, err %v", local, r.Moved, r.Err)
		}
	}
	// What the peer holds, read as the peer's own operator would: all.
	page, err := p.hub.store.Objects(ctx, remote, isachub.Unrestricted(), isachub.ObjectFilter{Versions: []string{"all"}, SpecVersions: []string{"2.0", "2.1"}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	var held strings.Builder
	for _, v := range page.Objects {
		got = append(got, v.ID+" "+v.Modified)
		held.Write(v.Raw)
	}
	sees := borderSees(p.trusted)
	for _, o := range h.objs {
		if sees(o) && !o.refused {
			want = append(want, o.id()+" "+o.modified())
		}
	}
	if p.trusted { // the open GREEN relationship of the extras
		want = append(want, "relationship--5c0a0000-0000-4000-8000-000000000006 2026-04-03T00:00:00.000Z")
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the peer (trusted %t) holds\n%s\nwant\n%s", p.trusted, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	words, _ := h.secrets(attacker{sees: sees})
	for _, w := range words {
		if strings.Contains(held.String(), w) {
			t.Errorf("the peer (trusted %t) holds %q", p.trusted, w)
		}
	}
	// A second run sends nothing more.
	results, err = p.syncer.SyncPeer(ctx, p.peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Moved != 0 {
			t.Errorf("a second push of %s moved %d", r.Subscription.Local, r.Moved)
		}
	}
}
