package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/server"
)

func (h *feedHub) exportURL(fd *isachub.Feed, query string) string {
	return root + "feeds/" + fd.ID + "/export?" + query
}

func TestFeedExport(t *testing.T) { forBackends(t, testFeedExport) }

func testFeedExport(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newFeedHub(t, newHub)
	get := func(t *testing.T, user, query string, header http.Header) *response {
		t.Helper()
		return h.do(t, req{path: h.exportURL(h.soc, query), user: user, accept: "*/*", header: header})
	}
	t.Run("OKCSV", func(t *testing.T) {
		res := get(t, "a-analyst", "format=csv", nil)
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%d %s: %s", res.status, res.header.Get("Content-Type"), clipBody(res.body))
		}
		rows, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], export.CSVHeader) {
			t.Errorf("header %v", rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[0]+" "+r[1]+" "+r[4])
		}
		want := []string{"203.0.113.1 ipv4 amber", "bad.example domain amber", "203.0.113.5 ipv4 clear", "x.example domain clear", "http://bad.example/login url amber+strict"}
		if !slices.Equal(got, want) {
			t.Errorf("rows %q, want %q", got, want)
		}
	})
	t.Run("OKTXT", func(t *testing.T) {
		res := get(t, "a-analyst", "format=txt&kind=ipv4", http.Header{"Accept": {"text/plain"}})
		if res.status != http.StatusOK || string(res.body) != "203.0.113.1\n203.0.113.5\n" {
			t.Errorf("%d %q", res.status, res.body)
		}
	})
	t.Run("OKRules", func(t *testing.T) {
		for _, format := range []string{"suricata", "snort"} {
			res := get(t, "a-analyst", "format="+format, nil)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d %s", format, res.status, res.body)
			}
			body := string(res.body)
			// Indicator 5 is an AND of two observations: no rule can
			// say it, so it is reported.
			if !strings.Contains(body, "# not translated: "+indicatorID(5)+": ") {
				t.Errorf("%s: indicator 5 not reported:\n%s", format, body)
			}
			if !strings.Contains(body, "metadata:stix_id "+indicatorID(1)+", tlp amber;") || !strings.Contains(body, "sid:3000000000;") {
				t.Errorf("%s: no rule of indicator 1 with its sid:\n%s", format, body)
			}
			again := get(t, "a-analyst", "format="+format, nil)
			if !bytes.Equal(again.body, res.body) {
				t.Errorf("%s: a second export differs: sids are not stable", format)
			}
		}
	})
	t.Run("OKSTIXBundle", func(t *testing.T) {
		res := get(t, "a-analyst", "format=stix", nil)
		var b struct {
			Type    string
			Objects []json.RawMessage
		}
		if err := json.Unmarshal(res.body, &b); err != nil || b.Type != "bundle" || len(b.Objects) != 4 {
			t.Fatalf("%d %v: %s", res.status, err, clipBody(res.body))
		}
		var stored []string
		p, err := h.store.Objects(context.Background(), h.colls["open"].ID, isachub.Unrestricted(), isachub.ObjectFilter{IDs: []string{indicatorID(2)}})
		if err != nil || len(p.Objects) != 1 {
			t.Fatal(err)
		}
		stored = append(stored, string(p.Objects[0].Raw))
		if string(b.Objects[1]) != stored[0] {
			t.Errorf("the bundle changes the bytes:\n%s\nversus\n%s", b.Objects[1], stored[0])
		}
	})
	t.Run("OKETag", func(t *testing.T) {
		res := get(t, "a-analyst", "format=csv", nil)
		etag := res.header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if again := get(t, "a-analyst", "format=csv", http.Header{"If-None-Match": {etag}}); again.status != http.StatusNotModified || len(again.body) != 0 {
			t.Errorf("If-None-Match: %d %q", again.status, again.body)
		}
		if other := get(t, "a-analyst", "format=txt&kind=ipv4", http.Header{"If-None-Match": {etag}}); other.status != http.StatusOK {
			t.Errorf("another format: %d", other.status)
		}
		h.post(t, "a-analyst", "open", envelope(feedObject(8, "[ipv4-addr:value = '203.0.113.8']", "")))
		if after := get(t, "a-analyst", "format=csv", http.Header{"If-None-Match": {etag}}); after.status != http.StatusOK || !bytes.Contains(after.body, []byte("203.0.113.8")) {
			t.Errorf("after a new indicator: %d", after.status)
		}
	})
	t.Run("OKSince", func(t *testing.T) {
		res := h.do(t, req{path: h.feedURL(h.soc, "objects/?limit=1"), user: "a-analyst"})
		first := res.header.Get("X-TAXII-Date-Added-First")
		since := get(t, "a-analyst", "format=txt&kind=ipv4&since="+first, nil)
		if since.status != http.StatusOK || bytes.Contains(since.body, []byte("203.0.113.1\n")) || !bytes.Contains(since.body, []byte("203.0.113.5\n")) {
			t.Errorf("since %s: %d %q", first, since.status, since.body)
		}
	})
	t.Run("OKReport", func(t *testing.T) {
		res := get(t, "a-analyst", "format=suricata&report=true", nil)
		var rep struct {
			Skipped     []struct{ ID, Reason string }
			Exported    int
			NotExported int `json:"not_exported"`
		}
		if err := json.Unmarshal(res.body, &rep); err != nil || rep.NotExported != 1 || rep.Skipped[0].ID != indicatorID(5) || rep.Exported < 3 {
			t.Errorf("%v %+v: %s", err, rep, res.body)
		}
	})
	t.Run("ErrBadRequests", func(t *testing.T) {
		for _, q := range []string{"", "format=xml", "format=txt", "format=txt&kind=ssdeep", "format=csv&kind=ipv4", "format=csv&since=yesterday", "format=csv&report=maybe"} {
			if res := get(t, "a-analyst", q, nil); res.status != http.StatusBadRequest {
				t.Errorf("%q: %d", q, res.status)
			}
		}
	})
	t.Run("ErrNotReadable", func(t *testing.T) {
		for _, user := range []string{"b-analyst", "x-analyst", ""} {
			if res := get(t, user, "format=csv", nil); res.status != http.StatusNotFound && !(user == "" && res.status == http.StatusUnauthorized) {
				t.Errorf("%q: %d", user, res.status)
			}
		}
	})
}

