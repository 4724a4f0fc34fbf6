package server_test

import (
	"context"
	"crypto/rand"
	"net"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// TestBrowserPeers: the staff's federation page of the demo community,
// with a trusted peer (another hub on 127.0.0.1, pulled from and pushed
// to) and an untrusted one that cannot be reached, each run once: it
// passes the accessibility check, fits a laptop's screen, and says the
// failing subscription in words. A member's navigation has no such page.
func TestBrowserPeers(t *testing.T) {
	h := demoHub(t)
	remote := newHub(t, server.Config{})
	remote.post(t, "b-analyst", "open", indicators(1, 12))
	ctx := context.Background()
	comm, err := h.store.Community(ctx, demo.CommunitySlug)
	if err != nil {
		t.Fatal(err)
	}
	shared := collectionID(t, h, demo.Shared)
	key := make([]byte, 32)
	rand.Read(key)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := closed.Addr().String()
	closed.Close()
	addPeer := func(name, url, secret string, trusted bool, subs ...*isachub.Subscription) *isachub.Peer {
		t.Helper()
		org := &isachub.Org{CommunityID: comm.ID, Slug: "peer-" + uuid.NewString()[:8], Name: "Peer: " + name}
		if err := h.store.CreateOrg(ctx, org); err != nil {
			t.Fatal(err)
		}
		p := &isachub.Peer{ID: uuid.NewString(), CommunityID: comm.ID, Name: name, URL: url, OrgID: org.ID, Trusted: trusted}
		if p.Credential, err = federation.Seal(key, p.ID, secret); err != nil {
			t.Fatal(err)
		}
		if err := h.store.CreatePeer(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			s.PeerID = p.ID
			if err := h.store.CreateSubscription(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	defence := addPeer("Defence ISAC", remote.srv.URL+root, remote.tokens["b-analyst"], true,
		&isachub.Subscription{Direction: isachub.Pull, Remote: remote.colls["open"].ID, Local: shared},
		&isachub.Subscription{Direction: isachub.Push, Remote: remote.colls["open"].ID, Local: shared})
	cert := addPeer("National CERT", "http://"+gone+"/taxii2/cert/", "cert-secret-token", false,
		&isachub.Subscription{Direction: isachub.Pull, Remote: "a3f1c2d4-advisories", Local: shared})
	sync := &federation.Syncer{Store: h.store, Key: key, ClientOptions: taxii.ClientOptions{Retries: -1}}
	for _, p := range []*isachub.Peer{defence, cert} {
		if _, err := sync.SyncPeer(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}

	b := newTab(t, h.srv.URL, 1280, 900)
	b.signIn("dave", "dave-demo-password")
	b.lacks("Federation")
	b.signOut()
	b.signIn("sam", "sam-demo-password")
	b.click(`nav a[href="/ui/peers"]`)
	b.waitFor("Federation of Demo Aviation ISAC", "Defence ISAC", "National CERT", "failing", "1 subscription failing:")
	b.lacks(remote.tokens["b-analyst"], "cert-secret-token")
	b.accessible("peers")
	if eval[bool](b, "measure the page", `document.documentElement.scrollWidth > window.innerWidth + 1 ||
		[...document.querySelectorAll(".table-wrap")].some(w => w.scrollWidth > w.clientWidth + 1)`) {
		t.Error("the federation page is wider than a 1280 px laptop screen")
	}
	b.screenshot("peers")
	b.click(`.failing-summary a`)
	b.waitFor("connection refused")
	if !eval[bool](b, "the failing row", `location.hash.length > 1 && document.querySelector(location.hash).textContent.includes("failing")`) {
		t.Error("the summary's link does not lead to the failing subscription")
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
		t.Fatal(err)
	}
	b.accessible("peers (dark)")
}
