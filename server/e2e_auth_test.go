package server_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

func TestAuthentication(t *testing.T) { forBackends(t, testAuthentication) }

func testAuthentication(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	tests := []struct {
		name   string
		header string // Authorization
		basic  [2]string
		status int
	}{
		{"OKPassword", "", [2]string{"a-analyst", "pw-a-analyst"}, http.StatusOK},
		{"OKPasswordAgainCached", "", [2]string{"a-analyst", "pw-a-analyst"}, http.StatusOK},
		{"OKBasicToken", "", [2]string{"a-analyst", h.tokens["a-analyst"]}, http.StatusOK},
		{"OKBearer", "Bearer " + h.tokens["b-analyst"], [2]string{}, http.StatusOK},
		{"OKTokenScheme", "Token " + h.tokens["b-analyst"], [2]string{}, http.StatusOK},
		{"ErrNone", "", [2]string{}, http.StatusUnauthorized},
		{"ErrWrongPassword", "", [2]string{"a-analyst", "pw-b-analyst"}, http.StatusUnauthorized},
		{"ErrUnknownUser", "", [2]string{"nobody", "pw-nobody"}, http.StatusUnauthorized},
		{"ErrTokenOfOtherUser", "", [2]string{"a-analyst", h.tokens["b-analyst"]}, http.StatusUnauthorized},
		{"ErrBadBearer", "Bearer isachub_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", [2]string{}, http.StatusUnauthorized},
		{"ErrGarbageBearer", "Bearer ../../etc/passwd", [2]string{}, http.StatusUnauthorized},
		{"ErrEmptyBearer", "Bearer ", [2]string{}, http.StatusUnauthorized},
		{"ErrBadBase64", "Basic !!!", [2]string{}, http.StatusUnauthorized},
		{"ErrNoColon", "Basic " + base64.StdEncoding.EncodeToString([]byte("a-analyst")), [2]string{}, http.StatusUnauthorized},
		{"ErrUnknownScheme", "Digest username=a", [2]string{}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req{path: "/taxii2/", basic: tt.basic}
			if tt.header != "" {
				r.header = http.Header{"Authorization": {tt.header}}
			}
			res := h.do(t, r)
			if tt.status != http.StatusOK {
				res.wantError(t, tt.status)
				if got := res.header.Get("WWW-Authenticate"); got != `Basic realm="isachub"` {
					t.Errorf("WWW-Authenticate = %q", got)
				}
				return
			}
			res.want(t, http.StatusOK, nil)
		})
	}
	t.Run("TokenOnlyUser", func(t *testing.T) {
		ctx := context.Background()
		u := &isachub.User{OrgID: h.orgs["a"].ID, Username: "robot", Role: isachub.RoleAnalyst}
		if err := h.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		secret, hash, err := server.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.CreateToken(ctx, &isachub.Token{UserID: u.ID, Hash: hash}); err != nil {
			t.Fatal(err)
		}
		h.do(t, req{path: "/taxii2/", basic: [2]string{"robot", secret}}).want(t, http.StatusOK, nil)
		h.do(t, req{path: "/taxii2/", basic: [2]string{"robot", ""}}).wantError(t, http.StatusUnauthorized)
		h.do(t, req{path: "/taxii2/", basic: [2]string{"robot", "guess"}}).wantError(t, http.StatusUnauthorized)
		if err := h.store.DeleteUser(ctx, "robot"); err != nil {
			t.Fatal(err)
		}
		h.do(t, req{path: "/taxii2/", header: http.Header{"Authorization": {"Bearer " + secret}}}).wantError(t, http.StatusUnauthorized)
	})
	t.Run("ErrEveryEndpoint", func(t *testing.T) {
		for _, p := range []string{"/taxii2/", root, root + "collections/", h.objectsURL("open"), root + "status/x/", "/nothing/here"} {
			h.do(t, req{path: p}).wantError(t, http.StatusUnauthorized)
		}
		h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), body: indicators(0, 1)}).wantError(t, http.StatusUnauthorized)
		if n := h.countObjects(t, "open"); n != 0 {
			t.Errorf("an unauthenticated POST stored %d objects", n)
		}
	})
}

func TestDiscovery(t *testing.T) { forBackends(t, testDiscovery) }

