package taxii_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isachub/isachub/taxii"
)

// fast are the options of a client that retries without waiting long.
var fast = taxii.ClientOptions{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: 2 * time.Second}

// peer serves h on 127.0.0.1 and returns a client of its API root /api1/.
func peer(t *testing.T, opts taxii.ClientOptions, h http.HandlerFunc) *taxii.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := taxii.NewClient(srv.URL+"/api1/", opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// clientError checks that err is a *ClientError naming the server and the
// step, and saying want.
func clientError(t *testing.T, err error, step, want string) *taxii.ClientError {
	t.Helper()
	var ce *taxii.ClientError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is no *ClientError", err, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "127.0.0.1:") || !strings.Contains(msg, step) || !strings.Contains(msg, want) {
		t.Errorf("the error %q does not name the server, %q and %q", msg, step, want)
	}
	return ce
}

func TestClientRetries(t *testing.T) {
	t.Run("5xxAnd429ThenSuccess", func(t *testing.T) {
		var n atomic.Int32
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			switch n.Add(1) {
			case 1:
				writeJSON(w, http.StatusServiceUnavailable, taxii.Error{Title: "busy"})
			case 2:
				w.WriteHeader(http.StatusTooManyRequests)
			default:
				writeJSON(w, http.StatusOK, taxii.APIRoot{Title: "Root", Versions: []string{taxii.MediaTypeTAXII21}, MaxContentLength: 100})
			}
		})
		root, err := c.APIRoot(context.Background())
		if err != nil || root.Title != "Root" || n.Load() != 3 {
			t.Fatalf("%+v, %v after %d requests", root, err, n.Load())
		}
	})
	t.Run("GivesUp", func(t *testing.T) {
		var n atomic.Int32
		opts := fast
		opts.Retries = 2
		c := peer(t, opts, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeJSON(w, http.StatusBadGateway, taxii.Error{Title: "Upstream down", Description: "try later"})
		})
		_, err := c.Collections(context.Background())
		ce := clientError(t, err, "listing the collections", "502 Upstream down: try later")
		if n.Load() != 3 || ce.Status != http.StatusBadGateway || !ce.Answered() {
			t.Errorf("%d requests, %+v", n.Load(), ce)
		}
	})
	t.Run("NotRetried", func(t *testing.T) {
		var n atomic.Int32
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			writeJSON(w, http.StatusNotFound, taxii.Error{Title: "Not found", Description: "no collection \x1b[31mred"})
		})
		_, err := c.Collection(context.Background(), "c1")
		clientError(t, err, `reading collection "c1"`, "404 Not found: no collection  [31mred")
		if n.Load() != 1 {
			t.Errorf("a 404 was tried %d times", n.Load())
		}
	})
	t.Run("RetryAfter", func(t *testing.T) {
		var n atomic.Int32
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		start := time.Now()
		_, err := c.APIRoot(context.Background())
		clientError(t, err, "reading the API root", "retry after 1h0m0s")
		if n.Load() != 1 || time.Since(start) > time.Second {
			t.Errorf("%d requests in %s: an hour's Retry-After must not be waited for", n.Load(), time.Since(start))
		}
	})
	t.Run("NetworkError", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens there now
		c, err := taxii.NewClient("http://"+addr+"/api1/", fast)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIRoot(context.Background())
		clientError(t, err, "reading the API root", "cannot reach the server")
	})
	t.Run("Cancelled", func(t *testing.T) {
		c := peer(t, taxii.ClientOptions{MinBackoff: time.Hour, MaxBackoff: time.Hour}, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := c.APIRoot(ctx); err == nil || time.Since(start) > 5*time.Second {
			t.Fatalf("%v after %s", err, time.Since(start))
		}
	})
}

