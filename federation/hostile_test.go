package federation_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/taxii"
)

// hostileCollection is the one collection of a hostileRemote.
const hostileCollection = "coll-1"

// hostileRemote is a TAXII 2.1 server on 127.0.0.1 with one API root,
// /api1/, and one collection holding objs, perPage to a page, the i-th
// added at dateAdded(i). Discovery, the API root and the collection are
// answered honestly; the objects endpoint misbehaves as misbehave says
// (nil: never) until honest is set.
type hostileRemote struct {
	objs      []string
	perPage   int
	misbehave func(h *hostileRemote, w http.ResponseWriter, r *http.Request)
	honest    atomic.Bool
	served    atomic.Int64 // bytes of hugeBody sent
	root      string       // the API root URL
}

var hostileEpoch = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func (h *hostileRemote) dateAdded(i int) time.Time {
	return hostileEpoch.Add(time.Duration(i+1) * time.Second)
}

func newHostileRemote(t *testing.T, objs []string, misbehave func(*hostileRemote, http.ResponseWriter, *http.Request)) *hostileRemote {
	t.Helper()
	h := &hostileRemote{objs: objs, perPage: 3, misbehave: misbehave}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h.root = srv.URL + "/api1/"
	answer := func(v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { writeTAXII(w, v) }
	}
	coll := taxii.Collection{ID: hostileCollection, Title: "Hostile", CanRead: true, MediaTypes: []string{taxii.MediaTypeSTIX21}}
	mux.Handle("GET /taxii2/", answer(taxii.Discovery{Title: "Hostile peer", Default: h.root, APIRoots: []string{h.root}}))
	mux.Handle("GET /api1/", answer(taxii.APIRoot{Title: "Hostile root", Versions: []string{taxii.MediaTypeTAXII21}, MaxContentLength: 10 << 20}))
	mux.Handle("GET /api1/collections/", answer(taxii.Collections{Collections: []taxii.Collection{coll}}))
	mux.Handle("GET /api1/collections/"+hostileCollection+"/", answer(coll))
	mux.HandleFunc("GET /api1/collections/"+hostileCollection+"/objects/", func(w http.ResponseWriter, r *http.Request) {
		if h.misbehave == nil || h.honest.Load() {
			h.page(w, r)
		} else {
			h.misbehave(h, w, r)
		}
	})
	return h
}

func writeTAXII(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
	w.Write(data)
}

// start returns the index of the first object the request asks for: its
// next token (an index), else the first added after added_after.
func (h *hostileRemote) start(r *http.Request) int {
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("next")); err == nil {
		return n
	}
	if a := q.Get("added_after"); a != "" {
		t, err := taxii.ParseTimestamp(a)
		if err == nil {
			for i := range h.objs {
				if h.dateAdded(i).After(t) {
					return i
				}
			}
			return len(h.objs)
		}
	}
	return 0
}

// page answers the request honestly (TAXII 2.1 section 3.4: next, and
// the X-TAXII-Date-Added-First and -Last headers of section 3.3.1).
func (h *hostileRemote) page(w http.ResponseWriter, r *http.Request) {
	i := min(h.start(r), len(h.objs))
	end := min(i+h.perPage, len(h.objs))
	next := ""
	if end < len(h.objs) {
		next = strconv.Itoa(end)
	}
	h.writePage(w, i, end, next != "", next, true)
}

// writePage answers objs[i:end] with more and next as given, and the
// date headers when dates is set.
func (h *hostileRemote) writePage(w http.ResponseWriter, i, end int, more bool, next string, dates bool) {
	env := taxii.Envelope{More: more, Next: next}
	for _, o := range h.objs[i:end] {
		env.Objects = append(env.Objects, json.RawMessage(o))
	}
	if dates && end > i {
		w.Header().Set("X-TAXII-Date-Added-First", taxii.FormatTimestamp(h.dateAdded(i)))
		w.Header().Set("X-TAXII-Date-Added-Last", taxii.FormatTimestamp(h.dateAdded(end-1)))
	}
	writeTAXII(w, env)
}

