package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pgtest"
	"github.com/isachub/isachub/postgres"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/sqlite"
	"github.com/isachub/isachub/taxii"
)

// hub is a running server over a temporary SQLite database with two
// communities:
//
//   - "acme-isac" with organisations a, b and c; collection "open" (all read,
//     all write), "restricted" (a and b read, a writes) and "drop" (a reads,
//     only c writes);
//   - "other-isac" with organisation x.
//
// Users: a-analyst, a-reader, b-analyst, c-analyst, x-analyst, operator (hub
// admin, in a). Every password is "pw-" + username.
type hub struct {
	t      testing.TB
	srv    *httptest.Server
	store  isachub.Store
	comm   *isachub.Community
	other  *isachub.Community
	orgs   map[string]*isachub.Org
	colls  map[string]*isachub.Collection
	tokens map[string]string // username -> API token
}

const root = "/acme-isac/"

// newHub starts a hub over a new SQLite database in a temporary directory;
// cfg is the server's configuration.
func newHub(tb testing.TB, cfg server.Config) *hub {
	tb.Helper()
	return newHubAt(tb, cfg, filepath.Join(tb.TempDir(), "hub.db"))
}

// newHubAt starts a hub over the SQLite database at path.
func newHubAt(tb testing.TB, cfg server.Config, path string) *hub {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return newHubOn(tb, cfg, db)
}

// newHubOn starts a hub over store, creating the communities,
// organisations, users and collections unless they exist, and giving every
// user a new API token.
func newHubOn(tb testing.TB, cfg server.Config, db isachub.Store) *hub {
	tb.Helper()
	ctx := context.Background()
	h := &hub{t: tb, store: db, orgs: map[string]*isachub.Org{}, colls: map[string]*isachub.Collection{}, tokens: map[string]string{}}
	if comm, err := db.Community(ctx, "acme-isac"); err == nil {
		h.load(tb, comm)
	} else {
		h.create(tb)
	}
	for _, name := range []string{"a-analyst", "a-reader", "b-analyst", "c-analyst", "x-analyst", "operator"} {
		user, err := db.User(ctx, name)
		if err != nil {
			tb.Fatal(err)
		}
		secret, th, err := server.NewToken()
		if err != nil {
			tb.Fatal(err)
		}
		if err := db.CreateToken(ctx, &isachub.Token{UserID: user.ID, Name: "test", Hash: th}); err != nil {
			tb.Fatal(err)
		}
		h.tokens[name] = secret
	}
	h.srv = httptest.NewServer(server.New(cfg, db, nil).Handler())
	tb.Cleanup(h.srv.Close)
	return h
}

// testHashes holds one argon2id hash of "pw-" + username per test user,
// made on first use: a hash costs tens of milliseconds (many times that
// under the race detector) and every hub would otherwise make six.
var testHashes sync.Map

// testPasswordHash returns the hash of the test user's password.
func testPasswordHash(tb testing.TB, username string) string {
	tb.Helper()
	if hash, ok := testHashes.Load(username); ok {
		return hash.(string)
	}
	hash, err := server.HashPassword("pw-" + username)
	if err != nil {
		tb.Fatal(err)
	}
	actual, _ := testHashes.LoadOrStore(username, hash)
	return actual.(string)
}

// backend is a storage backend the end-to-end tests run against.
type backend struct {
	name   string
	newHub func(tb testing.TB, cfg server.Config) *hub
}

// backends returns SQLite, and PostgreSQL when ISACHUB_TEST_POSTGRES names
// a test database (each hub gets a fresh schema there).
func backends() []backend {
	return []backend{
		{"sqlite", newHub},
		{"postgres", func(tb testing.TB, cfg server.Config) *hub {
			tb.Helper()
			db, err := postgres.Open(context.Background(), freshSchema(tb))
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { db.Close() })
			return newHubOn(tb, cfg, db)
		}},
	}
}

// forBackends runs test once per backend, as a subtest named after it.
// Under -short (CI's race pass) it runs on one: PostgreSQL when
// ISACHUB_TEST_POSTGRES names a database, SQLite otherwise. The handlers
// are the same code over either store, the full pass runs both, and under
// the race detector modernc's SQLite (C translated to Go, every memory
// access instrumented) made the suites five times slower than on
// PostgreSQL; the stores' own races are their packages' tests.
func forBackends(t *testing.T, test func(t *testing.T, newHub func(testing.TB, server.Config) *hub)) {
	bs := backends()
	if testing.Short() {
		if os.Getenv("ISACHUB_TEST_POSTGRES") != "" {
			bs = bs[1:]
		} else {
			bs = bs[:1]
		}
	}
	for _, b := range bs {
		t.Run(b.name, func(t *testing.T) { test(t, b.newHub) })
	}
}