// TestClientHostile holds the client to bounded time and memory, and a
// clear error, against servers that misbehave.
func TestClientHostile(t *testing.T) {
	ctx := context.Background()
	t.Run("Slow", func(t *testing.T) {
		opts := fast
		opts.Timeout, opts.Retries = 100*time.Millisecond, 1
		release := make(chan struct{})
		c := peer(t, opts, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		start := time.Now()
		_, err := c.APIRoot(ctx)
		clientError(t, err, "reading the API root", "cannot reach the server")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("a slow server held the client %s", d)
		}
	})
	t.Run("Huge", func(t *testing.T) {
		opts := fast
		opts.MaxResponse = 1 << 20
		c := peer(t, opts, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
			w.Write([]byte(`{"objects":["`))
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 1 << 14 { // 1 GiB, unless the client hangs up first
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		})
		_, err := c.Objects(ctx, "c1", taxii.PageQuery{})
		clientError(t, err, `getting objects of collection "c1"`, "larger than 1048576 bytes")
	})
	t.Run("NotJSON", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
			w.Write([]byte(`{"objects": [{"type": "indicator"`))
		})
		_, err := c.Objects(ctx, "c1", taxii.PageQuery{})
		clientError(t, err, `getting objects of collection "c1"`, "not the expected TAXII 2.1 resource")
	})
	t.Run("BadHeader", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-TAXII-Date-Added-Last", "yesterday")
			writeJSON(w, http.StatusOK, taxii.Envelope{})
		})
		_, err := c.Objects(ctx, "c1", taxii.PageQuery{})
		clientError(t, err, `getting objects of collection "c1"`, "X-TAXII-Date-Added-Last header")
	})
	t.Run("Redirect", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://elsewhere.example/api1/", http.StatusFound)
		})
		_, err := c.APIRoot(ctx)
		clientError(t, err, "reading the API root", "redirects are not followed")
	})
}

