package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/isachub/isachub/internal/pgtest"
)

// TestReplicaKilled: two serve processes on one PostgreSQL; one is killed
// with SIGKILL while a publisher sends it envelopes. The other goes on
// serving, holds every object the killed one acknowledged, and takes new
// ones. Skipped under -short (it builds the binary).
func TestReplicaKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; runs in the full pass")
	}
	dsn := pgtest.Schema(t, "./cmd/isachub/", "isachub_kill_test_")
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	admin := adminOn(t, dsn, nil)
	admin("", "migrate")
	admin("", "admin", "community", "add", "--community", "kill-isac", "--title", "Kill ISAC")
	admin("", "admin", "org", "add", "--community", "kill-isac", "--org", "member", "--name", "Member")
	admin("a-long-enough-password\n", "admin", "user", "add", "--org", "kill-isac/member", "--username", "loader", "--role", "analyst")
	token := admin("", "admin", "token", "add", "--username", "loader")
	coll := admin("", "admin", "collection", "add", "--community", "kill-isac", "--title", "Feed", "--alias", "feed", "--readers", "all", "--writers", "all")

	victim, victimURL, _ := startChild(t, bin, dsn, "--rate-per-caller", "0")
	_, survivorURL, _ := startChild(t, bin, dsn)
	objects := "/kill-isac/collections/" + coll + "/objects/"
	post := func(base string, body []byte) (int, error) {
		r, _ := http.NewRequest(http.MethodPost, base+objects, bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/taxii+json;version=2.1")
		r.Header.Set("Accept", "application/taxii+json;version=2.1")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	const per = 200
	acked := 0
	killed := make(chan struct{})
	go func() {
		time.Sleep(700 * time.Millisecond)
		victim.Process.Signal(syscall.SIGKILL)
		close(killed)
	}()
	for n := 0; ; n += per {
		status, err := post(victimURL, benchEnvelopes(n, n+per)[0])
		if err != nil {
			break // the victim died mid-request: this envelope was never acknowledged
		}
		if status != http.StatusAccepted {
			t.Fatalf("POST = %d", status)
		}
		acked = n + per
	}
	<-killed
	if acked == 0 {
		t.Fatal("no envelope was acknowledged before the kill: the test proves nothing")
	}
	if resp, err := http.Get(survivorURL + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the survivor is not ready after the kill: %v", err)
	}
	// Every acknowledged object is on the survivor.
	have := map[string]bool{}
	next := ""
	for {
		u := survivorURL + objects + "?limit=1000"
		if next != "" {
			u += "&next=" + url.QueryEscape(next)
		}
		var page struct {
			More    bool   `json:"more"`
			Next    string `json:"next"`
			Objects []struct {
				ID string `json:"id"`
			} `json:"objects"`
		}
		getJSONToken(t, u, token, &page)
		for _, o := range page.Objects {
			have[o.ID] = true
		}
		if !page.More {
			break
		}
		next = page.Next
	}
	for i := range acked {
		id := benchIndicator(i)[len(`{"type":"indicator","spec_version":"2.1","id":"`):]
		id = id[:strings.IndexByte(id, '"')]
		if !have[id] {
			t.Fatalf("object %d (%s), acknowledged by the killed replica, is not on the survivor (%d acknowledged, %d there)", i, id, acked, len(have))
		}
	}
	t.Logf("%d objects acknowledged before SIGKILL, all on the survivor (%d there)", acked, len(have))
	if status, err := post(survivorURL, benchEnvelopes(10_000_000, 10_000_000+per)[0]); err != nil || status != http.StatusAccepted {
		t.Fatalf("POST to the survivor = %d %v", status, err)
	}
}

// getJSONToken reads a TAXII resource with a bearer token into v.
func getJSONToken(t *testing.T, u, token string, v any) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, u, nil)
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Accept", "application/taxii+json;version=2.1")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
