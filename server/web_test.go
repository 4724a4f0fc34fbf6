package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
)

func TestWebSignIn(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)

	// Every page sends a stranger to the login form, and back after.
	p := b.get("/ui/search?q=x").want(t, http.StatusSeeOther)
	if p.location != "/ui/login?next=/ui/search?q=x" {
		t.Fatalf("redirect to %q", p.location)
	}
	if p := b.get("/").want(t, http.StatusFound); p.location != "/ui/" {
		t.Fatalf("/ redirects to %q", p.location)
	}
	b.get("/ui/login").want(t, http.StatusOK).contains(t, `name="username"`, `name="password"`, `action="/ui/login"`)

	// A wrong password and an unknown user get the same answer.
	wrong := b.post("/ui/login", url.Values{"username": {"a-analyst"}, "password": {"nope"}}).want(t, http.StatusUnauthorized)
	unknown := b.post("/ui/login", url.Values{"username": {"nobody"}, "password": {"nope"}}).want(t, http.StatusUnauthorized)
	wrong.contains(t, "The username or password is not right.")
	unknown.contains(t, "The username or password is not right.")

	p = b.post("/ui/login", url.Values{"username": {"a-analyst"}, "password": {"pw-a-analyst"}, "next": {"/ui/search?q=x"}})
	p.want(t, http.StatusSeeOther)
	if p.location != "/ui/search?q=x" {
		t.Fatalf("after sign-in, redirect to %q", p.location)
	}
	ck := p.header.Get("Set-Cookie")
	for _, attr := range []string{"isachub_session=", "HttpOnly", "SameSite=Lax", "Path=/ui/"} {
		if !strings.Contains(ck, attr) {
			t.Errorf("session cookie %q lacks %s", ck, attr)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("cookie over plain HTTP is Secure: %q", ck)
	}
	dash := b.get("/ui/").want(t, http.StatusOK).contains(t, "ACME ISAC", "a-analyst", "<svg")
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'", "X-Frame-Options": "DENY",
		"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
	} {
		if got := dash.header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", k, got, want)
		}
	}

	// Logout ends the session: the cookie is cleared and the old one is
	// worth nothing.
	old := b.c.Jar.Cookies(mustURL(t, h.srv.URL+"/ui/"))
	b.post("/ui/logout", url.Values{}).want(t, http.StatusSeeOther)
	b.get("/ui/").want(t, http.StatusSeeOther)
	b.c.Jar.SetCookies(mustURL(t, h.srv.URL+"/ui/"), old)
	b.get("/ui/").want(t, http.StatusSeeOther)
}

func mustURL(tb testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// TestWebNoOpenRedirect: after sign-in the browser lands on a page of the
// UI, whatever ?next= says.
func TestWebNoOpenRedirect(t *testing.T) {
	h := newHub(t, server.Config{})
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/taxii2/", "/ui/logout", "javascript:alert(1)"} {
		b := h.browser(t)
		p := b.post("/ui/login", url.Values{"username": {"a-analyst"}, "password": {"pw-a-analyst"}, "next": {next}})
		if p.status != http.StatusSeeOther || p.location != "/ui/" {
			t.Errorf("next=%q: %d to %q", next, p.status, p.location)
		}
	}
}

// TestWebSessionIdle: a session unused for longer than SessionIdle ends;
// one in use lives until SessionLifetime.
func TestWebSessionIdle(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	h := newHub(t, server.Config{Now: clock, SessionIdle: 30 * time.Minute, SessionLifetime: 2 * time.Hour})
	b := h.browser(t)
	b.signIn("a-analyst", "pw-a-analyst")
	for range 4 { // in use every 25 minutes: alive until the lifetime
		advance(25 * time.Minute)
		if now.Sub(clock()) < 0 {
			t.Fatal("clock")
		}
		p := b.get("/ui/")
		if p.status != http.StatusOK {
			t.Fatalf("session in use ended early: %d to %s", p.status, p.location)
		}
	}
	advance(25 * time.Minute) // 2h05 after sign-in: past the lifetime
	b.get("/ui/").want(t, http.StatusSeeOther)

	b.signIn("a-analyst", "pw-a-analyst")
	advance(31 * time.Minute)
	b.get("/ui/").want(t, http.StatusSeeOther)
}

