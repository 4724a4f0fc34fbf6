package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/isachub/isachub/server"
)

// TestSightingsK: the aggregate of an indicator's sightings shows its
// counts from k organisations on (k = 3, the default), and below k only
// that it was sighted.
func TestSightingsK(t *testing.T) { forBackends(t, testSightingsK) }

func testSightingsK(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	h.post(t, "a-analyst", "open", envelope(indicator(1, "2026-01-01T00:00:00.000Z")))
	path := root + "objects/" + indicatorID(1) + "/sightings/"
	type summary struct {
		K                    int
		Sighted, Shown, Mine bool
		Count, Organisations int
		FirstSeen            string `json:"first_seen"`
		LastSeen             string `json:"last_seen"`
	}
	read := func(t *testing.T, user string) summary {
		t.Helper()
		var s summary
		h.do(t, req{path: path, user: user}).want(t, http.StatusOK, &s)
		return s
	}
	sight := func(t *testing.T, user string, n int, first, last string) {
		t.Helper()
		h.post(t, user, "open", envelope(fmt.Sprintf(`{"type":"sighting","spec_version":"2.1","id":"sighting--%08x-0000-4000-8000-000000000001","created":"2026-02-01T00:00:00.000Z","modified":"2026-02-01T00:00:00.000Z","sighting_of_ref":%q,"count":%d,"first_seen":%q,"last_seen":%q}`,
			n, indicatorID(1), n, first, last)))
	}
	if s := read(t, "b-analyst"); s.Sighted || s.Shown || s.K != 3 {
		t.Errorf("before any sighting: %+v", s)
	}
	sight(t, "a-analyst", 1, "2026-02-01T10:00:00Z", "2026-02-01T11:00:00Z")
	sight(t, "b-analyst", 2, "2026-02-02T10:00:00Z", "2026-02-03T11:00:00Z")
	t.Run("OKBelowK", func(t *testing.T) {
		s := read(t, "c-analyst")
		if !s.Sighted || s.Shown || s.Count != 0 || s.Organisations != 0 || s.FirstSeen != "" || s.Mine {
			t.Errorf("k-1 organisations: %+v", s)
		}
		if s := read(t, "a-analyst"); !s.Mine || s.Shown {
			t.Errorf("a's own: %+v", s)
		}
	})
	sight(t, "c-analyst", 4, "2026-01-30T10:00:00Z", "2026-02-02T11:00:00Z")
	t.Run("OKAtK", func(t *testing.T) {
		s := read(t, "b-analyst")
		if !s.Shown || s.Count != 7 || s.Organisations != 3 || s.FirstSeen != "2026-01-30T10:00:00.000000Z" || s.LastSeen != "2026-02-03T11:00:00.000000Z" {
			t.Errorf("k organisations: %+v", s)
		}
	})
	t.Run("ErrNotVisible", func(t *testing.T) {
		h.do(t, req{path: path, user: "x-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: root + "objects/" + indicatorID(2) + "/sightings/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: root + "objects/nonsense/sightings/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
	})
}
