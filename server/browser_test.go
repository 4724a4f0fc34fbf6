package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/sqlite"
)

// The end-to-end tests of the web UI in a real headless Chromium (Debian's
// chromium, which .ci/run installs when missing), driven by chromedp
// against a hub on 127.0.0.1 seeded with the demo community. Without a
// Chromium they skip, saying so; with CI set they fail instead. With
// ISACHUB_SCREENSHOTS=DIR they also save screenshots of the main pages
// there (docs/screenshots is made that way).

// chromium returns the path of a Chromium to drive.
func chromium(t *testing.T) string {
	if testing.Short() {
		// The race detector makes the browser tours too slow for the
		// short pass; the full pass (go test ./...) runs them.
		t.Skip("-short: the browser tests run in the full pass (go test ./...)")
	}
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium on PATH (chromium, chromium-browser, google-chrome): .ci/run installs Debian's chromium")
	}
	t.Skip("no Chromium on PATH (chromium, chromium-browser, google-chrome): install Debian's chromium to run the browser tests")
	return ""
}

// tab is a browser tab on the hub: the context chromedp runs actions in.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the hub's URL
}

// newTab starts a headless Chromium with a fresh profile and a window of
// w x h pixels.
func newTab(t *testing.T, base string, w, h int) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(w, h))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base}
}

// run runs steps, failing the test with what was being done.
func (b *tab) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (page: %.600s)", what, err, b.text())
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, what, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// location is the page's URL.
func (b *tab) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

// open navigates to a path of the hub and waits for its page.
func (b *tab) open(path string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// text is the visible text of the page.
func (b *tab) text() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return s
}