// TestWebLoginThrottled: the login form shares the API's throttle of
// failed passwords.
func TestWebLoginThrottled(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)
	var last *page
	for range 30 {
		last = b.post("/ui/login", url.Values{"username": {"a-analyst"}, "password": {"guess"}})
		if last.status == http.StatusTooManyRequests {
			break
		}
	}
	last.want(t, http.StatusTooManyRequests).contains(t, "Too many failed logins")
	if last.header.Get("Retry-After") == "" {
		t.Error("no Retry-After on a throttled login")
	}
	// The API is throttled for the same user and address too.
	h.do(t, req{path: "/taxii2/", basic: [2]string{"a-analyst", "pw-a-analyst"}}).wantError(t, http.StatusTooManyRequests)
}

// TestWebCSRF: a state-changing request without the session's token, or
// sent from another site, is refused and changes nothing.
func TestWebCSRF(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)
	b.signIn("a-analyst", "pw-a-analyst")
	tokens := func() int {
		ts, err := h.store.Tokens(t.Context(), mustUser(t, h, "a-analyst"))
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	before := tokens()
	b.post("/ui/tokens", url.Values{"name": {"forged"}, "csrf": {"wrong"}}).want(t, http.StatusForbidden)
	b.post("/ui/tokens", url.Values{"name": {"forged"}, "csrf": {""}}).want(t, http.StatusForbidden)
	cross := b.do(http.MethodPost, "/ui/tokens", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"name": {"forged"}, "csrf": {b.csrf}}.Encode()),
		http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}})
	cross.want(t, http.StatusForbidden).contains(t, "sent from another site")
	if got := tokens(); got != before {
		t.Fatalf("a forged request made a token: %d tokens, was %d", got, before)
	}
	b.post("/ui/tokens", url.Values{"name": {"fine"}}).want(t, http.StatusOK)
	if got := tokens(); got != before+1 {
		t.Fatalf("%d tokens after a good request, was %d", got, before)
	}
}