func testDiscovery(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{Title: "Test hub", Contact: "soc@example.org"})
	t.Run("OKMember", func(t *testing.T) {
		var d taxii.Discovery
		h.do(t, req{path: "/taxii2/", user: "b-analyst"}).want(t, http.StatusOK, &d)
		want := h.srv.URL + "/acme-isac/"
		if d.Title != "Test hub" || d.Contact != "soc@example.org" || len(d.APIRoots) != 1 || d.APIRoots[0] != want || d.Default != want {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("OKOtherCommunity", func(t *testing.T) {
		var d taxii.Discovery
		h.do(t, req{path: "/taxii2/", user: "x-analyst"}).want(t, http.StatusOK, &d)
		if len(d.APIRoots) != 1 || d.APIRoots[0] != h.srv.URL+"/other-isac/" {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("OKHubAdmin", func(t *testing.T) {
		var d taxii.Discovery
		h.do(t, req{path: "/taxii2/", user: "operator"}).want(t, http.StatusOK, &d)
		if len(d.APIRoots) != 2 {
			t.Errorf("got %+v", d)
		}
	})
	t.Run("OKAPIRoot", func(t *testing.T) {
		var a taxii.APIRoot
		h.do(t, req{path: root, user: "a-reader"}).want(t, http.StatusOK, &a)
		if a.Title != "ACME ISAC" || len(a.Versions) != 1 || a.Versions[0] != taxii.MediaTypeTAXII21 || a.MaxContentLength != server.DefaultMaxContentLength {
			t.Errorf("got %+v", a)
		}
	})
	t.Run("ErrAPIRootOfOtherCommunity", func(t *testing.T) {
		e := h.do(t, req{path: "/other-isac/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
		e2 := h.do(t, req{path: "/no-such-isac/", user: "a-analyst"}).wantError(t, http.StatusNotFound)
		if e.Title != e2.Title {
			t.Errorf("a hidden root and a missing one differ: %+v vs %+v", e, e2)
		}
	})
	t.Run("OKAPIRootHubAdmin", func(t *testing.T) {
		h.do(t, req{path: "/other-isac/", user: "operator"}).want(t, http.StatusOK, nil)
	})
}

func TestMediaTypes(t *testing.T) { forBackends(t, testMediaTypes) }

func testMediaTypes(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	accepts := []struct {
		accept string
		status int
	}{
		{taxii.MediaTypeTAXII21, http.StatusOK},
		{"application/taxii+json", http.StatusOK},
		{"application/taxii+json; version=2.1", http.StatusOK},
		{"*/*", http.StatusOK},
		{"application/*", http.StatusOK},
		{"-", http.StatusOK},
		{"application/json", http.StatusNotAcceptable},
		{"application/taxii+json;version=2.0", http.StatusNotAcceptable},
		{"application/vnd.oasis.taxii+json", http.StatusNotAcceptable},
		{"text/html", http.StatusNotAcceptable},
	}
	for _, tt := range accepts {
		t.Run("Accept "+tt.accept, func(t *testing.T) {
			for _, p := range []string{"/taxii2/", root, root + "collections/", h.objectsURL("open")} {
				res := h.do(t, req{path: p, user: "a-analyst", accept: tt.accept})
				if tt.status == http.StatusOK {
					res.want(t, http.StatusOK, nil)
				} else {
					res.wantError(t, tt.status)
				}
			}
		})
	}
	for _, ct := range []string{"application/json", "application/taxii+json", "application/taxii+json;version=2.0", "application/stix+json;version=2.1", "text/plain"} {
		t.Run("ErrContentType "+ct, func(t *testing.T) {
			h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", contentType: ct, body: indicators(0, 1)}).wantError(t, http.StatusUnsupportedMediaType)
		})
	}
	if n := h.countObjects(t, "open"); n != 0 {
		t.Errorf("refused POSTs stored %d objects", n)
	}
}

func TestLoginThrottle(t *testing.T) {
	// A clock that stands still: the buckets refill only when told to.
	stopped := time.Unix(1_800_000_000, 0)
	h := newHub(t, server.Config{Now: func() time.Time { return stopped }})
	for i := 0; i < 10; i++ {
		h.do(t, req{path: "/taxii2/", basic: [2]string{"c-analyst", "guess"}}).wantError(t, http.StatusUnauthorized)
	}
	res := h.do(t, req{path: "/taxii2/", basic: [2]string{"c-analyst", "pw-c-analyst"}})
	res.wantError(t, http.StatusTooManyRequests)
	if ra := res.header.Get("Retry-After"); ra != "6" {
		t.Errorf("Retry-After %q, want the seconds until the next try (6)", ra)
	}
	h.do(t, req{path: "/taxii2/", user: "c-analyst"}).want(t, http.StatusOK, nil)
	h.do(t, req{path: "/taxii2/", basic: [2]string{"c-analyst", h.tokens["c-analyst"]}}).want(t, http.StatusOK, nil)
	h.do(t, req{path: "/taxii2/", basic: [2]string{"b-analyst", "pw-b-analyst"}}).want(t, http.StatusOK, nil)
}