// objectJSON is a small STIX object, the n-th of a series.
func objectJSON(n int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"indicator","id":"indicator--%08x-0000-4000-8000-000000000000", "n": %d}`, n, n))
}

// TestClientPaging pages with next, with the X-TAXII-Date-Added-Last
// fallback, and refuses to loop with servers that lie about more.
func TestClientPaging(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	collect := func(c *taxii.Client, q taxii.PageQuery) ([]json.RawMessage, int, error) {
		var all []json.RawMessage
		pages := 0
		err := c.EachPage(ctx, "c1", q, func(p *taxii.ObjectsPage) error {
			pages++
			all = append(all, p.Objects...)
			return nil
		})
		return all, pages, err
	}
	t.Run("Next", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			if got := r.URL.Query().Get("match[type]"); got != "indicator,malware" {
				t.Errorf("match[type] = %q", got)
			}
			start := 0
			fmt.Sscan(r.URL.Query().Get("next"), &start)
			env := taxii.Envelope{}
			for i := start; i < min(start+3, 10); i++ {
				env.Objects = append(env.Objects, objectJSON(i))
			}
			if start+3 < 10 {
				env.More, env.Next = true, fmt.Sprint(start+3)
			}
			// written by hand: an encoder would compact the objects
			raws := make([]string, len(env.Objects))
			for i, o := range env.Objects {
				raws[i] = string(o)
			}
			w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
			fmt.Fprintf(w, `{"more": %t, "next": %q, "objects": [%s]}`, env.More, env.Next, strings.Join(raws, ", "))
		})
		all, pages, err := collect(c, taxii.PageQuery{Limit: 3, Match: map[string][]string{"type": {"indicator", "malware"}}})
		if err != nil || len(all) != 10 || pages != 4 {
			t.Fatalf("%d objects in %d pages, %v", len(all), pages, err)
		}
		if string(all[9]) != string(objectJSON(9)) {
			t.Errorf("object 9 is %s, not as sent", all[9])
		}
	})
	t.Run("DateAddedFallback", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			after := base.Add(-time.Second)
			if v := r.URL.Query().Get("added_after"); v != "" {
				after, _ = taxii.ParseTimestamp(v)
			}
			env := taxii.Envelope{}
			i := int(after.Sub(base)/time.Second) + 1
			var last time.Time
			for ; i < 10 && len(env.Objects) < 4; i++ {
				env.Objects = append(env.Objects, objectJSON(i))
				last = base.Add(time.Duration(i) * time.Second)
			}
			env.More = i < 10
			if !last.IsZero() {
				w.Header().Set("X-TAXII-Date-Added-Last", taxii.FormatTimestamp(last))
			}
			writeJSON(w, http.StatusOK, env)
		})
		all, pages, err := collect(c, taxii.PageQuery{})
		if err != nil || len(all) != 10 || pages != 3 {
			t.Fatalf("%d objects in %d pages, %v", len(all), pages, err)
		}
	})
	for _, tc := range []struct {
		name string
		page func(n int) (taxii.Envelope, string) // the envelope and X-TAXII-Date-Added-Last
		want string
	}{
		{"RepeatedNext", func(int) (taxii.Envelope, string) {
			return taxii.Envelope{More: true, Next: "again", Objects: []json.RawMessage{objectJSON(1)}}, ""
		}, `sent the next token "again" again`},
		{"CycleOfNext", func(n int) (taxii.Envelope, string) {
			return taxii.Envelope{More: true, Next: fmt.Sprint(n % 3), Objects: []json.RawMessage{objectJSON(n)}}, ""
		}, "paging would never end"},
		{"MoreWithoutWayOn", func(int) (taxii.Envelope, string) {
			return taxii.Envelope{More: true, Objects: []json.RawMessage{objectJSON(1)}}, ""
		}, "neither next nor X-TAXII-Date-Added-Last"},
		{"DateDoesNotAdvance", func(int) (taxii.Envelope, string) {
			return taxii.Envelope{More: true, Objects: []json.RawMessage{objectJSON(1)}}, taxii.FormatTimestamp(base)
		}, "does not advance"},
		{"EmptyPagesSayMore", func(n int) (taxii.Envelope, string) {
			return taxii.Envelope{More: true, Next: fmt.Sprint(n)}, ""
		}, "empty pages in a row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
				env, last := tc.page(int(n.Add(1)))
				if last != "" {
					w.Header().Set("X-TAXII-Date-Added-Last", last)
				}
				writeJSON(w, http.StatusOK, env)
			})
			_, pages, err := collect(c, taxii.PageQuery{})
			clientError(t, err, `paging through collection "c1"`, tc.want)
			if pages > 10 {
				t.Errorf("%d pages before giving up", pages)
			}
		})
	}
	t.Run("FnStops", func(t *testing.T) {
		c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, taxii.Envelope{More: true, Next: r.URL.Query().Get("next") + "x", Objects: []json.RawMessage{objectJSON(1)}})
		})
		stop := errors.New("enough")
		pages := 0
		err := c.EachPage(ctx, "c1", taxii.PageQuery{}, func(*taxii.ObjectsPage) error {
			if pages++; pages == 5 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || pages != 5 {
			t.Errorf("%v after %d pages", err, pages)
		}
	})
}

// TestClientWaitStatus follows a pending status to completion.
func TestClientWaitStatus(t *testing.T) {
	var polls atomic.Int32
	c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/collections/c1/objects/"):
			if r.Header.Get("Content-Type") != taxii.MediaTypeTAXII21 {
				t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
			}
			writeJSON(w, http.StatusAccepted, taxii.Status{ID: "s1", Status: taxii.StatusPending, TotalCount: 1, PendingCount: 1})
		case strings.HasSuffix(r.URL.Path, "/status/s1/"):
			st := taxii.Status{ID: "s1", Status: taxii.StatusPending, TotalCount: 1, PendingCount: 1}
			if polls.Add(1) == 2 {
				st = taxii.Status{ID: "s1", Status: taxii.StatusComplete, TotalCount: 1, SuccessCount: 1}
			}
			writeJSON(w, http.StatusOK, st)
		default:
			http.NotFound(w, r)
		}
	})
	ctx := context.Background()
	st, err := c.AddObjects(ctx, "c1", []byte(`{"objects":[`+string(objectJSON(1))+`]}`))
	if err != nil || st.Status != taxii.StatusPending {
		t.Fatalf("%+v, %v", st, err)
	}
	st, err = c.WaitStatus(ctx, st)
	if err != nil || st.Status != taxii.StatusComplete || st.SuccessCount != 1 || polls.Load() != 2 {
		t.Fatalf("%+v, %v after %d polls", st, err, polls.Load())
	}
}

func TestPageQueryEncode(t *testing.T) {
	q := taxii.PageQuery{AddedAfter: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), Limit: 50, Next: "a b",
		Match: map[string][]string{"type": {"indicator"}, "id": {"indicator--1", "indicator--2"}, "version": nil}}
	want := "added_after=2026-01-02T03%3A04%3A05.000006Z&limit=50&match%5Bid%5D=indicator--1%2Cindicator--2&match%5Btype%5D=indicator&next=a+b"
	if got := q.Encode(); got != want {
		t.Errorf("%s\nwant %s", got, want)
	}
}

// TestClientStream reads an answer larger than MaxResponse and slower than
// Timeout as it comes, sends once only, and refuses other statuses as Do.
func TestClientStream(t *testing.T) {
	ctx := context.Background()
	opts := fast
	opts.MaxResponse, opts.Timeout = 1<<10, 300*time.Millisecond
	var n atomic.Int32
	c := peer(t, opts, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1); r.URL.Query().Get("fail") != "" {
			writeJSON(w, http.StatusServiceUnavailable, taxii.Error{Title: "busy"})
			return
		}
		w.Write([]byte(strings.Repeat("x", 4<<10)))
		w.(http.Flusher).Flush()
		time.Sleep(2 * opts.Timeout)
		w.Write([]byte("end"))
	})
	resp, err := c.Stream(ctx, taxii.Request{Method: http.MethodGet, URL: c.Endpoint("export"), Step: "downloading"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || len(body) != 4<<10+3 {
		t.Fatalf("%d bytes, %v", len(body), err)
	}
	_, err = c.Stream(ctx, taxii.Request{Method: http.MethodGet, URL: c.Endpoint("export") + "?fail=1", Step: "downloading"})
	if ce := clientError(t, err, "downloading", "503 busy"); !ce.Answered() || n.Load() != 2 {
		t.Errorf("answered %t after %d requests", ce.Answered(), n.Load())
	}
}

// TestClientManifestPaging pages through a manifest with next.
func TestClientManifestPaging(t *testing.T) {
	c := peer(t, fast, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/collections/c1/manifest/") {
			http.NotFound(w, r)
			return
		}
		start := 0
		fmt.Sscan(r.URL.Query().Get("next"), &start)
		m := taxii.Manifest{}
		for i := start; i < min(start+2, 5); i++ {
			m.Objects = append(m.Objects, taxii.ManifestRecord{ID: fmt.Sprintf("indicator--%d", i), DateAdded: "2026-12-01T00:00:00Z", Version: "2026-12-01T00:00:00Z"})
		}
		if start+2 < 5 {
			m.More, m.Next = true, fmt.Sprint(start+2)
		}
		writeJSON(w, http.StatusOK, m)
	})
	var ids []string
	err := c.EachManifestPage(context.Background(), "c1", taxii.PageQuery{Limit: 2}, func(p *taxii.ManifestPage) error {
		for _, rec := range p.Objects {
			ids = append(ids, rec.ID)
		}
		return nil
	})
	if err != nil || len(ids) != 5 || ids[4] != "indicator--4" {
		t.Fatalf("%v, %v", ids, err)
	}
}
