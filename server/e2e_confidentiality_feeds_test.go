package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
)

// The adversarial suite extended to feeds (issue 10): S's own feed and a
// feed of the ISAC's staff for every member, both with no filter and no
// TLP ceiling, read as TAXII collections and exported in every format by
// every attacker, must show exactly what each may see elsewhere; and a
// feed token made by S for use outside the community must read the
// staff feed's TLP:CLEAR and nothing else.

// exportQueries are the export requests every attacker makes of a feed.
var exportQueries = []string{"format=csv", "format=txt&kind=domain", "format=suricata", "format=snort", "format=stix",
	"format=stix&since=2000-01-01T00:00:00Z", "format=suricata&report=true"}

// addFeeds makes the suite's feeds, and S's feed token.
func (h *confidential) addFeeds(t *testing.T) {
	ctx := context.Background()
	staff := mustOrg(t, h.store, h.comm, "isac-ops")
	staff.Staff = true
	if err := h.store.UpdateOrg(ctx, staff); err != nil {
		t.Fatal(err)
	}
	h.feeds = map[string]*isachub.Feed{
		"own":   {CommunityID: h.comm.ID, OrgID: h.org.ID, Title: "Sable own feed", Filter: isachub.FeedFilter{TLPCeiling: "red"}},
		"staff": {CommunityID: h.comm.ID, OrgID: staff.ID, Title: "Every member", Filter: isachub.FeedFilter{TLPCeiling: "red"}},
	}
	for _, fd := range h.feeds {
		if err := h.store.CreateFeed(ctx, fd); err != nil {
			t.Fatal(err)
		}
	}
	u, err := h.store.User(ctx, "s-analyst")
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, err := server.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.CreateToken(ctx, &isachub.Token{UserID: u.ID, Name: "partner", Hash: hash, FeedID: h.feeds["staff"].ID}); err != nil {
		t.Fatal(err)
	}
	h.tokens["s-partner"] = secret
}

// attackFeeds reads both feeds every way.
func (h *confidential) attackFeeds(t *testing.T, a attacker, words []string, fakes map[string]string) {
	for _, fd := range h.feeds {
		base := root + "collections/" + fd.ID + "/"
		h.probe(t, a, words, fakes, req{path: base})
		for _, ep := range []string{"objects/", "manifest/"} {
			for _, q := range queries {
				h.probe(t, a, words, fakes, req{path: base + ep + q})
			}
			for _, o := range h.objs {
				h.probe(t, a, words, fakes, req{path: base + ep + "?match[id]=" + o.id() + "&match[version]=all"})
			}
			// A feed without a filter holds every version the
			// attacker sees, of every collection.
			h.pageByOneWant(t, a, words, fakes, base+ep, func(*secretObject) bool { return true })
		}
		for _, o := range h.objs {
			h.probe(t, a, words, fakes, req{path: base + "objects/" + o.id() + "/"})
			h.probe(t, a, words, fakes, req{path: base + "objects/" + o.id() + "/versions/"})
		}
		for _, q := range exportQueries {
			h.probe(t, a, words, fakes, req{path: root + "feeds/" + fd.ID + "/export?" + q, accept: "*/*"})
		}
	}
}

// attackWithFeedToken runs the attacks with S's feed token: the staff
// feed yields its TLP:CLEAR versions (S's rights, narrowed to what may
// leave the community); every other path is closed.
func (h *confidential) attackWithFeedToken(t *testing.T) {
	a := attacker{user: "s-partner", sees: func(o *secretObject) bool { return o.tlp == stix.TLPClear }}
	words, fakes := h.secrets(a)
	h.attackFeeds(t, a, words, fakes)
	h.attackStream(t, a, words)
	h.attackWebhooks(t, a, words, fakes)
	for _, p := range []string{"/taxii2/", root, "/other-isac/", root + "collections/"} {
		h.probe(t, a, words, fakes, req{path: p})
	}
	for _, coll := range h.colls {
		for _, ep := range []string{"", "objects/", "manifest/"} {
			if res := h.probe(t, a, words, fakes, req{path: root + "collections/" + coll.ID + "/" + ep}); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
				t.Errorf("the feed token reads collection %s: %d", coll.Alias, res.status)
			}
		}
	}
	for _, id := range h.statuses {
		h.probe(t, a, words, fakes, req{path: root + "status/" + id + "/"})
	}
	staff := h.feeds["staff"]
	res := h.do(t, req{path: root + "feeds/" + staff.ID + "/export?format=txt&kind=domain", user: a.user, accept: "*/*"})
	if want := "robin.example\nsparrow.example\nosprey.example\npuffin.example\n"; res.status != http.StatusOK || !sameLines(string(res.body), want) {
		t.Errorf("the feed token's blocklist: %d %q, want the CLEAR %q", res.status, res.body, want)
	}
}

