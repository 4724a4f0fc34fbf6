package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/storetest"
	"github.com/isachub/isachub/taxii"
)

func TestConfidentiality(t *testing.T) { forBackends(t, testConfidentiality) }

func testConfidentiality(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newConfidential(t, newHub)
	t.Run("OKEntitledReadersSee", func(t *testing.T) { h.testEntitled(t) })
	t.Run("FeedToken", func(t *testing.T) { skipDistributionShort(t); h.attackWithFeedToken(t) })
	t.Run("OKWebhookOwner", func(t *testing.T) { h.testWebhookOwner(t) })
	peers := h.addPeers(t)
	for _, a := range append(attackers(), peerAttackers(peers)...) {
		t.Run(a.user, func(t *testing.T) {
			words, fakes := h.secrets(a)
			t.Run("Discovery", func(t *testing.T) {
				for _, p := range []string{"/taxii2/", root, "/other-isac/", root + "collections/"} {
					h.probe(t, a, words, fakes, req{path: p})
				}
			})
			for _, alias := range []string{"open", "jewels", "restricted", "drop"} {
				t.Run("Collection-"+alias, func(t *testing.T) { h.attackCollection(t, a, words, fakes, alias) })
			}
			t.Run("Status", func(t *testing.T) {
				for _, id := range h.statuses {
					h.probe(t, a, words, fakes, req{path: root + "status/" + id + "/"})
				}
			})
			t.Run("Search", func(t *testing.T) { h.attackSearch(t, a) })
			t.Run("Feeds", func(t *testing.T) { skipDistributionShort(t); h.attackFeeds(t, a, words, fakes) })
			t.Run("Sightings", func(t *testing.T) { skipDistributionShort(t); h.attackSightings(t, a, words, fakes) })
			t.Run("Match", func(t *testing.T) { skipDistributionShort(t); h.attackMatch(t, a, words, fakes) })
			t.Run("Stream", func(t *testing.T) { skipDistributionShort(t); h.attackStream(t, a, words) })
			t.Run("PostSecretIDs", func(t *testing.T) { h.attackPost(t, a, words, fakes) })
			t.Run("Webhooks", func(t *testing.T) { h.attackWebhooks(t, a, words, fakes) })
		})
	}
	for _, p := range peers {
		t.Run("Push-"+p.peer.Name, func(t *testing.T) { h.attackPush(t, p) })
	}
}

// queries are the filter combinations every listing is read with.
var queries = []string{"", "?match[version]=all", "?match[version]=first", "?match[version]=last",
	"?match[version]=first,last", "?match[type]=indicator", "?match[type]=indicator,malware",
	"?match[spec_version]=2.1", "?match[version]=all&match[spec_version]=2.0,2.1",
	"?added_after=2000-01-01T00:00:00Z", "?match[version]=2026-04-01T00:05:00.000Z",
	"?match[version]=2026-04-01T00:17:00.000Z,2026-04-01T00:01:00.000Z"}

// attackCollection tries every read path of one collection.
func (h *confidential) attackCollection(t *testing.T, a attacker, words []string, fakes map[string]string, alias string) {
	base := root + "collections/" + h.colls[alias].ID + "/"
	h.probe(t, a, words, fakes, req{path: base})
	for _, ep := range []string{"objects/", "manifest/"} {
		for _, q := range queries {
			h.probe(t, a, words, fakes, req{path: base + ep + q})
		}
		for _, o := range h.objs {
			h.probe(t, a, words, fakes, req{path: base + ep + "?match[id]=" + o.id()})
			h.probe(t, a, words, fakes, req{path: base + ep + "?match[id]=" + o.id() + "&match[version]=all"})
		}
		h.pageByOne(t, a, words, fakes, base+ep)
	}
	for _, o := range h.objs {
		obj := base + "objects/" + o.id() + "/"
		for _, q := range []string{"", "?match[version]=all", "?match[version]=first", "?match[spec_version]=2.1"} {
			h.probe(t, a, words, fakes, req{path: obj + q})
			h.probe(t, a, words, fakes, req{path: obj + "versions/" + q})
		}
		if _, secret := fakes[o.id()]; secret {
			// Deleting (as a writer) must answer as for an unknown id.
			h.probe(t, a, words, fakes, req{method: http.MethodDelete, path: obj})
			h.probe(t, a, words, fakes, req{method: http.MethodDelete, path: obj + "?match[version]=all"})
		}
	}
}

