package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

func TestHostileBodies(t *testing.T) { forBackends(t, testHostileBodies) }

func testHostileBodies(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	tests := []struct {
		name   string
		body   string
		status int
	}{
		{"ErrMalformedJSON", `{"objects":[{"type":"indicator",}]}`, http.StatusUnprocessableEntity},
		{"ErrTruncated", `{"objects":[`, http.StatusUnprocessableEntity},
		{"ErrEmpty", ``, http.StatusUnprocessableEntity},
		{"ErrNotJSON", "\x00\x01\x02binary", http.StatusUnprocessableEntity},
		{"ErrBundle", `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}`, http.StatusUnprocessableEntity},
		{"ErrArray", `[` + indicator(1, "2026-01-01T00:00:00.000Z") + `]`, http.StatusUnprocessableEntity},
		{"ErrSingleObject", indicator(1, "2026-01-01T00:00:00.000Z"), http.StatusUnprocessableEntity},
		{"ErrObjectsNotArray", `{"objects":"everything"}`, http.StatusUnprocessableEntity},
		{"ErrString", `"objects"`, http.StatusUnprocessableEntity},
		{"ErrDeepNesting", `{"objects":[` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `]}`, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: []byte(tt.body)}).wantError(t, tt.status)
			if e.Description == "" {
				t.Error("the error does not say what is wrong")
			}
		})
	}
	t.Run("OKDeepNestingInsideObject", func(t *testing.T) {
		deep := `{"objects":[{"type":"x-deep","id":"x-deep--1","v":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}]}`
		res := h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: []byte(deep)})
		if res.status != http.StatusAccepted && res.status != http.StatusUnprocessableEntity {
			t.Errorf("status %d: %s", res.status, clipBody(res.body))
		}
	})
	if n := h.countObjects(t, "open"); n != 0 {
		t.Errorf("refused bodies stored %d objects", n)
	}
	t.Run("OKTenThousandInOneEnvelope", func(t *testing.T) {
		objs := make([]string, 10000)
		for i := range objs {
			objs[i] = indicator(i, "2026-01-01T00:00:00.000Z")
			if i%1000 == 999 {
				objs[i] = `{"type":"indicator","id":"indicator--broken"}`
			}
		}
		st := h.post(t, "a-analyst", "open", envelope(objs...))
		if st.TotalCount != 10000 || st.SuccessCount != 9990 || st.FailureCount != 10 || len(st.Successes) != 9990 {
			t.Errorf("status counts %d/%d/%d", st.TotalCount, st.SuccessCount, st.FailureCount)
		}
		if n := h.countObjects(t, "open"); n != 9990 {
			t.Errorf("%d objects stored, want 9990", n)
		}
	})
}

func TestTooManyObjects(t *testing.T) { forBackends(t, testTooManyObjects) }

func testTooManyObjects(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{MaxEnvelopeObjects: 50})
	h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: indicators(0, 51)}).wantError(t, http.StatusRequestEntityTooLarge)
	flood := []byte(`{"objects":[` + strings.Repeat(`{},`, 100000) + `{}]}`)
	h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: flood}).wantError(t, http.StatusRequestEntityTooLarge)
	if n := h.countObjects(t, "open"); n != 0 {
		t.Errorf("%d objects stored", n)
	}
	if st := h.post(t, "a-analyst", "open", indicators(0, 50)); st.SuccessCount != 50 {
		t.Errorf("status %+v", st)
	}
}

func TestOversizedBody(t *testing.T) { forBackends(t, testOversizedBody) }

