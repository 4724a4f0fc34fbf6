package main

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSlowloris: hundreds of clients that send their headers a byte at a
// time hold no slot a real client needs: while they dribble, a normal
// request is answered at once, and serve's limit on concurrent requests
// (here 4) is not spent on them, because a request counts only once its
// headers are in.
func TestSlowloris(t *testing.T) {
	base, stop := startServe(t, filepath.Join(t.TempDir(), "slow.db"), "--max-concurrent", "4")
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 300 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte("GET /taxii2/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for round := range 3 {
		for _, c := range conns {
			c.Write([]byte("a"))
		}
		start := time.Now()
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || time.Since(start) > 2*time.Second {
			t.Fatalf("round %d: GET /readyz = %d in %s while 300 clients dribble", round, resp.StatusCode, time.Since(start))
		}
		resp, err = http.Get(base + "/taxii2/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("round %d: GET /taxii2/ = %d, want 401 (answered, not queued behind the dribblers)", round, resp.StatusCode)
		}
	}
}