// waitFor waits until the page's text holds every string: after a click
// that navigates, the next page's text is what tells that it arrived.
func (b *tab) waitFor(ss ...string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		text := b.text()
		missing := ""
		for _, s := range ss {
			if !strings.Contains(text, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the page never showed %q: %.1500s", missing, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitSel waits until an element matches the CSS selector.
func (b *tab) waitSel(sel string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for b.count(sel) == 0 {
		if time.Now().After(deadline) {
			b.t.Fatalf("nothing matched %s: %.1500s", sel, b.text())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lacks fails if the page's text holds any of the strings.
func (b *tab) lacks(ss ...string) {
	b.t.Helper()
	text := b.text()
	for _, s := range ss {
		if strings.Contains(text, s) {
			b.t.Fatalf("the page shows %q: %.1500s", s, text)
		}
	}
}

// count is how many elements match the CSS selector.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, "count "+sel, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// fill sets the value of the form fields (CSS selector to value), as
// typing would.
func (b *tab) fill(fields ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		sel, value := fields[i], fields[i+1]
		b.run("fill "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
		eval[bool](b, "empty "+sel, fmt.Sprintf(`(document.querySelector(%q).value = "") === ""`, sel))
		b.run("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
	}
}

// click clicks the element of the CSS selector.
func (b *tab) click(sel string) {
	b.t.Helper()
	b.run("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// signIn signs in through the login form and waits for the dashboard.
func (b *tab) signIn(username, password string) {
	b.t.Helper()
	b.open("/ui/login")
	b.fill("#username", username, "#password", password)
	b.click(`form[action="/ui/login"] button[type=submit]`)
	b.waitFor("New objects per day, by type")
	if loc := b.location(); loc != b.base+"/ui/" {
		b.t.Fatalf("signed in at %s, want %s/ui/", loc, b.base)
	}
}

// signOut signs out with the header's button.
func (b *tab) signOut() {
	b.t.Helper()
	b.click(`form[action="/ui/logout"] button`)
	b.waitFor("Sign in")
}

// a11yScript checks the page for what would make it unusable with a
// screen reader or a keyboard, or hard to read: the document's language
// and title, one h1 and a main landmark, unique ids, a label on every
// form control, a name on every link and button, an alternative text on
// every image and labelled chart, and WCAG 2.1 AA text contrast (4.5:1,
// 3:1 for large text). It returns the problems found.
const a11yScript = `(() => {
  const problems = [];
  const short = e => e.outerHTML.slice(0, 120);
  if (!document.documentElement.lang) problems.push("the document has no lang");
  if (!document.title.trim()) problems.push("the document has no title");
  if (document.querySelectorAll("h1").length !== 1) problems.push(document.querySelectorAll("h1").length + " h1 elements");
  if (!document.querySelector("main")) problems.push("no main landmark");
  const ids = new Set();
  document.querySelectorAll("[id]").forEach(e => { if (ids.has(e.id)) problems.push("duplicate id " + e.id); ids.add(e.id); });
  document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(e => {
    if (!((e.labels && e.labels.length) || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby") || e.title))
      problems.push("a form control without a label: " + short(e));
  });
  document.querySelectorAll("a[href], button").forEach(e => {
    if (!(e.textContent.trim() || e.getAttribute("aria-label") || e.title)) problems.push("a link or button without a name: " + short(e));
  });
  document.querySelectorAll("img").forEach(e => { if (!e.hasAttribute("alt")) problems.push("an image without alt: " + short(e)); });
  document.querySelectorAll("svg[role=img]").forEach(e => { if (!e.getAttribute("aria-label")) problems.push("a chart without a label"); });
  const rgba = s => { const m = s.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat([1]).slice(0, 4); };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = e => { for (; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const seen = new Set();
  document.querySelectorAll("body *:not(svg):not(svg *)").forEach(e => {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return;
    const st = getComputedStyle(e);
    if (st.visibility === "hidden" || st.display === "none" || e.getClientRects().length === 0) return;
    const fg = rgba(st.color), bg = background(e);
    const a = fg[3], mixed = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
    const l1 = lum(mixed), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) { const k = e.tagName + "." + e.className; if (!seen.has(k)) { seen.add(k);
      problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + short(e)); } }
  });
  return problems;
})()`

// accessible runs the accessibility check on the page and fails on any
// problem.
func (b *tab) accessible(page string) {
	b.t.Helper()
	for _, p := range eval[[]string](b, "accessibility check of "+page, a11yScript) {
		b.t.Errorf("%s: %s", page, p)
	}
}

// screenshot saves the viewport as DIR/name.png when ISACHUB_SCREENSHOTS
// names a directory.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("ISACHUB_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// demoHub is a hub on 127.0.0.1 with the demo community only, on a
// SQLite file.
func demoHub(t *testing.T) *hub {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Seed(t.Context(), db, server.HashPassword); err != nil {
		t.Fatal(err)
	}
	h := &hub{t: t, store: db, srv: httptest.NewServer(server.New(server.Config{}, db, nil).Handler())}
	t.Cleanup(h.srv.Close)
	return h
}

// demoIPIndicator returns the name of a demo indicator whose pattern is
// one IPv4 address, and that address.
func demoIPIndicator(t *testing.T) (name, ip string) {
	t.Helper()
	objs, err := demo.Objects()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range objs {
		pat := p.Object.String("pattern")
		if rest, ok := strings.CutPrefix(pat, "[ipv4-addr:value = '"); ok && p.Collection == demo.Shared {
			return p.Object.String("name"), strings.TrimSuffix(rest, "']")
		}
	}
	t.Fatal("the demo has no indicator of one IPv4 address")
	return "", ""
}

// TestBrowserTour walks the list in Chromium: sign in, the
// dashboard's charts, search and IOC look-up, an object page with its
// relationship graph, publishing with a pattern error fixed, anonymous
// preview then publish, discussion seen by another member, the sighting
// count at k organisations, moderation, the staff creating a user who
// signs in, a forged cross-site POST refused, and logout; with an
// accessibility check of every main page.
func TestBrowserTour(t *testing.T) {
	h := demoHub(t)
	b := newTab(t, h.srv.URL, 1280, 900)

	// Sign in; the dashboard shows its charts.
	b.open("/ui/")
	b.waitFor("Sign in")
	b.accessible("login")
	b.screenshot("login")
	b.signIn("bob", "bob-demo-password")
	if n := b.count("svg.chart rect"); n == 0 {
		t.Fatal("the dashboard's charts have no bars")
	}
	b.waitFor("Most referenced in the period", "What your organisation published")
	b.accessible("dashboard")
	b.screenshot("dashboard")

	// Search finds a demo indicator by an address its pattern matches.
	name, ip := demoIPIndicator(t)
	b.fill("#quick-q", ip+"\n")
	b.waitFor("Indicators that fire on this IPv4 address", name)
	b.accessible("search")
	b.screenshot("search")

	// Its page shows the pattern and the relationship graph.
	b.run("open the indicator", chromedp.Click(chromedp.Search(fmt.Sprintf(`//main//a[normalize-space(.)=%q]`, name)), chromedp.NodeVisible))
	b.waitFor("Relationships", "indicates", "Discussion")
	if b.count("svg.graph a") == 0 {
		t.Fatal("the object page has no relationship graph")
	}
	b.accessible("object")
	b.screenshot("object")
	// The malware it indicates: a graph of many relationships in and out,
	// and its discussion.
	b.click(`ul.rels a[href^="/ui/objects/malware--"]`)
	// The indicator's page has the same words: wait for the malware's.
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(b.location(), "/ui/objects/malware--"); {
		if time.Now().After(deadline) {
			t.Fatalf("the malware's page did not open: at %s", b.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.run("wait for the graph", chromedp.WaitVisible(chromedp.CSS(`figure`)))
	b.waitFor("Relationships", "Notes")
	eval[bool](b, "scroll to the graph", `document.querySelector("figure").scrollIntoView(), true`)
	b.screenshot("object-graph")

	// Publish an indicator: a pattern error is shown (while typing and by
	// the server), fixed, published.
	shared := collectionID(t, h, demo.Shared)
	b.open("/ui/publish")
	b.run("choose the shared collection", chromedp.SetValue(chromedp.CSS(`#collection-indicator`), shared))
	b.fill("#name", "Browser tour relay", "#pattern", "[ipv4-addr:value = '203.0.113.250'")
	b.waitSel("#pattern-help.bad") // the live check's message
	b.click(`form[action="/ui/publish"]:not([enctype]) button[type=submit]`)
	b.waitSel(`#pattern[aria-invalid="true"] ~ #pattern-error`)
	b.accessible("publish")
	b.screenshot("publish")
	b.fill("#pattern", "[ipv4-addr:value = '203.0.113.250']")
	b.waitSel("#pattern-help.ok")
	b.click(`form[action="/ui/publish"]:not([enctype]) button[type=submit]`)
	b.waitFor("Published", "1 stored")
	b.click(`a[href^="/ui/objects/indicator--"]`)
	b.waitFor("Browser tour relay", "Discussion")
	tourPage := strings.TrimPrefix(b.location(), h.srv.URL)

	// Anonymous: the preview first, then publish.
	b.open("/ui/publish")
	b.run("choose the shared collection", chromedp.SetValue(chromedp.CSS(`#collection-indicator`), shared))
	b.fill("#name", "Anonymous tour beacon", "#pattern", "[domain-name:value = 'tour-beacon.example']")
	b.click("#anonymous")
	b.click(`form[action="/ui/publish"]:not([enctype]) button[type=submit]`)
	b.waitFor("What would be published", "Nothing names your organisation")
	if pre := eval[string](b, "the preview", `[...document.querySelectorAll("main pre")].map(e => e.innerText).join("\n")`); strings.Contains(pre, "skyways") || !strings.Contains(pre, "tour-beacon.example") {
		t.Fatalf("the anonymous preview: %s", pre)
	}
	b.screenshot("preview")
	b.click(`button[type=submit]:not(.link)`)
	b.waitFor("Published", "Your withdrawal handle")

	// A note and an opinion by bob appear for dave; a sighting by bob.
	b.open(tourPage)
	b.fill("#content", "Seen in our proxy logs at 02:10 UTC.")
	b.click(`form:has(input[name=kind][value=note]) button[type=submit]`)
	b.waitFor("Your note is published", "Seen in our proxy logs")
	b.click("#opinion-agree")
	b.click(`form:has(input[name=kind][value=opinion]) button[type=submit]`)
	b.waitFor("Your opinion is published")
	b.click(`form:has(input[name=kind][value=sighting]) button[type=submit]`)
	b.waitFor("Your sighting is published", "at least 3 organisations")
	b.signOut()
	b.signIn("dave", "dave-demo-password")
	b.open(tourPage)
	b.waitFor("Seen in our proxy logs", "Skyways Airlines", "Agree 1")
	b.lacks("sightings by")
	b.click(`form:has(input[name=kind][value=sighting]) button[type=submit]`)
	b.waitFor("Your sighting is published")
	b.lacks("sightings by")
	b.signOut()
	b.signIn("erin", "erin-demo-password")
	b.open(tourPage)
	b.click(`form:has(input[name=kind][value=sighting]) button[type=submit]`)
	b.waitFor("3 sightings by 3 organisations")

	// Two tips to the moderated collection; the staff approve one and
	// reject the other with a reason.
	for _, tip := range []string{"Tip to approve", "Tip to reject"} {
		b.open("/ui/publish")
		b.run("choose the tips collection", chromedp.SetValue(chromedp.CSS(`#collection-indicator`), collectionID(t, h, demo.Tips)))
		b.fill("#name", tip, "#pattern", "[domain-name:value = '"+strings.ReplaceAll(strings.ToLower(tip), " ", "-")+".example']")
		b.click(`form[action="/ui/publish"]:not([enctype]) button[type=submit]`)
		b.waitFor("What would be published")
		b.click(`button[type=submit]:not(.link)`)
		b.waitFor("Sent for moderation")
	}
	b.signOut()
	b.signIn("sam", "sam-demo-password")
	b.open("/ui/moderation")
	b.waitFor("Tip to approve", "Tip to reject", "an anonymous member")
	b.lacks("Northfield International Airport")
	b.accessible("moderation")
	b.screenshot("moderation")
	b.click(`section:has(h2) form[action$="/approve"] button`) // the oldest first: "Tip to approve"
	b.waitFor("The submission was approved")
	b.fill(`form.reject input[name=reason]`, "Not specific enough")
	b.click(`form.reject button`)
	b.waitFor("The submission was rejected", "Nothing waits for moderation")

	// The hub operator creates a user, who then signs in.
	b.signOut()
	b.signIn("operator", "operator-demo-password")
	b.open("/ui/admin")
	b.waitFor("Administration of Demo Aviation ISAC", "Audit log", "pending.approve")
	b.accessible("admin")
	b.screenshot("admin")
	b.run("choose the organisation", chromedp.SetValue(chromedp.CSS(`#user-org`), "aerotech"))
	b.fill("#user-name", "frank", "#user-password", "frank-first-password")
	b.click(`form[action="/ui/admin/users"] button`)
	b.waitFor("Created user frank.")
	b.signOut()
	b.signIn("frank", "frank-first-password")
	b.open("/ui/collections")
	b.waitFor("Shared aviation threat intelligence")
	b.accessible("collections")

	// Joining: the public page, the staff's review, the invitation link
	// and the first admin's own password.
	b.signOut()
	b.open("/ui/join")
	b.waitFor("Join a community", "Demo Aviation ISAC")
	b.accessible("join")
	b.screenshot("join")
	b.open("/ui/join/demo-isac")
	b.waitFor("Ask to join Demo Aviation ISAC")
	b.accessible("join form")
	b.signIn("operator", "operator-demo-password")
	b.open("/ui/admin/requests")
	b.waitFor("Northwind Regional Airport", "Skylark Avionics")
	b.accessible("requests")
	b.screenshot("requests")
	b.click(`form[action$="/approve"] button`)
	b.waitFor("Northwind Regional Airport is a member", "works once")
	b.accessible("invitation")
	link := eval[string](b, "read the invitation link", `document.querySelector("code.secret").textContent`)
	b.open(strings.TrimPrefix(link, h.srv.URL))
	b.waitFor("Join Northwind Regional Airport")
	b.accessible("invitation form")
	b.fill("#new-username", "priya", "#new-password", "priya-chosen-password", "#new-password2", "priya-chosen-password")
	b.click(`form[action^="/ui/invite/"] button`)
	b.waitFor("Your account priya is ready")
	b.signIn("priya", "priya-chosen-password")
	b.waitFor("Northwind Regional Airport")
	b.signOut()
	b.signIn("frank", "frank-first-password")

	// A form on another site posting to the hub is refused.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>prize</title><form method="post" action="%s/ui/tokens"><input name="name" value="stolen"><button>Claim</button></form></html>`, h.srv.URL)
	}))
	defer evil.Close()
	b.run("open the other site", chromedp.Navigate(strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)))
	b.click("button")
	b.waitFor("sent from another site")
	toks, err := h.store.Tokens(t.Context(), mustUser(t, h, "frank"))
	if err != nil || len(toks) != 0 {
		t.Fatalf("the forged request made tokens: %v %v", toks, err)
	}

	// Logout: the pages ask for a sign-in again.
	b.open("/ui/")
	b.signOut()
	b.open("/ui/collections")
	b.waitFor("Sign in")
	b.lacks("Shared aviation threat intelligence")
}

// TestBrowserPhone: the dashboard and an object page fit a phone's
// screen: nothing is wider than the viewport.
func TestBrowserPhone(t *testing.T) {
	h := demoHub(t)
	b := newTab(t, h.srv.URL, 390, 844)
	b.run("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	b.signIn("dave", "dave-demo-password")
	for _, path := range []string{"/ui/", "/ui/search?q=crew", "/ui/collections", "/ui/publish"} {
		b.open(path)
		if eval[bool](b, "measure "+path, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("%s is wider than a 390 px phone screen", path)
		}
	}
	b.open("/ui/")
	b.screenshot("dashboard-phone")
}

// TestBrowserDark: in dark mode (prefers-color-scheme) the main pages
// pass the same accessibility check, contrast included.
func TestBrowserDark(t *testing.T) {
	h := demoHub(t)
	b := newTab(t, h.srv.URL, 1280, 900)
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
		t.Fatal(err)
	}
	b.signIn("erin", "erin-demo-password")
	name, ip := demoIPIndicator(t)
	for _, path := range []string{"/ui/", "/ui/search?q=" + ip, "/ui/collections", "/ui/publish", "/ui/tokens"} {
		b.open(path)
		b.accessible(path + " (dark)")
	}
	b.open("/ui/search?q=" + ip)
	b.run("open the indicator", chromedp.Click(chromedp.Search(fmt.Sprintf(`//main//a[normalize-space(.)=%q]`, name)), chromedp.NodeVisible))
	b.waitFor("Discussion")
	b.accessible("object (dark)")
	b.open("/ui/")
	b.screenshot("dashboard-dark")
}

// collectionID returns the id of the demo collection with the alias.
func collectionID(t *testing.T, h *hub, alias string) string {
	t.Helper()
	comm, err := h.store.Community(t.Context(), demo.CommunitySlug)
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.store.Collection(t.Context(), comm.ID, alias)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