func testOversizedBody(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{MaxContentLength: 4096})
	var root taxii.APIRoot
	h.do(t, req{path: "/acme-isac/", user: "a-analyst"}).want(t, http.StatusOK, &root)
	if root.MaxContentLength != 4096 {
		t.Fatalf("max_content_length %d", root.MaxContentLength)
	}
	big := indicators(0, 20)
	if len(big) <= 4096 {
		t.Fatalf("test body is only %d bytes", len(big))
	}
	t.Run("ErrContentLength", func(t *testing.T) {
		h.do(t, req{method: http.MethodPost, path: h.objectsURL("open"), user: "a-analyst", body: big}).wantError(t, http.StatusRequestEntityTooLarge)
	})
	t.Run("ErrChunked", func(t *testing.T) {
		// An io.Reader of unknown length makes the client send it chunked,
		// so only the server's MaxBytesReader can stop it.
		r, err := http.NewRequest(http.MethodPost, h.srv.URL+h.objectsURL("open"), io.MultiReader(strings.NewReader(string(big))))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer "+h.tokens["a-analyst"])
		r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
		resp, err := h.srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.ContentLength == 0 || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("OKJustUnder", func(t *testing.T) {
		h.post(t, "a-analyst", "open", indicators(100, 5))
	})
	if n := h.countObjects(t, "open"); n != 5 {
		t.Errorf("%d objects stored, want 5", n)
	}
}

func TestHostilePaths(t *testing.T) { forBackends(t, testHostilePaths) }

func testHostilePaths(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newHub(t, server.Config{})
	h.post(t, "a-analyst", "open", indicators(0, 2))
	paths := []string{
		"/acme-isac/collections/../../../etc/passwd",
		"/acme-isac/collections/%2e%2e%2f%2e%2e%2fetc%2fpasswd/objects/",
		"/acme-isac/collections/" + strings.Repeat("A", 10000) + "/",
		"/acme-isac/collections/%00/objects/",
		"/acme-isac/collections/%E2%80%AE/objects/",
		"/acme-isac/collections/'%20OR%201=1--/objects/",
		"/acme-isac/status/" + strings.Repeat("9", 5000) + "/",
		"/ACME-ISAC/",
		"/acme-isac",
		"/taxii2",
		"/%2e%2e/",
		"/taxii2/../acme-isac/collections/",
		"/acme-isac/collections/" + h.colls["open"].ID + "/objects/indicator--" + strings.Repeat("x", 3000) + "/",
		"/acme-isac/collections/" + h.colls["open"].ID + "/objects/?match[id]=" + strings.Repeat("a", 100000),
	}
	for _, p := range paths {
		t.Run(fmt.Sprintf("%.40s", p), func(t *testing.T) {
			res := h.do(t, req{path: p, user: "b-analyst"})
			switch res.status {
			case http.StatusOK, http.StatusNotFound, http.StatusBadRequest, http.StatusMovedPermanently, http.StatusRequestURITooLong:
			default:
				t.Fatalf("status %d: %s", res.status, clipBody(res.body))
			}
		})
	}
	t.Run("ErrMethod", func(t *testing.T) {
		res := h.do(t, req{method: http.MethodPut, path: h.objectsURL("open"), user: "b-analyst"})
		res.wantError(t, http.StatusMethodNotAllowed)
		if got := res.header.Get("Allow"); got != "GET, POST" {
			t.Errorf("Allow %q", got)
		}
		res = h.do(t, req{method: http.MethodPost, path: "/taxii2/", user: "b-analyst"})
		res.wantError(t, http.StatusMethodNotAllowed)
		if got := res.header.Get("Allow"); got != "GET" {
			t.Errorf("Allow %q", got)
		}
		res = h.do(t, req{method: http.MethodPost, path: h.objectsURL("open") + indicatorID(1) + "/", user: "b-analyst"})
		res.wantError(t, http.StatusMethodNotAllowed)
		if got := res.header.Get("Allow"); got != "GET, DELETE" {
			t.Errorf("Allow %q", got)
		}
		h.do(t, req{method: http.MethodGet, path: "/a/b/c/d/e/f/g/h/", user: "b-analyst"}).wantError(t, http.StatusNotFound)
	})
}

// failingStore is a real store whose AddObjects and CreateStatus fail, to
// check that a store failure becomes a generic 500 that leaks nothing.
type failingStore struct {
	isachub.Store
	failAdd, failStatus bool
}

func (f *failingStore) AddObjects(ctx context.Context, coll string, org int64, objs []*stix.Object) ([]isachub.AddResult, error) {
	if f.failAdd {
		return nil, errors.New("sqlite: disk I/O error at /var/secret/path")
	}
	return f.Store.AddObjects(ctx, coll, org, objs)
}

func (f *failingStore) CreateStatus(ctx context.Context, s *isachub.Status) error {
	if f.failStatus {
		return errors.New("sqlite: database is locked at /var/secret/path")
	}
	return f.Store.CreateStatus(ctx, s)
}

func TestStoreFailure(t *testing.T) {
	h := newHub(t, server.Config{})
	for _, tt := range []struct {
		name string
		fs   *failingStore
	}{
		{"ErrAddObjects", &failingStore{Store: h.store, failAdd: true}},
		{"ErrCreateStatus", &failingStore{Store: h.store, failStatus: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(server.New(server.Config{}, tt.fs, nil).Handler())
			defer srv.Close()
			r, _ := http.NewRequest(http.MethodPost, srv.URL+h.objectsURL("open"), strings.NewReader(string(indicators(0, 3))))
			r.Header.Set("Authorization", "Bearer "+h.tokens["a-analyst"])
			r.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "secret") || strings.Contains(string(body), "sqlite") {
				t.Errorf("status %d, body %s", resp.StatusCode, body)
			}
		})
	}
}
