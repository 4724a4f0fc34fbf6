package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/isachub/isachub/server"
)

// TestMatchAPI: POST /{root}/match answers the indicators that fire on
// each event among those the caller may see, as their latest version,
// active; it takes ECS lines and observed-data, and reports bad events.
func TestMatchAPI(t *testing.T) { forBackends(t, testMatchAPI) }

func testMatchAPI(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newFeedHub(t, newHub) // indicators 1-7: 3 revoked, 4 expired, 6 and 7 in restricted
	type result struct {
		Hits []struct {
			Event                         int
			Indicator, Name, Pattern, TLP string
		}
		Events int
		Errors []struct {
			Event int
			Error string
		}
	}
	post := func(t *testing.T, user, contentType, body string) (int, result) {
		t.Helper()
		res := h.do(t, req{method: http.MethodPost, path: root + "match", user: user, contentType: contentType, body: []byte(body), accept: "application/json"})
		var r result
		if res.status == http.StatusOK {
			if err := json.Unmarshal(res.body, &r); err != nil {
				t.Fatal(err)
			}
		}
		return res.status, r
	}
	events := `{"source":{"ip":"203.0.113.1"}}
{"destination":{"ip":"203.0.113.4"}}
not json

{"url":{"original":"http://bad.example/login"},"destination":{"ip":"203.0.113.7"}}
{"dns":{"question":{"name":"bad.example"}}}
`
	t.Run("OKNDJSON", func(t *testing.T) {
		status, r := post(t, "a-analyst", "application/x-ndjson", events)
		var got []string
		for _, hit := range r.Hits {
			got = append(got, hit.Indicator+" "+hit.TLP)
			if hit.Event == 1 && (hit.Name != "Feed indicator 1" || hit.Pattern != "[ipv4-addr:value = '203.0.113.1']") {
				t.Errorf("hit %+v", hit)
			}
		}
		// 4 expired; 6 (the url) and 7 (RED) a may see in restricted.
		want := []string{indicatorID(1) + " amber", indicatorID(6) + " amber+strict", indicatorID(7) + " red", indicatorID(2) + " amber"}
		if status != http.StatusOK || !slices.Equal(got, want) || r.Events != 4 || len(r.Errors) != 1 || r.Errors[0].Event != 3 {
			t.Errorf("%d %+v, want hits %v", status, r, want)
		}
	})
	t.Run("OKOnlyWhatTheCallerSees", func(t *testing.T) {
		_, r := post(t, "c-analyst", "application/x-ndjson", events)
		if len(r.Hits) != 2 || r.Hits[0].Indicator != indicatorID(1) || r.Hits[1].Indicator != indicatorID(2) {
			t.Errorf("c (no restricted): %+v", r.Hits)
		}
	})
	t.Run("OKObservedData", func(t *testing.T) {
		env := `{"objects":[
{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--7f9e2a3b-0000-5000-8000-000000000001","value":"203.0.113.1"},
{"type":"observed-data","spec_version":"2.1","id":"observed-data--00000000-0000-4000-8000-000000000001","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z","first_observed":"2026-03-01T00:00:00Z","last_observed":"2026-03-01T00:00:00Z","number_observed":1,"object_refs":["ipv4-addr--7f9e2a3b-0000-5000-8000-000000000001"]},
{"type":"domain-name","spec_version":"2.1","id":"domain-name--7f9e2a3b-0000-5000-8000-000000000002","value":"x.example"},
{"type":"observed-data","spec_version":"2.1","id":"observed-data--00000000-0000-4000-8000-000000000002","created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z","first_observed":"2026-03-01T00:00:00Z","last_observed":"2026-03-01T00:00:00Z","number_observed":1,"object_refs":["domain-name--7f9e2a3b-0000-5000-8000-000000000002"]}]}`
		status, r := post(t, "a-analyst", "application/taxii+json;version=2.1", env)
		// Indicator 1 fires on the first observed-data, the envelope's
		// object 2; indicator 5 ([203.0.113.5] AND [x.example]) on none.
		if status != http.StatusOK || r.Events != 2 || len(r.Hits) != 1 || r.Hits[0].Event != 2 || r.Hits[0].Indicator != indicatorID(1) {
			t.Errorf("%d %+v", status, r)
		}
	})
	t.Run("ErrMediaType", func(t *testing.T) {
		if status, _ := post(t, "a-analyst", "text/plain", events); status != http.StatusUnsupportedMediaType {
			t.Errorf("text/plain: %d", status)
		}
	})
	t.Run("ErrOutsider", func(t *testing.T) {
		if status, _ := post(t, "x-analyst", "application/x-ndjson", events); status != http.StatusNotFound {
			t.Errorf("x: %d", status)
		}
	})
}
