package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

func TestAddObjects(t *testing.T) { forBackends(t, testAddObjects) }

func testAddObjects(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	bad := `{"type":"indicator","spec_version":"2.1","id":"indicator--bad","created":"yesterday","modified":"2026-01-01T00:00:00.000Z"}`
	body := envelope(indicator(1, "2026-01-01T00:00:00.000Z"), bad, `"not an object"`, indicator(2, "2026-01-01T00:00:00.000Z"))
	st := h.post(t, "a-analyst", "open", body)
	t.Run("OKStatus", func(t *testing.T) {
		if st.ID == "" || st.Status != taxii.StatusComplete || st.TotalCount != 4 || st.SuccessCount != 2 || st.FailureCount != 2 || st.PendingCount != 0 {
			t.Fatalf("status %+v", st)
		}
		if st.Successes[0].ID != indicatorID(1) || st.Successes[0].Version != "2026-01-01T00:00:00.000Z" {
			t.Errorf("successes %+v", st.Successes)
		}
		if st.Failures[0].ID != "indicator--bad" || !strings.Contains(st.Failures[0].Message, "$.objects[1].") {
			t.Errorf("failure %+v should name the object and the path", st.Failures[0])
		}
		if !strings.Contains(st.Failures[1].Message, "expected a JSON object") {
			t.Errorf("failure %+v", st.Failures[1])
		}
		if _, err := taxii.ParseTimestamp(st.RequestTimestamp); err != nil {
			t.Errorf("request_timestamp: %v", err)
		}
	})
	t.Run("OKGetStatus", func(t *testing.T) {
		var got taxii.Status
		h.do(t, req{path: root + "status/" + st.ID + "/", user: "a-reader"}).want(t, http.StatusOK, &got)
		if got.ID != st.ID || got.SuccessCount != 2 || got.FailureCount != 2 || got.TotalCount != 4 {
			t.Errorf("got %+v", got)
		}
		h.do(t, req{path: root + "status/" + st.ID + "/", user: "operator"}).want(t, http.StatusOK, nil)
	})
	t.Run("ErrStatusOfOtherOrg", func(t *testing.T) {
		h.do(t, req{path: root + "status/" + st.ID + "/", user: "b-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: "/other-isac/status/" + st.ID + "/", user: "x-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: root + "status/not-a-status/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
	})
	t.Run("OKStoredAsReceived", func(t *testing.T) {
		var env struct{ Objects []json.RawMessage }
		h.do(t, req{path: h.objectsURL("open"), user: "c-analyst"}).want(t, http.StatusOK, &env)
		if len(env.Objects) != 2 || string(env.Objects[0]) != indicator(1, "2026-01-01T00:00:00.000Z") {
			t.Errorf("got %d objects: %s", len(env.Objects), env.Objects)
		}
	})
	t.Run("ErrInvalidPattern", func(t *testing.T) {
		broken := strings.Replace(indicator(3, "2026-01-01T00:00:00.000Z"), "[ipv4-addr:value = '198.51.100.3']", "[ipv4-addr:value = ", 1)
		st := h.post(t, "a-analyst", "open", envelope(broken))
		if st.FailureCount != 1 || st.Failures[0].ID != indicatorID(3) || !strings.Contains(st.Failures[0].Message, "$.objects[0].pattern: the STIX pattern is not valid: offset 19") {
			t.Errorf("status %+v", st)
		}
	})
	t.Run("OKEmptyEnvelope", func(t *testing.T) {
		st := h.post(t, "a-analyst", "open", []byte(`{"objects":[]}`))
		if st.TotalCount != 0 || st.SuccessCount != 0 {
			t.Errorf("got %+v", st)
		}
	})
	t.Run("OKSameVersionTwice", func(t *testing.T) {
		st := h.post(t, "a-analyst", "open", envelope(indicator(1, "2026-01-01T00:00:00.000Z")))
		if st.SuccessCount != 1 {
			t.Errorf("got %+v", st)
		}
		if n := h.countObjects(t, "open"); n != 2 {
			t.Errorf("%d versions stored, want 2", n)
		}
	})
}

func TestWritePermissions(t *testing.T) { forBackends(t, testWritePermissions) }

func testWritePermissions(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	tests := []struct {
		name, user, alias string
		status            int
	}{
		{"OKAnalyst", "a-analyst", "restricted", http.StatusAccepted},
		{"OKHubAdmin", "operator", "drop", http.StatusAccepted},
		{"OKWriteOnly", "c-analyst", "drop", http.StatusAccepted},
		{"ErrReaderRole", "a-reader", "open", http.StatusForbidden},
		{"ErrReadOnlyOrg", "b-analyst", "restricted", http.StatusForbidden},
		{"ErrInvisible", "c-analyst", "restricted", http.StatusNotFound},
		{"ErrOtherCommunity", "x-analyst", "open", http.StatusNotFound},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.countObjects(t, tt.alias)
			res := h.do(t, req{method: http.MethodPost, path: h.objectsURL(tt.alias), user: tt.user, body: indicators(100*i, 3)})
			if tt.status == http.StatusAccepted {
				res.want(t, tt.status, nil)
				return
			}
			res.wantError(t, tt.status)
			if after := h.countObjects(t, tt.alias); after != before {
				t.Errorf("a refused POST stored %d objects", after-before)
			}
		})
	}
}