// freshSchema returns the DSN of a new schema in the database that
// ISACHUB_TEST_POSTGRES names, dropped when the test ends. Without the
// variable the test is skipped (failed when CI is set).
func freshSchema(tb testing.TB) string {
	tb.Helper()
	return pgtest.Schema(tb, "./server/", "isachub_server_test_")
}

// load finds the records create made in an existing database.
func (h *hub) load(tb testing.TB, comm *isachub.Community) {
	tb.Helper()
	ctx := context.Background()
	h.comm = comm
	other, err := h.store.Community(ctx, "other-isac")
	if err != nil {
		tb.Fatal(err)
	}
	h.other = other
	for _, slug := range []string{"a", "b", "c"} {
		if h.orgs[slug], err = h.store.Org(ctx, comm.ID, slug); err != nil {
			tb.Fatal(err)
		}
	}
	if h.orgs["x"], err = h.store.Org(ctx, other.ID, "x"); err != nil {
		tb.Fatal(err)
	}
	for _, alias := range []string{"open", "restricted", "drop"} {
		if h.colls[alias], err = h.store.Collection(ctx, comm.ID, alias); err != nil {
			tb.Fatal(err)
		}
	}
}

// create makes the communities, organisations, users and collections.
func (h *hub) create(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	db := h.store
	h.comm = mustCommunity(tb, db, "acme-isac", "ACME ISAC", 0)
	h.other = mustCommunity(tb, db, "other-isac", "Other ISAC", 0)
	for _, slug := range []string{"a", "b", "c"} {
		h.orgs[slug] = mustOrg(tb, db, h.comm, slug)
	}
	h.orgs["x"] = mustOrg(tb, db, h.other, "x")
	users := []struct {
		name, org string
		role      isachub.Role
		admin     bool
	}{
		{"a-analyst", "a", isachub.RoleAnalyst, false},
		{"a-reader", "a", isachub.RoleReader, false},
		{"b-analyst", "b", isachub.RoleAnalyst, false},
		{"c-analyst", "c", isachub.RoleAnalyst, false},
		{"x-analyst", "x", isachub.RoleAnalyst, false},
		{"operator", "a", isachub.RoleAdmin, true},
	}
	for _, u := range users {
		user := &isachub.User{OrgID: h.orgs[u.org].ID, Username: u.name, Role: u.role, HubAdmin: u.admin, PasswordHash: testPasswordHash(tb, u.name)}
		if err := db.CreateUser(ctx, user); err != nil {
			tb.Fatal(err)
		}
	}
	a, b, c := h.orgs["a"].ID, h.orgs["b"].ID, h.orgs["c"].ID
	for _, coll := range []*isachub.Collection{
		{Alias: "open", Title: "Open", ReadAll: true, WriteAll: true},
		{Alias: "restricted", Title: "Restricted", Readers: []int64{a, b}, Writers: []int64{a}},
		{Alias: "drop", Title: "Drop box", Readers: []int64{a}, Writers: []int64{c}},
	} {
		coll.CommunityID = h.comm.ID
		if err := db.CreateCollection(ctx, coll); err != nil {
			tb.Fatal(err)
		}
		h.colls[coll.Alias] = coll
	}
}