// TestFeedToken: a token bound to a feed, for use outside the community,
// reads that feed's TLP:CLEAR objects and nothing else.
func TestFeedToken(t *testing.T) { forBackends(t, testFeedToken) }

func testFeedToken(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newFeedHub(t, newHub)
	ctx := context.Background()
	u, err := h.store.User(ctx, "operator")
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, err := server.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.CreateToken(ctx, &isachub.Token{UserID: u.ID, Name: "partner", Hash: hash, FeedID: h.all.ID}); err != nil {
		t.Fatal(err)
	}
	h.tokens["partner"] = secret
	if got := h.feedIDs(t, "partner", h.all, 1, ""); !slices.Equal(got, []string{indicatorID(5)}) {
		t.Errorf("the feed token reads %v, want only the CLEAR indicator 5", got)
	}
	res := h.do(t, req{path: h.exportURL(h.all, "format=stix"), user: "partner", accept: "*/*"})
	if res.status != http.StatusOK || bytes.Contains(res.body, []byte(indicatorID(1))) || !bytes.Contains(res.body, []byte(indicatorID(5))) {
		t.Errorf("export: %d %s", res.status, clipBody(res.body))
	}
	var cs struct{ Collections []struct{ ID string } }
	h.do(t, req{path: root + "collections/", user: "partner"}).want(t, http.StatusOK, &cs)
	if len(cs.Collections) != 1 || cs.Collections[0].ID != h.all.ID {
		t.Errorf("the feed token lists %+v", cs.Collections)
	}
	for _, r := range []req{
		{path: h.objectsURL("open")},
		{path: h.feedURL(h.soc, "objects/")},
		{path: h.exportURL(h.soc, "format=csv"), accept: "*/*"},
		{method: http.MethodPost, path: h.objectsURL("open"), body: indicators(60, 1)},
		{path: root + "identity/"},
		{path: "/other-isac/collections/"},
	} {
		r.user = "partner"
		if res := h.do(t, r); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
			t.Errorf("%s %s: %d", r.method, r.path, res.status)
		}
	}
}

