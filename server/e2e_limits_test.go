package server_test

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub/server"
)

// TestRateLimits: a credential over its rate gets 429 with Retry-After,
// and only it: another member's token goes on being answered. An address
// over its rate gets 429 whatever the credential.
func TestRateLimits(t *testing.T) {
	t.Run("PerCaller", func(t *testing.T) {
		h := newHub(t, server.Config{Limits: server.Limits{PerCaller: 0.01, CallerBurst: 3}})
		for range 3 {
			h.do(t, req{path: root + "collections/", user: "a-analyst"}).want(t, http.StatusOK, nil)
		}
		resp := h.do(t, req{path: root + "collections/", user: "a-analyst"})
		if resp.status != http.StatusTooManyRequests {
			t.Fatalf("the 4th request = %d, want 429", resp.status)
		}
		if n, err := strconv.Atoi(resp.header.Get("Retry-After")); err != nil || n < 60 {
			t.Errorf("Retry-After %q: at 0.01 requests/s a token comes in 100 s", resp.header.Get("Retry-After"))
		}
		h.do(t, req{path: root + "collections/", user: "b-analyst"}).want(t, http.StatusOK, nil)
		// A password user is limited by user across requests, like a token.
		for range 3 {
			h.do(t, req{path: root + "collections/", basic: [2]string{"c-analyst", "pw-c-analyst"}}).want(t, http.StatusOK, nil)
		}
		if resp := h.do(t, req{path: root + "collections/", basic: [2]string{"c-analyst", "pw-c-analyst"}}); resp.status != http.StatusTooManyRequests {
			t.Fatalf("the 4th password request = %d, want 429", resp.status)
		}
	})
	t.Run("PerAddress", func(t *testing.T) {
		h := newHub(t, server.Config{Limits: server.Limits{PerAddress: 0.01, AddressBurst: 2}})
		h.do(t, req{path: "/taxii2/", user: "a-analyst"}).want(t, http.StatusOK, nil)
		h.do(t, req{path: "/taxii2/"}).want(t, http.StatusUnauthorized, nil)
		for _, user := range []string{"a-analyst", "b-analyst", ""} {
			if resp := h.do(t, req{path: "/taxii2/", user: user}); resp.status != http.StatusTooManyRequests || resp.header.Get("Retry-After") == "" {
				t.Errorf("GET /taxii2/ as %q after the address's burst = %d", user, resp.status)
			}
		}
		if resp := h.do(t, req{path: "/ui/login", accept: "text/html"}); resp.status != http.StatusTooManyRequests {
			t.Errorf("GET /ui/login after the address's burst = %d", resp.status)
		}
		// The probes are outside the limits: a load balancer must reach them.
		if resp := h.do(t, req{path: "/healthz", accept: "-"}); resp.status != http.StatusOK {
			t.Errorf("GET /healthz after the address's burst = %d", resp.status)
		}
	})
}

// TestMaxConcurrent: beyond MaxConcurrent requests at once, a request waits
// for a slot and, when none frees in time, answers 503 with Retry-After
// (TestIsStream: live streams take no slot).
func TestMaxConcurrent(t *testing.T) {
	h := newHub(t, server.Config{Limits: server.Limits{MaxConcurrent: 1}})
	// Hold the one slot with a POST whose body never ends.
	pr, pw := io.Pipe()
	defer pw.Close()
	held := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r, _ := http.NewRequest(http.MethodPost, h.srv.URL+h.objectsURL("open"), pr)
		r.Header.Set("Authorization", "Bearer "+h.tokens["a-analyst"])
		r.Header.Set("Content-Type", "application/taxii+json;version=2.1")
		r.Header.Set("Accept", "application/taxii+json;version=2.1")
		close(held)
		if resp, err := h.srv.Client().Do(r); err == nil {
			resp.Body.Close()
		}
	}()
	<-held
	pw.Write([]byte(`{"objects":[`))
	// Wait until the POST holds the slot.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp := h.do(t, req{path: "/taxii2/", user: "b-analyst"})
		if resp.status == http.StatusServiceUnavailable {
			if resp.header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 503 while the slot is held: %d", resp.status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	pw.Close()
	wg.Wait()
	h.do(t, req{path: "/taxii2/", user: "b-analyst"}).want(t, http.StatusOK, nil)
}