// firstPageHonest answers the first page honestly and later ones with
// bad: a peer that turns hostile in the middle of a pull.
func firstPageHonest(bad func(h *hostileRemote, w http.ResponseWriter, r *http.Request)) func(*hostileRemote, http.ResponseWriter, *http.Request) {
	return func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Get("next") == "" && q.Get("added_after") == "" {
			h.page(w, r)
			return
		}
		bad(h, w, r)
	}
}

// rawBody answers with body, whatever was asked.
func rawBody(body string) func(*hostileRemote, http.ResponseWriter, *http.Request) {
	return func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
		io.WriteString(w, body)
	}
}

// hugeBody is an answer of left bytes made as it is read, never held: the
// start of an envelope, then the same object again and again.
type hugeBody struct {
	left   int64
	start  []byte // what is still to be sent of the envelope's start
	offset int    // in hugeUnit
	served *atomic.Int64
}

var hugeUnit = []byte(indicator(424242, strings.Repeat("padding ", 100), tlpClear) + ",")

func (b *hugeBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n := copy(p, b.start)
	b.start = b.start[n:]
	for n < len(p) {
		c := copy(p[n:], hugeUnit[b.offset:])
		b.offset = (b.offset + c) % len(hugeUnit)
		n += c
	}
	b.left -= int64(n)
	b.served.Add(int64(n))
	return n, nil
}

const gigabyte = 1 << 30

// sendGigabyte answers with a 1 GiB envelope, stopping when the client
// hangs up.
func sendGigabyte(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
	io.Copy(w, &hugeBody{left: gigabyte, start: []byte(`{"more":false,"objects":[`), served: &h.served})
}

// trickleBody sends the start of a page, then a space every 20 ms, for
// ever (until the client hangs up).
func trickleBody(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
	io.WriteString(w, `{"more":false,"objects":[`)
	for {
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
		if _, err := io.WriteString(w, " "); err != nil {
			return
		}
	}
}

// trickleHeaders takes the connection over and sends the status line and
// one endless header a byte every 20 ms (a slowloris in reverse), until
// the client hangs up or 5 s pass.
func trickleHeaders(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	buf.WriteString("HTTP/1.1 200 OK\r\nX-Slow: ")
	for buf.Flush() == nil {
		time.Sleep(20 * time.Millisecond)
		buf.WriteByte('z')
	}
}

