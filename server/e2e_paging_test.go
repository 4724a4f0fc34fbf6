package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// TestPaging pages through 10,000 objects, once with next and once with
// added_after taken from X-TAXII-Date-Added-Last, and checks that every
// object is seen exactly once and in date_added order.
func TestPaging(t *testing.T) { forBackends(t, testPaging) }

func testPaging(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	if testing.Short() {
		t.Skip("adds 10,000 objects; skipped in -short mode")
	}
	const total = 10000
	h := newHub(t, server.Config{})
	for i := 0; i < total; i += 1000 {
		st := h.post(t, "a-analyst", "open", indicators(i, 1000))
		if st.SuccessCount != 1000 {
			t.Fatalf("status %+v", st)
		}
	}
	type page struct {
		ids         []string
		more        bool
		next        string
		first, last string
	}
	get := func(t *testing.T, query url.Values) page {
		t.Helper()
		var env taxii.Envelope
		res := h.do(t, req{path: h.objectsURL("open") + "?" + query.Encode(), user: "b-analyst"}).want(t, http.StatusOK, &env)
		p := page{more: env.More, next: env.Next, first: res.header.Get("X-TAXII-Date-Added-First"), last: res.header.Get("X-TAXII-Date-Added-Last")}
		for _, raw := range env.Objects {
			var o struct{ ID string }
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			p.ids = append(p.ids, o.ID)
		}
		return p
	}
	check := func(t *testing.T, seen map[string]int, order []string) {
		t.Helper()
		if len(seen) != total {
			t.Fatalf("saw %d distinct objects, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("saw %s %d times", id, n)
			}
		}
		for i, id := range order {
			if id != indicatorID(i) {
				t.Fatalf("object %d is %s, want %s (date_added order)", i, id, indicatorID(i))
			}
		}
	}
	t.Run("OKNext", func(t *testing.T) {
		seen := map[string]int{}
		var order []string
		q := url.Values{"limit": {"700"}}
		for pages := 0; ; pages++ {
			if pages > total {
				t.Fatal("paging does not end")
			}
			p := get(t, q)
			if len(p.ids) > 700 {
				t.Fatalf("page of %d objects for limit 700", len(p.ids))
			}
			for _, id := range p.ids {
				seen[id]++
				order = append(order, id)
			}
			if !p.more {
				if p.next != "" {
					t.Errorf("next %q without more", p.next)
				}
				break
			}
			if p.next == "" {
				t.Fatal("more without next")
			}
			q.Set("next", p.next)
		}
		check(t, seen, order)
	})
	t.Run("OKAddedAfter", func(t *testing.T) {
		seen := map[string]int{}
		var order []string
		q := url.Values{"limit": {"1000"}}
		for pages := 0; ; pages++ {
			if pages > total {
				t.Fatal("paging does not end")
			}
			p := get(t, q)
			for _, id := range p.ids {
				seen[id]++
				order = append(order, id)
			}
			if len(p.ids) == 0 {
				break
			}
			if p.first == "" || p.last == "" || p.first > p.last {
				t.Fatalf("headers first=%q last=%q", p.first, p.last)
			}
			if q.Get("added_after") != "" && p.first <= q.Get("added_after") {
				t.Fatalf("first date_added %s is not after %s", p.first, q.Get("added_after"))
			}
			q.Set("added_after", p.last)
		}
		check(t, seen, order)
	})
	t.Run("OKLimitCapped", func(t *testing.T) {
		p := get(t, url.Values{"limit": {"5000"}})
		if len(p.ids) != server.DefaultMaxPageSize || !p.more {
			t.Errorf("limit 5000 gave %d objects, more=%v; want the cap of %d", len(p.ids), p.more, server.DefaultMaxPageSize)
		}
		p = get(t, url.Values{})
		if len(p.ids) != server.DefaultPageSize {
			t.Errorf("no limit gave %d objects, want %d", len(p.ids), server.DefaultPageSize)
		}
	})
	t.Run("OKManifestPaging", func(t *testing.T) {
		seen := map[string]bool{}
		q := url.Values{"limit": {"1000"}}
		for {
			var m taxii.Manifest
			h.do(t, req{path: "/acme-isac/collections/" + h.colls["open"].ID + "/manifest/?" + q.Encode(), user: "b-analyst"}).want(t, http.StatusOK, &m)
			for _, r := range m.Objects {
				if seen[r.ID] {
					t.Fatalf("%s twice", r.ID)
				}
				seen[r.ID] = true
			}
			if !m.More {
				break
			}
			q.Set("next", m.Next)
		}
		if len(seen) != total {
			t.Errorf("manifest listed %d objects", len(seen))
		}
	})
	t.Run("ErrNextOfOtherQuery", func(t *testing.T) {
		p := get(t, url.Values{"limit": {"10"}})
		h.do(t, req{path: h.objectsURL("open") + "?match[type]=malware&next=" + url.QueryEscape(p.next), user: "b-analyst"}).wantError(t, http.StatusBadRequest)
		h.do(t, req{path: h.objectsURL("open") + "?next=garbage!!", user: "b-analyst"}).wantError(t, http.StatusBadRequest)
	})
}