// pageByOne pages through a collection's listing one record at a time:
// more and next must count only what the attacker sees of it.
func (h *confidential) pageByOne(t *testing.T, a attacker, words []string, fakes map[string]string, listing string) {
	t.Helper()
	h.pageByOneWant(t, a, words, fakes, listing, func(o *secretObject) bool {
		return listing == root+"collections/"+h.colls[o.alias].ID+"/"+lastSegment(listing)
	})
}

// pageByOneWant pages through a listing one record at a time and checks
// that it holds exactly the versions the attacker sees among those in
// says the listing holds.
func (h *confidential) pageByOneWant(t *testing.T, a attacker, words []string, fakes map[string]string, listing string, in func(*secretObject) bool) {
	t.Helper()
	next := ""
	pages := 0
	seen := 0
	for range 100 {
		q := url.Values{"limit": {"1"}, "match[version]": {"all"}}
		if next != "" {
			q.Set("next", next)
		}
		res := h.probe(t, a, words, fakes, req{path: listing + "?" + q.Encode()})
		if res.status != http.StatusOK {
			return // not readable: the probe checked the error
		}
		pages++
		var page struct {
			More    bool
			Next    string
			Objects []json.RawMessage
		}
		if err := json.Unmarshal(res.body, &page); err != nil {
			t.Fatal(err)
		}
		seen += len(page.Objects)
		if !page.More {
			break
		}
		next = page.Next
	}
	want := 0
	for _, o := range append(slices.Clip(h.objs), h.extras...) {
		if a.sees(o) && !o.refused && in(o) {
			want++
		}
	}
	if seen != want || pages != max(1, want) {
		t.Errorf("%s by one: %d records in %d pages, want %d", listing, seen, pages, want)
	}
}

// lastSegment returns "objects/" or "manifest/" of a listing path.
func lastSegment(p string) string {
	if len(p) >= len("manifest/") && p[len(p)-len("manifest/"):] == "manifest/" {
		return "manifest/"
	}
	return "objects/"
}