func mustUser(tb testing.TB, h *hub, name string) int64 {
	u, err := h.store.User(context.Background(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return u.ID
}

// TestWebTokens: a token made on the page is shown once, works on the
// TAXII API, and stops working when revoked.
func TestWebTokens(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)
	b.signIn("b-analyst", "pw-b-analyst")
	p := b.post("/ui/tokens", url.Values{"name": {"SIEM in Lyon"}}).want(t, http.StatusOK).contains(t, "SIEM in Lyon", "shown this once")
	secret := regexpFind(t, `<code class="secret">(isachub_[^<]+)</code>`, p.body)
	b.get("/ui/tokens").want(t, http.StatusOK).lacks(t, secret)
	api := func() int {
		r, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/taxii2/", nil)
		r.Header.Set("Authorization", "Bearer "+secret)
		r.Header.Set("Accept", "application/taxii+json;version=2.1")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := api(); got != http.StatusOK {
		t.Fatalf("the new token answers %d", got)
	}
	id := regexpFind(t, `action="/ui/tokens/(\d+)/revoke"[^>]*>(?:[^<]|<[^/])*?aria-label="Revoke SIEM in Lyon"`, b.get("/ui/tokens").body)
	// Another user cannot revoke it.
	other := h.browser(t)
	other.signIn("a-analyst", "pw-a-analyst")
	other.post("/ui/tokens/"+id+"/revoke", url.Values{}).want(t, http.StatusNotFound)
	b.post("/ui/tokens/"+id+"/revoke", url.Values{}).want(t, http.StatusSeeOther)
	if got := api(); got != http.StatusUnauthorized {
		t.Fatalf("the revoked token answers %d", got)
	}
}

func regexpFind(tb testing.TB, expr, s string) string {
	tb.Helper()
	m := regexp.MustCompile(expr).FindStringSubmatch(s)
	if m == nil {
		tb.Fatalf("no %s in %.2000s", expr, s)
	}
	return m[1]
}

// TestWebPublishSearchObject: an indicator published from the form (after
// a pattern error is shown and fixed) is found by an address its pattern
// matches, and its page shows it with its marking.
func TestWebPublishSearchObject(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)
	b.signIn("a-analyst", "pw-a-analyst")
	b.get("/ui/publish").want(t, http.StatusOK).contains(t, `name="pattern"`)
	form := url.Values{"collection": {h.colls["open"].ID}, "name": {"Staging server"}, "tlp": {"green"},
		"pattern": {"[ipv4-addr:value ISSUBSET '203.0.113.0/24'"}, "labels": {"c2, staging"}, "confidence": {"80"}}
	b.post("/ui/publish", form).want(t, http.StatusBadRequest).contains(t, `aria-invalid="true"`)
	form.Set("pattern", "[ipv4-addr:value ISSUBSET '203.0.113.0/24']")
	p := b.post("/ui/publish", form).want(t, http.StatusOK).contains(t, "Published", "1 stored")
	id := regexpFind(t, `href="/ui/objects/(indicator--[0-9a-f-]+)"`, p.body)
	// A documentation address (RFC 5737) is on a shipped warninglist: the
	// look-up says so, before the indicators.
	b.get("/ui/search?q=203.0.113.77").want(t, http.StatusOK).contains(t, "Indicators that fire on this IPv4 address", id,
		"<strong>On a warninglist:</strong>", "<code>rfc5737-documentation</code>")
	b.get("/ui/search?q=198.18.0.1").want(t, http.StatusOK).contains(t, "No indicator you may see")
	b.get("/ui/search?q=45.33.32.156").want(t, http.StatusOK).contains(t, "Indicators that fire on this IPv4 address").lacks(t, "On a warninglist")
	b.get("/ui/objects/"+id).want(t, http.StatusOK).contains(t, "Staging server", "TLP:GREEN", "c2", "203.0.113.0/24")
	b.get("/ui/objects/indicator--00000000-0000-4000-8000-000000000000").want(t, http.StatusNotFound)
	b.get("/ui/collections").want(t, http.StatusOK).contains(t, "Open")
	b.get("/ui/collections/"+h.colls["open"].ID).want(t, http.StatusOK).contains(t, id)
	b.get("/ui/").want(t, http.StatusOK).contains(t, "indicator")
	// Another member sees it; a member of another community does not.
	other := h.browser(t)
	other.signIn("b-analyst", "pw-b-analyst")
	other.get("/ui/objects/"+id).want(t, http.StatusOK)
	outsider := h.browser(t)
	outsider.signIn("x-analyst", "pw-x-analyst")
	outsider.get("/ui/objects/"+id).want(t, http.StatusNotFound)
	outsider.get("/ui/search?q=203.0.113.77").want(t, http.StatusOK).lacks(t, id)
}

// TestWebSearchFilterBeforeLimit: the TLP filter applies in the store's
// query, before the search's limit: one AMBER match among 150 better or
// newer GREEN ones is found; the type filter still finds a rarer type.
func TestWebSearchFilterBeforeLimit(t *testing.T) {
	h := newHub(t, server.Config{})
	mk := func(n int, name, tlp string) string {
		return fmt.Sprintf(`{"type":"indicator","spec_version":"2.1","id":"indicator--%08x-0000-4000-8000-00000000abcd","created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z","name":%q,"pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix","valid_from":"2026-05-01T00:00:00Z","object_marking_refs":[%q]}`,
			n, name, n%256, tlp)
	}
	h.post(t, "a-analyst", "open", envelope(mk(1, "Kestrel relay amber", stix.TLP2Amber),
		`{"type":"malware","spec_version":"2.1","id":"malware--00000001-0000-4000-8000-00000000abcd","created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z","name":"Kestrel loader","is_family":true}`))
	var objs []string
	for i := range 150 {
		objs = append(objs, mk(100+i, "Kestrel relay", stix.TLP2Green))
	}
	h.post(t, "a-analyst", "open", envelope(objs...))
	b := h.browser(t)
	b.signIn("b-analyst", "pw-b-analyst")
	all := b.get("/ui/search?q=kestrel").want(t, http.StatusOK)
	if strings.Contains(all.body, "Kestrel relay amber") {
		t.Log("the AMBER match is among the unfiltered top 100 too; the test shows less")
	}
	b.get("/ui/search?q=kestrel&tlp=amber").want(t, http.StatusOK).contains(t, "Kestrel relay amber").lacks(t, ">Kestrel relay<")
	b.get("/ui/search?q=kestrel&type=malware").want(t, http.StatusOK).contains(t, "Kestrel loader").lacks(t, ">Kestrel relay<")
}

// TestWebSearchFiltersAndPages: the label, confidence and date filters
// reach the store; results come newest first in pages of 50 with links to
// the next and previous pages that keep the filters; a wrong field is
// named, and nothing is searched.
func TestWebSearchFiltersAndPages(t *testing.T) {
	h := newHub(t, server.Config{})
	var objs []string
	for i := range 60 {
		objs = append(objs, fmt.Sprintf(`{"type":"malware","spec_version":"2.1","id":"malware--%08x-0000-4000-8000-00000000beef","created":"2026-05-%02dT10:00:00.000Z","modified":"2026-05-%02dT10:00:00.000Z","name":"Osprey variant %d","is_family":true,"labels":[%q],"confidence":%d}`,
			i, 1+i%28, 1+i%28, i, []string{"ransomware", "wiper"}[i%2], i))
	}
	h.post(t, "a-analyst", "open", envelope(objs...))
	b := h.browser(t)
	b.signIn("b-analyst", "pw-b-analyst")
	first := b.get("/ui/search?q=osprey").want(t, http.StatusOK).contains(t, ">Osprey variant 59<", `rel="next"`).lacks(t, ">Osprey variant 9<", `rel="prev"`)
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first.body)
	b.get(html.UnescapeString(next[1])).want(t, http.StatusOK).contains(t, ">Osprey variant 9<", ">Osprey variant 0<", `rel="prev"`, "results 51–60").lacks(t, ">Osprey variant 59<", `rel="next"`)
	b.get("/ui/search?q=osprey&label=wiper&confidence=50").want(t, http.StatusOK).contains(t, ">Osprey variant 51<", ">Osprey variant 59<").
		lacks(t, ">Osprey variant 50<", ">Osprey variant 49<", `rel="next"`)
	// Variant 4 and 32 were created on 2026-05-05.
	day := b.get("/ui/search?q=osprey&created_from=2026-05-05&created_until=2026-05-05").want(t, http.StatusOK)
	day.contains(t, ">Osprey variant 4<", ">Osprey variant 32<").lacks(t, ">Osprey variant 5<", ">Osprey variant 3<")
	b.get("/ui/search?q=osprey&added_until=2026-01-01").want(t, http.StatusOK).contains(t, "with these filters").lacks(t, ">Osprey variant")
	bad := b.get("/ui/search?q=osprey&confidence=high&created_from=5%20May").want(t, http.StatusOK)
	bad.contains(t, "whole number from 1 to 100", "YYYY-MM-DD", `id="confidence" name="confidence" type="number" min="1" max="100" inputmode="numeric" value="high" aria-invalid="true"`).lacks(t, ">Osprey variant")
}