func TestOwnership(t *testing.T) { forBackends(t, testOwnership) }

func testOwnership(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	h.post(t, "a-analyst", "open", envelope(indicator(1, "2026-01-01T00:00:00.000Z")))
	st := h.post(t, "b-analyst", "open", envelope(indicator(1, "2026-02-01T00:00:00.000Z"), indicator(2, "2026-01-01T00:00:00.000Z")))
	if st.SuccessCount != 1 || st.FailureCount != 1 || st.Failures[0].ID != indicatorID(1) || st.Failures[0].Message == "" {
		t.Fatalf("status %+v", st)
	}
	var versions taxii.Versions
	h.do(t, req{path: h.objectsURL("open") + indicatorID(1) + "/versions/", user: "c-analyst"}).want(t, http.StatusOK, &versions)
	if len(versions.Versions) != 1 || versions.Versions[0] != "2026-01-01T00:00:00.000Z" {
		t.Errorf("versions %+v: another organisation's version was stored", versions)
	}
	t.Run("OKOwnerAddsVersion", func(t *testing.T) {
		st := h.post(t, "operator", "open", envelope(indicator(1, "2026-03-01T00:00:00.000Z")))
		if st.SuccessCount != 1 {
			t.Errorf("status %+v", st)
		}
	})
}

func TestObjectEndpoints(t *testing.T) { forBackends(t, testObjectEndpoints) }