func mustCommunity(tb testing.TB, s isachub.Store, slug, title string, maxLen int64) *isachub.Community {
	tb.Helper()
	c := &isachub.Community{Slug: slug, Title: title, Sector: "aviation", MaxContentLength: maxLen}
	if err := s.CreateCommunity(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustOrg(tb testing.TB, s isachub.Store, c *isachub.Community, slug string) *isachub.Org {
	tb.Helper()
	o := &isachub.Org{CommunityID: c.ID, Slug: slug, Name: "Org " + strings.ToUpper(slug)}
	if err := s.CreateOrg(context.Background(), o); err != nil {
		tb.Fatal(err)
	}
	return o
}

// objectsURL is the objects endpoint of a collection by alias.
func (h *hub) objectsURL(alias string) string {
	return root + "collections/" + h.colls[alias].ID + "/objects/"
}

// req is one request to the hub.
type req struct {
	method, path string
	user         string // authenticate with the user's API token as bearer; "" for none
	basic        [2]string
	accept       string // default: the TAXII 2.1 media type; "-" for none
	contentType  string // default for POST: the TAXII 2.1 media type
	body         []byte
	header       http.Header
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (h *hub) do(tb testing.TB, r req) *response {
	tb.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr, err := http.NewRequest(r.method, h.srv.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		tb.Fatal(err)
	}
	switch {
	case r.user != "":
		hr.Header.Set("Authorization", "Bearer "+h.tokens[r.user])
	case r.basic[0] != "":
		hr.SetBasicAuth(r.basic[0], r.basic[1])
	}
	switch r.accept {
	case "":
		hr.Header.Set("Accept", taxii.MediaTypeTAXII21)
	case "-":
	default:
		hr.Header.Set("Accept", r.accept)
	}
	if r.method == http.MethodPost {
		ct := r.contentType
		if ct == "" {
			ct = taxii.MediaTypeTAXII21
		}
		hr.Header.Set("Content-Type", ct)
	}
	for k, v := range r.header {
		hr.Header[k] = v
	}
	resp, err := h.srv.Client().Do(hr)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}
}

// want checks the status and, for TAXII responses, the media type, and
// decodes the body into v when v is not nil.
func (res *response) want(tb testing.TB, status int, v any) *response {
	tb.Helper()
	if res.status != status {
		tb.Fatalf("status %d, want %d; body: %s", res.status, status, clipBody(res.body))
	}
	if len(res.body) > 0 {
		if ct := res.header.Get("Content-Type"); ct != taxii.MediaTypeTAXII21 {
			tb.Fatalf("Content-Type %q, want %q", ct, taxii.MediaTypeTAXII21)
		}
	}
	if v != nil {
		if err := json.Unmarshal(res.body, v); err != nil {
			tb.Fatalf("decoding %s: %v", clipBody(res.body), err)
		}
	}
	return res
}

// wantError checks that the response is a TAXII error resource with status.
func (res *response) wantError(tb testing.TB, status int) taxii.Error {
	tb.Helper()
	var e taxii.Error
	res.want(tb, status, &e)
	if e.Title == "" || e.HTTPStatus != fmt.Sprint(status) {
		tb.Fatalf("error resource %+v lacks a title or has the wrong http_status", e)
	}
	return e
}

func clipBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// indicator returns a valid STIX 2.1 indicator, the n-th of a series, with
// the given modified timestamp (created is fixed).
func indicator(n int, modified string) string {
	return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-%012x","created":"2026-01-01T00:00:00.000Z","modified":%q,"name":"Bad address %d","indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`,
		n, n, modified, n, n%256)
}

func indicatorID(n int) string { return fmt.Sprintf("indicator--%08x-0000-4000-8000-%012x", n, n) }

// envelope wraps objects in a TAXII envelope.
func envelope(objs ...string) []byte {
	return []byte(`{"objects":[` + strings.Join(objs, ",") + `]}`)
}

// indicators returns an envelope of n indicators starting at from.
func indicators(from, n int) []byte {
	objs := make([]string, n)
	for i := range objs {
		objs[i] = indicator(from+i, "2026-01-01T00:00:00.000Z")
	}
	return envelope(objs...)
}

// post adds objects as user and checks the 202 status resource.
func (h *hub) post(tb testing.TB, user, alias string, body []byte) taxii.Status {
	tb.Helper()
	var st taxii.Status
	h.do(tb, req{method: http.MethodPost, path: h.objectsURL(alias), user: user, body: body}).want(tb, http.StatusAccepted, &st)
	return st
}

// countObjects returns how many object versions the collection holds.
func (h *hub) countObjects(tb testing.TB, alias string) int {
	tb.Helper()
	n := 0
	f := isachub.ObjectFilter{Versions: []string{"all"}, Limit: 1000}
	for {
		p, err := h.store.Objects(context.Background(), h.colls[alias].ID, isachub.Unrestricted(), f)
		if err != nil {
			tb.Fatal(err)
		}
		n += len(p.Objects)
		if !p.More {
			return n
		}
		f.Next = p.Next
	}
}