func TestConfiguredPageSize(t *testing.T) { forBackends(t, testConfiguredPageSize) }

func testConfiguredPageSize(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{DefaultPageSize: 3, MaxPageSize: 5})
	h.post(t, "a-analyst", "open", indicators(0, 12))
	for _, tt := range []struct {
		query string
		want  int
	}{{"", 3}, {"?limit=4", 4}, {"?limit=1000", 5}} {
		var env taxii.Envelope
		h.do(t, req{path: h.objectsURL("open") + tt.query, user: "b-analyst"}).want(t, http.StatusOK, &env)
		if len(env.Objects) != tt.want || !env.More {
			t.Errorf("%q: %d objects, more=%v; want %d", tt.query, len(env.Objects), env.More, tt.want)
		}
	}
}

func TestFilters(t *testing.T) { forBackends(t, testFilters) }

func testFilters(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	malware := `{"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Turbofan","is_family":true}`
	h.post(t, "a-analyst", "open", envelope(indicator(1, "2026-01-01T00:00:00.000Z"), malware, indicator(2, "2026-01-01T00:00:00.000Z")))
	var first taxii.Envelope
	res := h.do(t, req{path: h.objectsURL("open") + "?limit=1", user: "b-analyst"}).want(t, http.StatusOK, &first)
	firstAdded := res.header.Get("X-TAXII-Date-Added-First")
	tests := []struct {
		query string
		want  int
	}{
		{"", 3},
		{"?match[type]=malware", 1},
		{"?match[type]=indicator", 2},
		{"?match[type]=indicator,malware", 3},
		{"?match[type]=indicator&match[type]=malware", 3},
		{"?match[type]=tool", 0},
		{"?match[id]=" + indicatorID(2), 1},
		{"?match[id]=" + indicatorID(2) + ",malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", 2},
		{"?match[id]=" + indicatorID(2) + "&match[type]=malware", 0},
		{"?match[spec_version]=2.1", 3},
		{"?match[spec_version]=2.0", 0},
		{"?added_after=" + firstAdded, 2},
		{"?added_after=2000-01-01T00:00:00Z", 3},
		{"?added_after=2999-01-01T00:00:00Z", 0},
		{"?unknown=1&match[unknown]=2&foo", 3},
	}
	for _, tt := range tests {
		t.Run("OK"+tt.query, func(t *testing.T) {
			var env taxii.Envelope
			res := h.do(t, req{path: h.objectsURL("open") + tt.query, user: "b-analyst"}).want(t, http.StatusOK, &env)
			if len(env.Objects) != tt.want {
				t.Errorf("%d objects, want %d", len(env.Objects), tt.want)
			}
			if tt.want == 0 && (res.header.Get("X-TAXII-Date-Added-First") != "" || env.More) {
				t.Errorf("empty page with headers %v, more %v", res.header, env.More)
			}
		})
	}
	for _, q := range []string{"?added_after=yesterday", "?limit=0", "?limit=-1", "?limit=x", "?match[version]=newest",
		"?match[spec_version]=latest", "?match[type]=IND!CATOR", "?match[id]=nodashes", "?added_after=1&added_after=2"} {
		t.Run("Err"+q, func(t *testing.T) {
			e := h.do(t, req{path: h.objectsURL("open") + q, user: "b-analyst"}).wantError(t, http.StatusBadRequest)
			if e.Description == "" {
				t.Error("no description")
			}
			h.do(t, req{path: "/acme-isac/collections/" + h.colls["open"].ID + "/manifest/" + q, user: "b-analyst"}).wantError(t, http.StatusBadRequest)
		})
	}
}