// attackSearch runs the full-text search path (store search, then the
// policy) as the attacker for every word S used.
func (h *confidential) attackSearch(t *testing.T, a attacker) {
	ctx := context.Background()
	u, err := h.store.User(ctx, a.user)
	if err != nil {
		t.Fatal(err)
	}
	org, err := h.store.OrgByID(ctx, u.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	peer, err := isachub.PeerOf(ctx, h.store, org)
	if err != nil {
		t.Fatal(err)
	}
	r := isachub.Reader{OrgID: org.ID, CommunityID: org.CommunityID, Role: u.Role, HubOperator: u.HubAdmin, Peer: peer}
	scope := map[string]isachub.Visibility{}
	for _, c := range h.colls {
		scope[c.ID] = r.Visibility(c)
	}
	for _, o := range h.objs {
		found, err := storetest.Searched(h.store.SearchObjects(ctx, scope, isachub.SearchQuery{Text: o.name, Limit: 100}))
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, v := range found {
			for _, s := range h.objs {
				if s.id() == v.ID && s.modified() == v.Modified {
					got = got || s == o
					if !a.sees(s) {
						t.Errorf("search %q finds %s (%s)", o.name, s.key, v.ID)
					}
				}
			}
		}
		// What the attacker may see is found, when it is its object's
		// latest version (search reads latest versions only).
		if a.sees(o) && !o.refused && h.latest(o) && !got {
			t.Errorf("search %q does not find %s, which %s may see", o.name, o.key, a.user)
		}
	}
}

// latest reports whether o is the latest version of its id.
func (h *confidential) latest(o *secretObject) bool {
	for _, s := range h.objs {
		if s.n == o.n && s.minute > o.minute {
			return false
		}
	}
	return true
}

// testEntitled is the positive control: the rules do not hide what readers
// are entitled to, so that the attacks above fail for the right reason.
func (h *confidential) testEntitled(t *testing.T) {
	byKey := map[string]*secretObject{}
	for _, o := range h.objs {
		byKey[o.key] = o
	}
	for _, tc := range []struct {
		user, alias, query string
		want               []string // keys, in date_added order
	}{
		{"s-analyst", "jewels", "", []string{"g-red", "g-strict", "g-clear", "g-v2-red", "g-unmarked"}},
		{"a-analyst", "jewels", "?match[version]=all", []string{"g-red", "g-strict", "g-clear", "g-v1-clear", "g-v2-red", "g-unmarked"}},
		{"op-x", "jewels", "", []string{"g-clear", "g-v1-clear"}},
		{"op-x", "open", "", []string{"o-clear", "o-v2-clear"}},
		{"op-x", "open", "?match[version]=first", []string{"o-clear", "o-v2-clear"}},
		{"op-c", "open", "", []string{"o-clear", "o-green", "o-amber", "o-strict", "o-unmarked", "o-v2-clear"}},
		{"op-c", "jewels", "?match[version]=first", []string{"g-clear", "g-v1-clear"}},
		{"b-analyst", "open", "?match[version]=first", []string{"o-clear", "o-green", "o-amber", "o-strict", "o-unmarked", "o-v1-amber"}},
	} {
		var env struct{ Objects []json.RawMessage }
		h.do(t, req{path: h.objectsURL(tc.alias) + tc.query, user: tc.user}).want(t, http.StatusOK, &env)
		var got []string
		for _, raw := range env.Objects {
			var o struct{ ID, Modified string }
			json.Unmarshal(raw, &o)
			for _, s := range h.objs {
				if s.id() == o.ID && s.modified() == o.Modified {
					got = append(got, s.key)
				}
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s reads %s%s: %v, want %v", tc.user, tc.alias, tc.query, got, tc.want)
		}
	}
	var vs taxii.Versions
	h.do(t, req{path: h.objectsURL("jewels") + byKey["g-v1-clear"].id() + "/versions/", user: "op-x"}).want(t, http.StatusOK, &vs)
	if !slices.Equal(vs.Versions, []string{byKey["g-v1-clear"].modified()}) {
		t.Errorf("op-x versions of the CLEAR-then-RED object: %v", vs.Versions)
	}
}

// attackPost adds versions of S's secret ids to their collections (the
// operators may write everywhere): the conflict must not say more than that
// the object cannot be added.
func (h *confidential) attackPost(t *testing.T, a attacker, words []string, fakes map[string]string) {
	for _, o := range h.objs {
		if _, secret := fakes[o.id()]; !secret || o.refused {
			continue
		}
		mine := *o
		mine.minute, mine.name = 59, "mine"
		res := h.do(t, req{method: http.MethodPost, path: h.objectsURL(o.alias), user: a.user, body: envelope(mine.json())})
		if res.status == http.StatusAccepted {
			var st taxii.Status
			res.want(t, http.StatusAccepted, &st)
			if st.SuccessCount != 0 || st.FailureCount != 1 || st.Failures[0].Message != "This object cannot be added to this collection by your organisation." {
				t.Errorf("POST of %s: status %+v", o.key, st)
			}
		}
		raw := replaceAll(rawBytes(res), fakes)
		for _, w := range words {
			if strings.Contains(raw, w) {
				t.Errorf("POST of %s reveals %q:\n%s", o.key, w, clipBody([]byte(raw)))
			}
		}
	}
}