// sameLines reports whether a and b hold the same lines, in any order.
func sameLines(a, b string) bool {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// attackSightings asks for the sightings of every object: S's sighting of
// the open object it discusses lies in the group's collection, so no
// attacker may learn that it was sighted at all.
func (h *confidential) attackSightings(t *testing.T, a attacker, words []string, fakes map[string]string) {
	for _, o := range h.objs {
		h.probe(t, a, words, fakes, req{path: root + "objects/" + o.id() + "/sightings/"})
	}
	res := h.probe(t, a, words, fakes, req{path: root + "objects/" + indicatorID(discussionAbout) + "/sightings/"})
	var sum struct{ Sighted bool }
	if res.status == http.StatusOK {
		if err := json.Unmarshal(res.body, &sum); err != nil || sum.Sighted {
			t.Errorf("%s learns that S sighted the open object: %s", a.user, res.body)
		}
	}
}

// attackMatch sends the matching API an event for every domain S's
// indicators name: the hits must be exactly the indicators the attacker
// may see, each as its latest version the attacker sees.
func (h *confidential) attackMatch(t *testing.T, a attacker, words []string, fakes map[string]string) {
	var lines []string
	for _, o := range h.objs {
		lines = append(lines, `{"destination":{"domain":"`+o.name+`.example"}}`)
	}
	res := h.probe(t, a, words, fakes, req{method: http.MethodPost, path: root + "match", contentType: "application/x-ndjson",
		body: []byte(strings.Join(lines, "\n"))})
	if res.status != http.StatusOK {
		return // another community's API root: the probe checked the answer
	}
	var got struct{ Hits []struct{ Event int } }
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	// The latest version an attacker sees of each object.
	latest := map[int]*secretObject{}
	for _, o := range h.objs {
		if a.sees(o) && !o.refused && (latest[o.n] == nil || latest[o.n].minute < o.minute) {
			latest[o.n] = o
		}
	}
	var want, fired []string
	for _, o := range h.objs {
		if latest[o.n] == o {
			want = append(want, o.name)
		}
	}
	for _, hit := range got.Hits {
		fired = append(fired, h.objs[hit.Event-1].name)
	}
	slices.Sort(want)
	slices.Sort(fired)
	if !slices.Equal(fired, want) {
		t.Errorf("%s: the match API fires on %q, want %q", a.user, fired, want)
	}
}

// attackStream reads both feeds' live streams from their beginning (a
// Last-Event-ID at the start of time) for a moment: what comes must hold
// nothing the attacker may not see, and exactly the versions it may.
func (h *confidential) attackStream(t *testing.T, a attacker, words []string) {
	for name, fd := range h.feeds {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		r, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+root+"feeds/"+fd.ID+"/stream", nil)
		r.Header.Set("Authorization", "Bearer "+h.tokens[a.user])
		r.Header.Set("Last-Event-ID", isachub.FeedCursor(time.Time{}))
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body) // until the timeout
		resp.Body.Close()
		cancel()
		for _, w := range words {
			if strings.Contains(string(body), w) {
				t.Errorf("%s's stream of feed %s shows %q", a.user, name, w)
			}
		}
		if resp.StatusCode != http.StatusOK {
			continue
		}
		// One event per object: its latest version the attacker sees
		// (the feed's "last"), and the visible extras.
		shown := map[int]bool{}
		want := 0
		for _, o := range h.objs {
			if a.sees(o) && !o.refused && !shown[o.n] {
				shown[o.n] = true
				want++
			}
		}
		for _, o := range h.extras {
			if a.sees(o) {
				want++
			}
		}
		if got := strings.Count(string(body), "event: object\n"); got != want {
			t.Errorf("%s's stream of feed %s: %d events, want %d", a.user, name, got, want)
		}
	}
}

// skipDistributionShort skips, under -short, the suite's attacks on
// feeds, exports, streams, match and sightings: a few thousand requests
// and timed stream reads that the race detector makes too slow for the
// short pass. The full pass (go test ./..., which CI runs first) runs
// them; the short race pass still runs each path's own end-to-end test.
func skipDistributionShort(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the distribution attacks run in the full pass (go test ./...)")
	}
}
