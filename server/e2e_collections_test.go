package server_test

import (
	"net/http"
	"testing"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

func TestCollections(t *testing.T) { forBackends(t, testCollections) }

func testCollections(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	type perm struct{ read, write bool }
	tests := []struct {
		user string
		want map[string]perm // by alias; absent = invisible
	}{
		{"a-analyst", map[string]perm{"open": {true, true}, "restricted": {true, true}, "drop": {true, false}}},
		{"a-reader", map[string]perm{"open": {true, false}, "restricted": {true, false}, "drop": {true, false}}},
		{"b-analyst", map[string]perm{"open": {true, true}, "restricted": {true, false}}},
		{"c-analyst", map[string]perm{"open": {true, true}, "drop": {false, true}}},
		{"operator", map[string]perm{"open": {true, true}, "restricted": {true, true}, "drop": {true, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			var cs taxii.Collections
			h.do(t, req{path: root + "collections/", user: tt.user}).want(t, http.StatusOK, &cs)
			got := map[string]perm{}
			for _, c := range cs.Collections {
				got[c.Alias] = perm{c.CanRead, c.CanWrite}
				if c.ID != h.colls[c.Alias].ID || len(c.MediaTypes) != 1 || c.MediaTypes[0] != taxii.MediaTypeSTIX21 {
					t.Errorf("collection %+v", c)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("sees %v, want %v", got, tt.want)
			}
			for alias, p := range tt.want {
				if got[alias] != p {
					t.Errorf("%s: %+v, want %+v", alias, got[alias], p)
				}
				var c taxii.Collection
				h.do(t, req{path: root + "collections/" + h.colls[alias].ID + "/", user: tt.user}).want(t, http.StatusOK, &c)
				if c.Title != h.colls[alias].Title || c.CanRead != p.read || c.CanWrite != p.write {
					t.Errorf("collection resource %+v", c)
				}
			}
			for alias, coll := range h.colls {
				if _, ok := tt.want[alias]; !ok {
					h.do(t, req{path: root + "collections/" + coll.ID + "/", user: tt.user}).wantError(t, http.StatusNotFound)
					h.do(t, req{path: root + "collections/" + coll.ID + "/objects/", user: tt.user}).wantError(t, http.StatusNotFound)
					h.do(t, req{path: root + "collections/" + coll.ID + "/manifest/", user: tt.user}).wantError(t, http.StatusNotFound)
				}
			}
		})
	}
	t.Run("OKByAlias", func(t *testing.T) {
		var c taxii.Collection
		h.do(t, req{path: root + "collections/open/", user: "b-analyst"}).want(t, http.StatusOK, &c)
		if c.ID != h.colls["open"].ID {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("ErrOtherCommunity", func(t *testing.T) {
		h.do(t, req{path: "/other-isac/collections/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: "/other-isac/collections/" + h.colls["open"].ID + "/", user: "operator"}).wantError(t, http.StatusNotFound)
		h.do(t, req{path: root + "collections/" + h.colls["open"].ID + "/", user: "x-analyst"}).wantError(t, http.StatusNotFound)
	})
	t.Run("OKEmptyList", func(t *testing.T) {
		var cs taxii.Collections
		h.do(t, req{path: "/other-isac/collections/", user: "x-analyst"}).want(t, http.StatusOK, &cs)
		if len(cs.Collections) != 0 {
			t.Errorf("got %+v", cs)
		}
	})
	t.Run("ErrWriteOnlyRead", func(t *testing.T) {
		h.do(t, req{path: h.objectsURL("drop"), user: "c-analyst"}).wantError(t, http.StatusForbidden)
		h.do(t, req{path: root + "collections/" + h.colls["drop"].ID + "/manifest/", user: "c-analyst"}).wantError(t, http.StatusForbidden)
	})
}
