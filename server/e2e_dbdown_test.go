package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/server"
)

// TestDatabaseUnreachable: the hub reaches PostgreSQL through a TCP proxy
// that the test cuts, as a restart or a network failure would. While it is
// cut, requests fail fast with 503 and Retry-After and /readyz says
// unavailable; when it is back, the same hub answers again without a
// restart. The UI's pages answer 503 too.
func TestDatabaseUnreachable(t *testing.T) {
	dsn := freshSchema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr
	db, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := newHubOn(t, server.Config{}, db)
	h.do(t, req{path: root + "collections/", user: "a-analyst"}).want(t, http.StatusOK, nil)
	b := h.browser(t)
	b.signInAs("a-analyst")

	p.cut()
	for _, r := range []req{
		{path: root + "collections/", user: "b-analyst"},
		{path: h.objectsURL("open"), user: "a-analyst"},
	} {
		start := time.Now()
		resp := h.do(t, r)
		if resp.status != http.StatusServiceUnavailable || resp.header.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database cut = %d %s", r.path, resp.status, resp.body)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("GET %s took %s to fail", r.path, d)
		}
	}
	if resp := h.do(t, req{path: "/readyz", accept: "-"}); resp.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database cut = %d", resp.status)
	}
	if pg := b.get("/ui/collections"); pg.status != http.StatusServiceUnavailable || pg.header.Get("Retry-After") == "" {
		t.Errorf("a UI page with the database cut = %d", pg.status)
	}

	p.restore(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp := h.do(t, req{path: root + "collections/", user: "b-analyst"})
		if resp.status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hub did not recover when the database came back: %d %s", resp.status, resp.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if resp := h.do(t, req{path: "/readyz", accept: "-"}); resp.status != http.StatusOK {
		t.Errorf("/readyz after the database came back = %d", resp.status)
	}
}

// tcpProxy forwards connections to a target until cut, which closes its
// listener and every connection; restore listens again on the same port.
type tcpProxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String(), target: target}
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}