// hostileOptions are the client options of the hostile tests: a short
// timeout, one retry, and tiny backoffs.
var hostileOptions = taxii.ClientOptions{Timeout: 300 * time.Millisecond, Retries: 1, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// hostileCase is one hostile peer: the remote collection (default: nine
// TLP:CLEAR indicators), how it misbehaves, and what the pull must do.
type hostileCase struct {
	name      string
	objs      []string
	misbehave func(*hostileRemote, http.ResponseWriter, *http.Request)
	opts      *taxii.ClientOptions // default hostileOptions
	// step and want are in the error of the run; "" for a run that must
	// succeed.
	step, want string
	// stored are the indexes of the remote objects the hostile run
	// stores; storable those an honest run ends with (default all).
	stored, storable []int
	refused          int
	// maxAlloc, when set, bounds the bytes allocated during the run.
	maxAlloc uint64
	slow     bool // skipped with -short
}

// upTo returns the indexes 0 to n-1.
func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestHostilePeers pulls from TAXII servers that misbehave on the objects
// endpoint (issue 14's hostile peers), most of them after a first honest
// page: every run ends in bounded time and memory, with an error naming
// the server and the step when it cannot go on; it stores the good pages
// with their origins and nothing of the bad one, refuses what is invalid
// or forged one object at a time, leaves a checkpoint no later than what
// it stored, and a run against the server once honest ends with exactly
// the remote set, each version once.
func TestHostilePeers(t *testing.T) {
	const own = "identity--aaaaaaaa-0000-4000-8000-000000000001"
	forge := func(obj, ref string) string {
		return strings.Replace(obj, `"name"`, `"created_by_ref":"`+ref+`","name"`, 1)
	}
	var forged []string
	for i := range 9 {
		o := indicator(i+1, fmt.Sprintf("remote %d", i+1), tlpClear)
		switch i {
		case 1: // in the middle of the first page
			o = forge(o, own)
		case 4: // the same identity, escaped
			o = forge(o, `identity\u002d-aaaaaaaa-0000-4000-8000-000000000001`)
		case 5: // someone else's identity: fine
			o = forge(o, "identity--bbbbbbbb-0000-4000-8000-000000000002")
		case 6: // the same identity, its UUID in upper case (RFC 9562
			// section 4: the same UUID; STIX's schema allows it)
			o = forge(o, own[:10]+strings.ToUpper(own[10:]))
		case 7:
			o = forge(o, own)
		}
		forged = append(forged, o)
	}
	huge := hostileOptions
	huge.MaxResponse = 4 << 20
	var stopped atomic.Int32 // requests answered with empty pages
	cases := []hostileCase{
		{name: "SlowHeaders", misbehave: firstPageHonest(trickleHeaders),
			step: `getting objects of collection "coll-1"`, want: "awaiting headers", stored: upTo(3)},
		{name: "SlowBody", misbehave: firstPageHonest(trickleBody),
			step: `getting objects of collection "coll-1"`, want: "reading the answer", stored: upTo(3)},
		{name: "MoreWithoutNextOrDate", misbehave: firstPageHonest(func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			i := h.start(r)
			h.writePage(w, i, i+3, true, "", false)
		}), step: `paging through collection "coll-1"`, want: "neither next nor X-TAXII-Date-Added-Last", stored: upTo(6)},
		{name: "MoreWithDateThatDoesNotAdvance", misbehave: func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			h.writePage(w, 0, 3, true, "", true) // added_after ignored
		}, step: `paging through collection "coll-1"`, want: "does not advance past added_after", stored: upTo(3)},
		{name: "MoreWithEmptyPages", misbehave: firstPageHonest(func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			writeTAXII(w, taxii.Envelope{More: true, Next: fmt.Sprintf("empty-%d", stopped.Add(1))})
		}), step: `paging through collection "coll-1"`, want: "empty pages in a row", stored: upTo(3)},
		{name: "SameNextForever", misbehave: func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			h.writePage(w, 0, 3, true, "again", true)
		}, step: `paging through collection "coll-1"`, want: `the next token "again" again`, stored: upTo(3)},
		{name: "NextCycle", misbehave: func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			// "" and "p0" give the first page, "p1" the second: p0, p1, p0, ...
			if r.URL.Query().Get("next") == "p1" {
				h.writePage(w, 3, 6, true, "p0", true)
			} else {
				h.writePage(w, 0, 3, true, "p1", true)
			}
		}, step: `paging through collection "coll-1"`, want: `the next token "p1" again`, stored: upTo(6)},
		{name: "GigabyteBody", misbehave: firstPageHonest(sendGigabyte), opts: &huge,
			step: `getting objects of collection "coll-1"`, want: "larger than 4194304 bytes", stored: upTo(3), maxAlloc: 64 << 20},
		// The Syncer's defaults (no ClientOptions at all) bound an answer
		// at taxii's 64 MiB.
		{name: "GigabyteBodyDefaults", misbehave: firstPageHonest(sendGigabyte), opts: &taxii.ClientOptions{},
			step: `getting objects of collection "coll-1"`, want: "larger than 67108864 bytes", stored: upTo(3), maxAlloc: gigabyte / 2, slow: true},
		{name: "TruncatedJSON", misbehave: firstPageHonest(rawBody(`{"more":false,"objects":[{"type":"indicator"`)),
			step: `getting objects of collection "coll-1"`, want: "not the expected TAXII 2.1 resource", stored: upTo(3)},
		{name: "TruncatedConnection", misbehave: firstPageHonest(func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10000")
			io.WriteString(w, `{"more":false,"objects":[`)
		}), step: `getting objects of collection "coll-1"`, want: "unexpected EOF", stored: upTo(3)},
		{name: "WrongTypes", misbehave: firstPageHonest(rawBody(`{"more":"yes","next":7,"objects":[]}`)),
			step: `getting objects of collection "coll-1"`, want: "not the expected TAXII 2.1 resource", stored: upTo(3)},
		{name: "ObjectsNotAnArray", misbehave: firstPageHonest(rawBody(`{"more":false,"objects":{"type":"indicator"}}`)),
			step: `getting objects of collection "coll-1"`, want: "not the expected TAXII 2.1 resource", stored: upTo(3)},
		{name: "NotJSONAtAll", misbehave: firstPageHonest(rawBody("<html>500 Internal Server Error</html>")),
			step: `getting objects of collection "coll-1"`, want: "not the expected TAXII 2.1 resource", stored: upTo(3)},
		// Elements that are not objects are refused one by one; the
		// objects around them, and the pages after, are stored.
		{name: "ElementsNotObjects", misbehave: firstPageHonest(func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			if h.start(r) != 3 {
				h.page(w, r)
				return
			}
			w.Header().Set("X-TAXII-Date-Added-Last", taxii.FormatTimestamp(h.dateAdded(5)))
			w.Header().Set("Content-Type", taxii.MediaTypeTAXII21)
			fmt.Fprintf(w, `{"more":true,"next":"6","objects":[1,%s,"two",%s,null,%s,[]]}`, h.objs[3], h.objs[4], h.objs[5])
		}), stored: upTo(9), refused: 4},
		// A date far in the future would move the checkpoint past what the
		// peer adds until then: the page is not stored.
		{name: "FutureDateAdded", misbehave: firstPageHonest(func(h *hostileRemote, w http.ResponseWriter, r *http.Request) {
			i := h.start(r)
			w.Header().Set("X-TAXII-Date-Added-Last", taxii.FormatTimestamp(time.Now().AddDate(10, 0, 0)))
			h.writePage(w, i, i+3, true, strconv.Itoa(i+3), false)
		}), step: `paging through collection "coll-1"`, want: "ahead of this clock", stored: upTo(3)},
		// Objects that claim our own community's identity, in the middle
		// of good pages, are refused; the rest is stored.
		{name: "ForgedOwnIdentity", objs: forged, stored: []int{0, 2, 3, 5, 8}, storable: []int{0, 2, 3, 5, 8}, refused: 4},
	}
	// One hub for every case: each hub costs a database and its migrations.
	hub := newTestHub(t, "aviation-isac")
	hub.comm.IdentityID = own
	must(t, hub.store.UpdateCommunity(context.Background(), hub.comm))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && testing.Short() {
				t.Skip("allocates about 300 MB; not with -short")
			}
			objs := c.objs
			if objs == nil {
				for i := range 9 {
					objs = append(objs, indicator(i+1, fmt.Sprintf("remote %d", i+1), tlpClear))
				}
			}
			remote := newHostileRemote(t, objs, c.misbehave)
			opts := hostileOptions
			if c.opts != nil {
				opts = *c.opts
			}
			// A collection and a peer of the hub's own for each case.
			alias := "hostile-" + strings.ToLower(c.name)
			coll := &isachub.Collection{CommunityID: hub.comm.ID, Alias: alias, Title: c.name, ReadAll: true, WriteAll: true}
			must(t, hub.store.CreateCollection(context.Background(), coll))
			hub.colls[alias] = coll
			peer, syncer := hostilePeer(t, hub, alias, remote.root, opts)
			sub := subscribe(t, hub, peer, isachub.Pull, hostileCollection, coll.ID)

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			res := syncer.Run(context.Background(), sub)
			took := time.Since(start)
			runtime.ReadMemStats(&after)

			// Bounded: a hostile peer that held the run would hold it until
			// the test's own timeout.
			if took > 10*time.Second {
				t.Errorf("the run took %s", took)
			}
			// TotalAlloc counts every byte allocated, freed or not: an
			// upper bound of the heap's growth.
			if alloc := after.TotalAlloc - before.TotalAlloc; c.maxAlloc > 0 && alloc > c.maxAlloc {
				t.Errorf("the run allocated %d MiB, more than %d MiB", alloc>>20, c.maxAlloc>>20)
			}
			if c.maxAlloc > 0 && remote.served.Load() >= gigabyte/4 {
				t.Errorf("the client read %d MiB of the gigabyte before hanging up", remote.served.Load()>>20)
			}
			stored := hostileStored(t, hub, alias, peer, c.stored)
			if c.step == "" {
				if res.Err != nil {
					t.Fatalf("the run failed: %v", res.Err)
				}
			} else {
				hostileError(t, res.Err, c.step, c.want)
			}
			t.Logf("in %s: moved %d, refused %d, err: %v", took.Round(time.Millisecond), res.Moved, res.Refused, res.Err)
			if res.Refused != c.refused {
				t.Errorf("refused %d, want %d: %q", res.Refused, c.refused, res.Refusals)
			}
			// The checkpoint points no later than the last object stored.
			subs, err := hub.store.Subscriptions(context.Background(), peer.ID)
			must(t, err)
			got := subs[0]
			if c.step != "" && got.LastError == "" {
				t.Errorf("the subscription records no error")
			}
			if got.Checkpoint != "" {
				cp, err := taxii.ParseTimestamp(got.Checkpoint)
				must(t, err)
				handled := len(objs) - 1 // a run that succeeds read them all
				if c.step != "" && len(stored) > 0 {
					handled = stored[len(stored)-1]
				}
				if c.step != "" && len(stored) == 0 || cp.After(remote.dateAdded(handled)) {
					t.Errorf("the checkpoint %s is past the last object stored", got.Checkpoint)
				}
			}

			// The server turns honest: the next run ends with the remote set.
			remote.honest.Store(true)
			res = syncer.Run(context.Background(), got)
			if res.Err != nil {
				t.Fatalf("the run against the honest server: %v", res.Err)
			}
			storable := c.storable
			if storable == nil {
				storable = upTo(len(objs))
			}
			hostileStored(t, hub, alias, peer, storable)
		})
	}
}

