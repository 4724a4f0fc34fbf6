package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// TestMatchRecordSightings: record_sightings=true publishes one sighting
// per indicator that fired, into the collection named, through the
// publishing path: count and first/last seen from the events, marked with
// the indicator's TLP (a RED one is refused in the open collection, and
// the answer says so), anonymous on request (no organisation named); the
// requests that cannot be done are refused before anything is matched.
func TestMatchRecordSightings(t *testing.T) {
	h := newFeedHub(t, newHub) // indicators 1, 2 in open (AMBER by default), 7 RED in restricted
	events := `{"@timestamp":"2026-11-01T10:00:00Z","source":{"ip":"203.0.113.1"}}
{"@timestamp":"2026-11-03T10:00:00Z","destination":{"ip":"203.0.113.1"}}
{"dns":{"question":{"name":"bad.example"}},"destination":{"ip":"203.0.113.7"}}
`
	type answer struct {
		Hits      []struct{ Indicator string }
		Sightings *taxii.Status
		Handle    string `json:"x_isachub_withdrawal_handle"`
	}
	match := func(t *testing.T, user, query string, anonymous bool) (int, answer, string) {
		t.Helper()
		r := req{method: http.MethodPost, path: root + "match?" + query, user: user, contentType: "application/x-ndjson", body: []byte(events), accept: "application/json"}
		if anonymous {
			r.header = http.Header{"X-Isachub-Anonymous": {"true"}}
		}
		res := h.do(t, r)
		var a answer
		if res.status == http.StatusOK {
			if err := json.Unmarshal(res.body, &a); err != nil {
				t.Fatal(err)
			}
		}
		return res.status, a, string(res.body)
	}
	sightings := func(t *testing.T) map[string]*stix.Object {
		t.Helper()
		p, err := h.store.Objects(t.Context(), h.colls["open"].ID, isachub.Unrestricted(), isachub.ObjectFilter{Types: []string{"sighting"}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*stix.Object{}
		for _, v := range p.Objects {
			o, err := stix.ParseObject(v.Raw)
			if err != nil {
				t.Fatal(err)
			}
			out[o.String("sighting_of_ref")] = o
		}
		return out
	}
	t.Run("OK", func(t *testing.T) {
		status, a, body := match(t, "a-analyst", "record_sightings=true&collection="+h.colls["open"].ID, false)
		if status != http.StatusOK || a.Sightings == nil {
			t.Fatalf("%d %s", status, body)
		}
		// 1 (two events) and 2 stored; 7 is RED: refused in open.
		if a.Sightings.SuccessCount != 2 || a.Sightings.FailureCount != 1 || !strings.Contains(a.Sightings.Failures[0].Message, "TLP:RED") {
			t.Errorf("sightings status %+v", a.Sightings)
		}
		got := sightings(t)
		s1 := got[indicatorID(1)]
		if s1 == nil || string(s1.Raw()) == "" {
			t.Fatalf("no sighting of indicator 1: %v", got)
		}
		var v struct {
			Count int
			Marks []string `json:"object_marking_refs"`
		}
		json.Unmarshal(s1.Raw(), &v)
		var seen struct {
			First string `json:"first_seen"`
			Last  string `json:"last_seen"`
		}
		json.Unmarshal(s1.Raw(), &seen)
		if v.Count != 2 || seen.First != "2026-11-01T10:00:00.000Z" || seen.Last != "2026-11-03T10:00:00.000Z" || len(v.Marks) != 1 || v.Marks[0] != stix.TLPMarkingID(stix.TLPAmber) {
			t.Errorf("sighting of 1: %s", s1.Raw())
		}
		if got[indicatorID(7)] != nil {
			t.Error("a sighting of a RED indicator was stored in the open collection")
		}
	})
	t.Run("OKAnonymous", func(t *testing.T) {
		// c sees no RED indicator: an anonymous submission is published
		// whole or not at all, so b's (who sees 7) would be a 422.
		status, a, body := match(t, "c-analyst", "record_sightings=true&collection="+h.colls["open"].ID, true)
		if status != http.StatusOK || a.Sightings == nil || a.Handle == "" {
			t.Fatalf("%d %s", status, body)
		}
		if strings.Contains(body, h.orgs["c"].Name) { // its slug, "c", is in any text
			t.Errorf("the anonymous answer names c: %s", body)
		}
	})
	for name, tt := range map[string]struct {
		user, query string
		status      int
	}{
		"ErrNoCollection":      {"a-analyst", "record_sightings=true", http.StatusBadRequest},
		"ErrCollectionAlone":   {"a-analyst", "collection=" + h.colls["open"].ID, http.StatusBadRequest},
		"ErrNotABoolean":       {"a-analyst", "record_sightings=yes&collection=" + h.colls["open"].ID, http.StatusBadRequest},
		"ErrMayNotWrite":       {"c-analyst", "record_sightings=true&collection=" + h.colls["restricted"].ID, http.StatusNotFound},
		"ErrUnknownCollection": {"a-analyst", "record_sightings=true&collection=00000000-0000-4000-8000-000000000000", http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			if status, _, body := match(t, tt.user, tt.query, false); status != tt.status {
				t.Errorf("%d %s, want %d", status, body, tt.status)
			}
		})
	}
}
