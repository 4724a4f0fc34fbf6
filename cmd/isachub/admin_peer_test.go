package main

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/taxii"
)

// TestAdminPeer holds the federation commands to issue 14's Contract: peer
// add prints the peer's id, peer subscribe the subscription's, peer sync
// runs them, prints what moved and exits 0; list shows their state; the
// credential is never printed; without a federation key nothing is made.
func TestAdminPeer(t *testing.T) { forBackends(t, testAdminPeer) }

func testAdminPeer(t *testing.T, db testDB) {
	a, b := startHub(t, db), startHub(t, sqliteDB(t))
	env := map[string]string{federation.KeyEnv: base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))}
	admin := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, "", env, append(args, "--db", a.dsn)...)
	}
	// B's collection "shared", as bob of B sees it
	bc, err := taxii.NewClient(b.root("aviation-isac"), taxii.ClientOptions{Auth: taxii.Bearer(b.tokens["bob"])})
	if err != nil {
		t.Fatal(err)
	}
	colls, err := bc.Collections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var remote string
	for _, c := range colls {
		if c.Alias == "shared" {
			remote = c.ID
		}
	}
	secret := b.tokens["bob"]

	if code, _, errOut := runCLI(t, "", nil, "admin", "peer", "add", "--community", "aviation-isac", "--name", "b", "--url", b.root("aviation-isac"), "--token", secret, "--db", a.dsn); code != exitUsage || !strings.Contains(errOut, federation.KeyEnv) {
		t.Fatalf("without a key: exit %d: %s", code, errOut)
	}
	code, out, errOut := admin("admin", "peer", "add", "--community", "aviation-isac", "--name", "Hub B", "--url", b.root("aviation-isac"), "--token", secret)
	if code != exitOK {
		t.Fatalf("peer add: exit %d: %s", code, errOut)
	}
	peer := strings.TrimSpace(out)
	if strings.Contains(out+errOut, secret) {
		t.Error("peer add printed the credential")
	}
	code, out, errOut = admin("admin", "peer", "subscribe", "--peer", peer, "--pull", remote, "--into", "shared")
	if code != exitOK || strings.TrimSpace(out) == "" {
		t.Fatalf("subscribe --pull: exit %d: %s", code, errOut)
	}
	code, _, errOut = admin("admin", "peer", "subscribe", "--peer", peer, "--push", "shared", "--to", remote)
	if code != exitOK {
		t.Fatalf("subscribe --push: exit %d: %s", code, errOut)
	}
	if code, _, _ := admin("admin", "peer", "subscribe", "--peer", peer, "--push", "shared"); code != exitUsage {
		t.Errorf("subscribe --push without --to: exit %d", code)
	}

	b.client(t, "bob", submission(t), nil, "publish", "--url", b.root("aviation-isac"), "--collection", "shared", "-")
	code, out, errOut = admin("admin", "peer", "sync", "--peer", peer)
	if code != exitOK || !strings.Contains(out, "pull\tpeer:"+remote+" -> ") || !strings.Contains(out, "2 moved") {
		t.Fatalf("peer sync: exit %d:\n%s%s", code, out, errOut)
	}
	code, out, errOut = admin("admin", "peer", "list", "--community", "aviation-isac")
	if code != exitOK || !strings.Contains(out, "Hub B") || strings.Contains(out, "never") || strings.Contains(out, secret) {
		t.Fatalf("peer list: exit %d:\n%s%s", code, out, errOut)
	}
	for _, col := range []string{"LAST SUCCESS", "LAG", "LAST ERROR", "MOVED", "REFUSED"} {
		if !strings.Contains(out, col) {
			t.Errorf("peer list has no %s column:\n%s", col, out)
		}
	}
	if code, _, errOut := admin("admin", "peer", "remove", "--peer", peer); code != exitOK {
		t.Fatalf("peer remove: exit %d: %s", code, errOut)
	}
	if code, _, _ := admin("admin", "peer", "sync", "--peer", peer); code == exitOK {
		t.Error("a removed peer synced")
	}
}
