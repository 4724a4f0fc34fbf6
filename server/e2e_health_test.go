package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/sqlite"
)

// TestHealth: /healthz and /readyz answer without credentials and say
// nothing but ok or unavailable; /readyz follows the store.
func TestHealth(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
		h := newHub(t, server.Config{})
		for _, path := range []string{"/healthz", "/readyz"} {
			resp := h.do(t, req{path: path, accept: "-"})
			if resp.status != http.StatusOK || strings.TrimSpace(string(resp.body)) != `{"status":"ok"}` {
				t.Fatalf("GET %s = %d %s", path, resp.status, resp.body)
			}
			if got := resp.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("GET %s: Cache-Control %q", path, got)
			}
			if resp := h.do(t, req{method: http.MethodPost, path: path}); resp.status != http.StatusMethodNotAllowed {
				t.Errorf("POST %s = %d, want 405", path, resp.status)
			}
		}
	})
	t.Run("NotReady", func(t *testing.T) {
		h := newHubOn(t, server.Config{}, unready{Store: newSQLite(t)})
		resp := h.do(t, req{path: "/readyz", accept: "-"})
		if resp.status != http.StatusServiceUnavailable || strings.TrimSpace(string(resp.body)) != `{"status":"unavailable"}` {
			t.Fatalf("GET /readyz = %d %s, want 503 unavailable without the reason", resp.status, resp.body)
		}
		if resp := h.do(t, req{path: "/healthz", accept: "-"}); resp.status != http.StatusOK {
			t.Fatalf("GET /healthz = %d: the process is alive", resp.status)
		}
	})
	t.Run("ClosedDatabase", func(t *testing.T) {
		db := newSQLite(t)
		h := newHubOn(t, server.Config{}, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if resp := h.do(t, req{path: "/readyz", accept: "-"}); resp.status != http.StatusServiceUnavailable {
			t.Fatalf("GET /readyz with the database closed = %d, want 503", resp.status)
		}
	})
}

// unready is a store whose schema is not the binary's.
type unready struct{ isachub.Store }

func (unready) Ready(context.Context) error { return errors.New("the database lacks migration 12") }

func newSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMetrics: GET /metrics answers the Prometheus text format with the
// requests by route and code, the objects ingested, store latency and the
// queues; with a token set, only to a request that carries it.
func TestMetrics(t *testing.T) {
	h := newHub(t, server.Config{})
	h.post(t, "a-analyst", "open", envelope(indicator(1, "2026-01-01T00:00:00.000Z")))
	h.do(t, req{path: root + "collections/", user: "a-analyst"}).want(t, http.StatusOK, nil)
	h.do(t, req{path: root + "collections/", user: "a-analyst"}).want(t, http.StatusOK, nil)
	resp := h.do(t, req{path: "/metrics", accept: "-"})
	if resp.status != http.StatusOK || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics = %d %s", resp.status, resp.header.Get("Content-Type"))
	}
	text := string(resp.body)
	for _, want := range []string{
		`isachub_http_requests_total{code="200",route="GET /{root}/collections/{$}"} 2`,
		`isachub_http_requests_total{code="202",route="POST /{root}/collections/{id}/objects/{$}"} 1`,
		`isachub_http_request_duration_seconds_count{route="GET /{root}/collections/{$}"} 2`,
		`isachub_objects_ingested_total{outcome="stored"} 1`,
		`isachub_store_duration_seconds_count{op="add_objects"} 1`,
		`isachub_store_duration_seconds_count{op="token_by_hash"}`,
		"isachub_queues_up 1",
		"isachub_statuses_pending 0",
		"isachub_moderation_queue 0",
		`isachub_webhooks_failing{state="dead"} 0`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, h.colls["open"].ID) || strings.Contains(text, "acme-isac") {
		t.Error("/metrics names a collection or a community: its labels must be routes, not paths")
	}

	t.Run("Token", func(t *testing.T) {
		h := newHub(t, server.Config{MetricsToken: "m-secret"})
		for _, auth := range []string{"", "Bearer wrong", "Basic bS1zZWNyZXQ="} {
			resp := h.do(t, req{path: "/metrics", accept: "-", header: http.Header{"Authorization": {auth}}})
			if resp.status != http.StatusUnauthorized || strings.Contains(string(resp.body), "go_goroutines") {
				t.Errorf("GET /metrics with %q = %d", auth, resp.status)
			}
		}
		resp := h.do(t, req{path: "/metrics", accept: "-", header: http.Header{"Authorization": {"Bearer m-secret"}}})
		if resp.status != http.StatusOK || !strings.Contains(string(resp.body), "isachub_http_requests_total") {
			t.Fatalf("GET /metrics with the token = %d", resp.status)
		}
	})
}

// TestRequestID: every answer carries an X-Request-Id, the client's own
// when it is sane, and the access-log line names it.
func TestRequestID(t *testing.T) {
	logged := &syncBuffer{}
	db := newSQLite(t)
	srv := httptest.NewServer(server.New(server.Config{}, db, slog.New(slog.NewTextHandler(logged, nil))).Handler())
	defer srv.Close()
	get := func(id string) string {
		t.Helper()
		r, _ := http.NewRequest(http.MethodGet, srv.URL+"/taxii2/", nil)
		r.Header.Set("Accept", "application/taxii+json;version=2.1")
		if id != "" {
			r.Header.Set(server.HeaderRequestID, id)
		}
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get(server.HeaderRequestID)
	}
	if got := get("lb-7f3a.9_x"); got != "lb-7f3a.9_x" {
		t.Errorf("a sane request id came back as %q", got)
	}
	for _, bad := range []string{"", "has space", "semi;colon", strings.Repeat("a", 65)} {
		if got := get(bad); len(got) != 16 || got == bad {
			t.Errorf("request id %q came back as %q, want a new 16-hex id", bad, got)
		}
	}
	srv.Close()
	if !strings.Contains(logged.String(), "request_id=lb-7f3a.9_x") {
		t.Errorf("the access log does not name the request id:\n%s", logged.String())
	}
}
