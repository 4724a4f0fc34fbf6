package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// feedHub is a hub with indicators of several kinds in two collections
// and feeds over them.
type feedHub struct {
	*hub
	soc   *isachub.Feed // org a's SOC feed
	all   *isachub.Feed // the staff organisation's feed, for every member
	staff *isachub.Org
}

// feedObject returns an indicator of org a's material: n its number,
// extra properties appended.
func feedObject(n int, pattern, extra string) string {
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Feed indicator %d","pattern":%q,"pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"%s}`,
		indicatorID(n), n, pattern, extra)
}

// marked is the object_marking_refs property of a TLP level.
func marked(l stix.TLP) string {
	return fmt.Sprintf(`,"object_marking_refs":[%q]`, stix.TLPMarkingID(l))
}

func newFeedHub(t *testing.T, newHub func(testing.TB, server.Config) *hub) *feedHub {
	t.Helper()
	ctx := context.Background()
	h := &feedHub{hub: newHub(t, server.Config{})}
	h.post(t, "a-analyst", "open", envelope(
		feedObject(1, "[ipv4-addr:value = '203.0.113.1']", ""),
		feedObject(2, "[domain-name:value = 'bad.example']", `,"labels":["phishing"],"confidence":80`),
		feedObject(3, "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", `,"revoked":true`),
		feedObject(4, "[ipv4-addr:value = '203.0.113.4']", `,"valid_until":"2026-02-01T00:00:00Z"`),
		`{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000001","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Feedworm","is_family":true}`,
		feedObject(5, "[ipv4-addr:value = '203.0.113.5'] AND [domain-name:value = 'x.example']", marked(stix.TLPClear)),
	))
	h.post(t, "a-analyst", "restricted", envelope(
		feedObject(6, "[url:value = 'http://bad.example/login']", marked(stix.TLPAmberStrict)),
		feedObject(7, "[ipv4-addr:value = '203.0.113.7']", marked(stix.TLPRed)),
	))
	h.staff = mustOrg(t, h.store, h.comm, "isac")
	h.staff.Staff = true
	if err := h.store.UpdateOrg(ctx, h.staff); err != nil {
		t.Fatal(err)
	}
	h.soc = &isachub.Feed{CommunityID: h.comm.ID, OrgID: h.orgs["a"].ID, Title: "A SOC", Preset: "soc", Filter: isachub.FeedPresets["soc"]}
	h.all = &isachub.Feed{CommunityID: h.comm.ID, OrgID: h.staff.ID, Title: "Everything", Filter: isachub.FeedFilter{TLPCeiling: "red"}}
	for _, fd := range []*isachub.Feed{h.soc, h.all} {
		if err := h.store.CreateFeed(ctx, fd); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func (h *feedHub) feedURL(fd *isachub.Feed, rest string) string {
	return root + "collections/" + fd.ID + "/" + rest
}

// feedIDs reads the whole feed as user, a page of limit at a time, as a
// TAXII client does, and returns the ids in order.
func (h *feedHub) feedIDs(t *testing.T, user string, fd *isachub.Feed, limit int, query string) []string {
	t.Helper()
	var ids []string
	next := ""
	for range 100 {
		q, _ := url.ParseQuery(query)
		q.Set("limit", fmt.Sprint(limit))
		if next != "" {
			q.Set("next", next)
		}
		var env taxii.Envelope
		h.do(t, req{path: h.feedURL(fd, "objects/?"+q.Encode()), user: user}).want(t, http.StatusOK, &env)
		for _, o := range env.Objects {
			var v struct{ ID string }
			json.Unmarshal(o, &v)
			ids = append(ids, v.ID)
		}
		if !env.More {
			return ids
		}
		next = env.Next
	}
	t.Fatal("the feed never ended")
	return nil
}

func TestFeedCollection(t *testing.T) { forBackends(t, testFeedCollection) }

func testFeedCollection(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newFeedHub(t, newHub)
	// The SOC preset: active indicators (not revoked, not expired), up to
	// AMBER+STRICT, from both collections a reads, in date_added order.
	wantSOC := []string{indicatorID(1), indicatorID(2), indicatorID(5), indicatorID(6)}
	t.Run("OKPaging", func(t *testing.T) {
		for _, limit := range []int{1, 2, 3, 100} {
			if got := h.feedIDs(t, "a-analyst", h.soc, limit, ""); !slices.Equal(got, wantSOC) {
				t.Errorf("limit %d: %v, want %v", limit, got, wantSOC)
			}
		}
	})
	t.Run("OKAddedAfter", func(t *testing.T) {
		var env taxii.Envelope
		res := h.do(t, req{path: h.feedURL(h.soc, "objects/?limit=1"), user: "a-analyst"}).want(t, http.StatusOK, &env)
		first := res.header.Get("X-TAXII-Date-Added-First")
		got := h.feedIDs(t, "a-analyst", h.soc, 2, "added_after="+first)
		if !slices.Equal(got, wantSOC[1:]) {
			t.Errorf("added_after %s: %v, want %v", first, got, wantSOC[1:])
		}
	})
	t.Run("OKManifestAndObject", func(t *testing.T) {
		var m taxii.Manifest
		h.do(t, req{path: h.feedURL(h.soc, "manifest/"), user: "a-analyst"}).want(t, http.StatusOK, &m)
		if len(m.Objects) != len(wantSOC) {
			t.Errorf("manifest: %d records, want %d", len(m.Objects), len(wantSOC))
		}
		h.do(t, req{path: h.feedURL(h.soc, "objects/"+indicatorID(2)+"/"), user: "a-analyst"}).want(t, http.StatusOK, nil)
		h.do(t, req{path: h.feedURL(h.soc, "objects/"+indicatorID(3)+"/"), user: "a-analyst"}).wantError(t, http.StatusNotFound)
	})
	t.Run("OKListed", func(t *testing.T) {
		var cs taxii.Collections
		h.do(t, req{path: root + "collections/", user: "a-analyst"}).want(t, http.StatusOK, &cs)
		found := 0
		for _, c := range cs.Collections {
			if c.ID == h.soc.ID || c.ID == h.all.ID {
				found++
				if !c.CanRead || c.CanWrite {
					t.Errorf("feed %s: can_read %v can_write %v", c.ID, c.CanRead, c.CanWrite)
				}
			}
		}
		if found != 2 {
			t.Errorf("a sees %d of its 2 feeds in the collections", found)
		}
	})
	t.Run("OKEveryMemberReadsTheStaffFeed", func(t *testing.T) {
		// b reads open and restricted, and sees the CLEAR, GREEN and
		// AMBER of both, and the RED of restricted (a collection of named
		// readers); the revoked and malware objects too (no preset).
		got := h.feedIDs(t, "b-analyst", h.all, 2, "")
		want := []string{indicatorID(1), indicatorID(2), indicatorID(3), indicatorID(4), "malware--00000000-0000-4000-8000-000000000001", indicatorID(5), indicatorID(6), indicatorID(7)}
		if !slices.Equal(got, want) {
			t.Errorf("b: %v, want %v", got, want)
		}
		// c reads only open.
		got = h.feedIDs(t, "c-analyst", h.all, 3, "match[type]=indicator")
		if want := []string{indicatorID(1), indicatorID(2), indicatorID(3), indicatorID(4), indicatorID(5)}; !slices.Equal(got, want) {
			t.Errorf("c: %v, want %v", got, want)
		}
	})
	t.Run("ErrOtherOrgsFeedIsNotThere", func(t *testing.T) {
		for _, user := range []string{"b-analyst", "x-analyst"} {
			e := h.do(t, req{path: h.feedURL(h.soc, "objects/"), user: user}).wantError(t, http.StatusNotFound)
			f := h.do(t, req{path: root + "collections/00000000-0000-4000-8000-00000000dead/objects/", user: user}).wantError(t, http.StatusNotFound)
			if user == "b-analyst" && strings.ReplaceAll(e.Description, h.soc.ID, "X") != strings.ReplaceAll(f.Description, "00000000-0000-4000-8000-00000000dead", "X") {
				t.Errorf("%s: %q, unlike a missing collection's %q", user, e.Description, f.Description)
			}
		}
	})
	t.Run("ErrReadOnly", func(t *testing.T) {
		h.do(t, req{method: http.MethodPost, path: h.feedURL(h.soc, "objects/"), user: "a-analyst", body: indicators(50, 1)}).wantError(t, http.StatusForbidden)
		h.do(t, req{method: http.MethodDelete, path: h.feedURL(h.soc, "objects/"+indicatorID(1)+"/"), user: "a-analyst"}).wantError(t, http.StatusForbidden)
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		h.do(t, req{path: h.feedURL(h.soc, "objects/?next=bm90IGEgY3Vyc29y"), user: "a-analyst"}).wantError(t, http.StatusBadRequest)
	})
}