// TestFeedWarninglists: a feed in drop mode leaves known false positives
// out of its blocklists and the indicators naming one out of its rules;
// in flag mode it keeps them and says so.
func TestFeedWarninglists(t *testing.T) {
	h := newFeedHub(t, newHub)
	h.post(t, "a-analyst", "open", envelope(
		feedObject(30, "[ipv4-addr:value = '185.220.101.1']", ""),
		feedObject(31, "[ipv4-addr:value = '8.8.8.8']", ""),
		feedObject(32, "[ipv4-addr:value = '10.1.2.3'] OR [ipv4-addr:value = '45.77.1.2']", ""),
	))
	feeds := map[string]*isachub.Feed{}
	for _, mode := range []string{"drop", "flag"} {
		fd := &isachub.Feed{CommunityID: h.comm.ID, OrgID: h.orgs["a"].ID, Title: mode,
			Filter: isachub.FeedFilter{Collections: []string{h.colls["open"].ID}, Types: []string{"indicator"}, Warninglists: mode}}
		if err := h.store.CreateFeed(context.Background(), fd); err != nil {
			t.Fatal(err)
		}
		feeds[mode] = fd
	}
	get := func(t *testing.T, mode, query string) string {
		t.Helper()
		res := h.do(t, req{path: h.exportURL(feeds[mode], query), user: "a-analyst", accept: "*/*"})
		if res.status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", mode, query, res.status, res.body)
		}
		return string(res.body)
	}
	t.Run("OKDropTXT", func(t *testing.T) {
		// 203.0.113.x are documentation addresses (RFC 5737), 8.8.8.8 a
		// public resolver, 10.1.2.3 private: only two values are left.
		if got := get(t, "drop", "format=txt&kind=ipv4"); got != "185.220.101.1\n45.77.1.2\n" {
			t.Errorf("drop: %q", got)
		}
	})
	t.Run("OKDropRules", func(t *testing.T) {
		got := get(t, "drop", "format=suricata")
		if !strings.Contains(got, "stix_id "+indicatorID(30)) || strings.Contains(got, "stix_id "+indicatorID(31)) || strings.Contains(got, "stix_id "+indicatorID(32)) {
			t.Errorf("drop rules:\n%s", got)
		}
		if !strings.Contains(got, "# not translated: "+indicatorID(31)+": ipv4 8.8.8.8 is on the warninglist google-public-dns") {
			t.Errorf("the dropped indicator is not reported:\n%s", got)
		}
	})
	t.Run("OKFlag", func(t *testing.T) {
		if got := get(t, "flag", "format=txt&kind=ipv4"); !strings.Contains(got, "8.8.8.8\n") || !strings.Contains(got, "10.1.2.3\n") {
			t.Errorf("flag keeps the values: %q", got)
		}
		if got := get(t, "flag", "format=snort"); !strings.Contains(got, "stix_id "+indicatorID(31)) || !strings.Contains(got, "# warninglist: "+indicatorID(31)+": ") {
			t.Errorf("flag rules:\n%s", got)
		}
		var rep struct {
			Skipped []struct {
				ID, Reason string
				Flagged    bool
			}
		}
		if err := json.Unmarshal([]byte(get(t, "flag", "format=csv&report=true")), &rep); err != nil {
			t.Fatal(err)
		}
		flagged := 0
		for _, s := range rep.Skipped {
			if s.Flagged {
				flagged++
			}
		}
		if flagged < 3 { // 8.8.8.8, 10.1.2.3 and the documentation addresses
			t.Errorf("report %+v", rep.Skipped)
		}
	})
}