func testObjectEndpoints(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	v1, v2, v3 := "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"
	h.post(t, "a-analyst", "open", envelope(indicator(1, v1), indicator(2, v1)))
	h.post(t, "a-analyst", "open", envelope(indicator(1, v2)))
	h.post(t, "a-analyst", "open", envelope(indicator(1, v3)))
	obj := h.objectsURL("open") + indicatorID(1) + "/"

	modified := func(tb testing.TB, res *response) []string {
		tb.Helper()
		var env struct {
			Objects []struct{ Modified string }
		}
		res.want(tb, http.StatusOK, &env)
		var out []string
		for _, o := range env.Objects {
			out = append(out, o.Modified)
		}
		return out
	}
	t.Run("OKGetObject", func(t *testing.T) {
		res := h.do(t, req{path: obj, user: "b-analyst"})
		if got := modified(t, res); len(got) != 1 || got[0] != v3 {
			t.Errorf("got %v", got)
		}
		if res.header.Get("X-TAXII-Date-Added-First") == "" || res.header.Get("X-TAXII-Date-Added-Last") == "" {
			t.Errorf("headers %v", res.header)
		}
	})
	versionTests := []struct {
		query string
		want  []string
	}{
		{"", []string{v3}},
		{"?match[version]=last", []string{v3}},
		{"?match[version]=first", []string{v1}},
		{"?match[version]=all", []string{v1, v2, v3}},
		{"?match[version]=" + v2, []string{v2}},
		{"?match[version]=first,last", []string{v1, v3}},
		{"?match[version]=all&limit=2", []string{v1, v2}},
		{"?match[spec_version]=2.1&match[version]=all", []string{v1, v2, v3}},
	}
	for _, tt := range versionTests {
		t.Run("OKObject"+tt.query, func(t *testing.T) {
			got := modified(t, h.do(t, req{path: obj + tt.query, user: "b-analyst"}))
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("ErrObjectFilters", func(t *testing.T) {
		h.do(t, req{path: obj + "?match[spec_version]=2.0", user: "b-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: obj + "?match[version]=2020-01-01T00:00:00Z", user: "b-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: obj + "?match[version]=bogus", user: "b-analyst"}).wantError(t, http.StatusBadRequest)
	})
	t.Run("OKVersions", func(t *testing.T) {
		var vs taxii.Versions
		res := h.do(t, req{path: obj + "versions/", user: "b-analyst"}).want(t, http.StatusOK, &vs)
		if strings.Join(vs.Versions, " ") != strings.Join([]string{v1, v2, v3}, " ") || vs.More {
			t.Errorf("got %+v", vs)
		}
		if res.header.Get("X-TAXII-Date-Added-First") >= res.header.Get("X-TAXII-Date-Added-Last") {
			t.Errorf("headers %v", res.header)
		}
		h.do(t, req{path: obj + "versions/?limit=2", user: "b-analyst"}).want(t, http.StatusOK, &vs)
		if len(vs.Versions) != 2 || !vs.More || vs.Next == "" {
			t.Errorf("got %+v", vs)
		}
		var rest taxii.Versions
		h.do(t, req{path: obj + "versions/?limit=2&next=" + vs.Next, user: "b-analyst"}).want(t, http.StatusOK, &rest)
		if len(rest.Versions) != 1 || rest.Versions[0] != v3 || rest.More {
			t.Errorf("got %+v", rest)
		}
	})
	t.Run("OKManifest", func(t *testing.T) {
		var m taxii.Manifest
		res := h.do(t, req{path: root + "collections/" + h.colls["open"].ID + "/manifest/?match[version]=all", user: "b-analyst"}).want(t, http.StatusOK, &m)
		if len(m.Objects) != 4 {
			t.Fatalf("got %+v", m)
		}
		for _, r := range m.Objects {
			if r.MediaType != taxii.MediaTypeSTIX21 || r.Version == "" {
				t.Errorf("record %+v", r)
			}
			if _, err := taxii.ParseTimestamp(r.DateAdded); err != nil {
				t.Errorf("record %+v: %v", r, err)
			}
		}
		if res.header.Get("X-TAXII-Date-Added-First") != m.Objects[0].DateAdded || res.header.Get("X-TAXII-Date-Added-Last") != m.Objects[3].DateAdded {
			t.Errorf("headers %v vs %+v", res.header, m.Objects)
		}
	})
	t.Run("ErrUnknownObject", func(t *testing.T) {
		for _, p := range []string{"indicator--00000000-0000-4000-8000-000000000000/", "garbage/", "..%2F..%2Fetc%2Fpasswd/", "%00/"} {
			h.do(t, req{path: h.objectsURL("open") + p, user: "b-analyst"}).wantError(t, http.StatusNotFound)
			h.do(t, req{path: h.objectsURL("open") + p + "versions/", user: "b-analyst"}).wantError(t, http.StatusNotFound)
		}
	})
	t.Run("ErrDeleteNotOwner", func(t *testing.T) {
		h.do(t, req{method: http.MethodDelete, path: obj, user: "b-analyst"}).wantError(t, http.StatusForbidden)
		h.do(t, req{method: http.MethodDelete, path: obj, user: "a-reader"}).wantError(t, http.StatusForbidden)
		h.do(t, req{method: http.MethodDelete, path: obj, user: "x-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{method: http.MethodDelete, path: obj + "?match[version]=nonsense", user: "a-analyst"}).wantError(t, http.StatusBadRequest)
	})
	t.Run("OKDeleteVersion", func(t *testing.T) {
		h.do(t, req{method: http.MethodDelete, path: obj + "?match[version]=" + v1, user: "a-analyst"}).want(t, http.StatusOK, nil)
		var vs taxii.Versions
		h.do(t, req{path: obj + "versions/", user: "b-analyst"}).want(t, http.StatusOK, &vs)
		if strings.Join(vs.Versions, " ") != v2+" "+v3 {
			t.Errorf("got %+v", vs)
		}
	})
	t.Run("OKDeleteAll", func(t *testing.T) {
		h.do(t, req{method: http.MethodDelete, path: obj, user: "a-analyst"}).want(t, http.StatusOK, nil)
		h.do(t, req{path: obj, user: "b-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{method: http.MethodDelete, path: obj, user: "a-analyst"}).wantError(t, http.StatusNotFound)
	})
}

// TestDuplicateOtherContent: a POST of an id and version already stored
// with other content succeeds (TAXII 2.1 section 5.4 lets the server keep
// the first) and its status entry says the first was kept (issue 13
// item 4).
func TestDuplicateOtherContent(t *testing.T) { forBackends(t, testDuplicateOtherContent) }

func testDuplicateOtherContent(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	first := indicator(1, "2026-01-01T00:00:00.000Z")
	h.post(t, "a-analyst", "open", envelope(first))
	st := h.post(t, "a-analyst", "open", envelope(strings.Replace(first, "Bad address 1", "Renamed", 1), first))
	if st.SuccessCount != 2 || len(st.Successes) != 2 {
		t.Fatalf("status %+v, want two successes", st)
	}
	if st.Successes[0].Message != isachub.MsgDuplicateContent || st.Successes[1].Message != "" {
		t.Fatalf("messages %q and %q, want the first to say the stored content is kept", st.Successes[0].Message, st.Successes[1].Message)
	}
	res := h.do(t, req{path: h.objectsURL("open") + indicatorID(1) + "/", user: "b-analyst"})
	if !strings.Contains(string(res.body), "Bad address 1") {
		t.Fatalf("the stored content changed: %s", res.body)
	}
}