// hostilePeer makes the remote API root a peer of the hub's community,
// named name, and its syncer with opts.
func hostilePeer(t *testing.T, h *testHub, name, root string, opts taxii.ClientOptions) (*isachub.Peer, *federation.Syncer) {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	org := &isachub.Org{CommunityID: h.comm.ID, Slug: "peer-" + name, Name: "Peer " + name}
	must(t, h.store.CreateOrg(ctx, org))
	p := &isachub.Peer{ID: "peer-" + name, CommunityID: h.comm.ID, Name: name, URL: root, OrgID: org.ID}
	cred, err := federation.Seal(key, p.ID, "hostile-token")
	must(t, err)
	p.Credential = cred
	must(t, h.store.CreatePeer(ctx, p))
	return p, &federation.Syncer{Store: h.store, Key: key, ClientOptions: opts}
}

// hostileStored checks that the hub's collection holds exactly the remote
// objects of the indexes, one version each, every one with its origin the
// peer, and returns the indexes sorted.
func hostileStored(t *testing.T, h *testHub, alias string, peer *isachub.Peer, indexes []int) []int {
	t.Helper()
	want := map[string]int{}
	var ids []string
	for _, i := range indexes {
		id := indicatorID(i + 1)
		want[id] = 1
		ids = append(ids, id)
	}
	got := h.ids(t, alias)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the hub holds %v, want %v", got, want)
	}
	origins, err := h.store.Origins(context.Background(), h.colls[alias].ID, ids)
	must(t, err)
	for _, id := range ids {
		if len(origins[id]) != 1 || origins[id][0].PeerID != peer.ID {
			t.Errorf("%s has the origins %v", id, origins[id])
		}
	}
	sorted := append([]int(nil), indexes...)
	sort.Ints(sorted)
	return sorted
}

// hostileError checks that err is the client's, naming the server and the
// step, and saying want.
func hostileError(t *testing.T, err error, step, want string) {
	t.Helper()
	var ce *taxii.ClientError
	if !errors.As(err, &ce) {
		t.Fatalf("the error %v (%T) is no *taxii.ClientError", err, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "127.0.0.1:") || !strings.Contains(msg, step) || !strings.Contains(msg, want) {
		t.Errorf("the error %q does not name the server, %q and %q", msg, step, want)
	}
}