// TestWebUploadAnonymousPreview: an anonymous upload is previewed, as the
// indicator form is, before anything is stored; confirming the preview
// publishes the same objects, with nothing naming the organisation.
func TestWebUploadAnonymousPreview(t *testing.T) {
	h := newHub(t, server.Config{})
	b := h.browser(t)
	b.signIn("a-analyst", "pw-a-analyst")
	doc := `{"type":"bundle","id":"bundle--6a0c0000-0000-4000-8000-000000000001","objects":[` +
		`{"type":"indicator","spec_version":"2.1","id":"indicator--6a0c0000-0000-4000-8000-000000000001","created":"2026-05-01T00:00:00.000Z","modified":"2026-05-01T00:00:00.000Z","name":"Heron uploaded relay","pattern":"[ipv4-addr:value = '203.0.113.44']","pattern_type":"stix","valid_from":"2026-05-01T00:00:00Z"}]}`
	fields := url.Values{"collection": {h.colls["open"].ID}, "anonymous": {"on"}}
	pre := b.upload("/ui/publish", fields, "heron.json", []byte(doc)).want(t, http.StatusOK)
	pre.contains(t, "What would be published", "Heron uploaded relay", `name="document"`, "Publish anonymously")
	other := h.browser(t)
	other.signIn("b-analyst", "pw-b-analyst")
	other.get("/ui/search?q=heron").want(t, http.StatusOK).lacks(t, "Heron uploaded relay")
	doc2 := html.UnescapeString(regexp.MustCompile(`(?s)<textarea name="document"[^>]*>(.*?)</textarea>`).FindStringSubmatch(pre.body)[1])
	if doc2 != doc {
		t.Fatalf("the preview carries another document:\n%s", doc2)
	}
	fields.Set("confirm", "yes")
	fields.Set("document", doc2)
	b.postMultipart("/ui/publish", fields).want(t, http.StatusOK).contains(t, "Published")
	other.get("/ui/search?q=heron").want(t, http.StatusOK).contains(t, "Heron uploaded relay")
}
