package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/push"
)

// TestBrowserWebhooks: the webhooks pages of the demo community after
// real deliveries by push.Sender to receivers on 127.0.0.1: the airline's
// receiver refuses twice (503) and then takes every batch, the
// maintenance company's cannot be reached and is dead-lettered. The
// airline's analyst finds the page in the navigation and reads the
// delivery log; the ISAC's analyst sees both webhooks; each page passes
// the accessibility check (in dark mode too), fits a laptop and a phone
// (where each table row is a block, nothing scrolled out of sight), and
// shows no secret.
func TestBrowserWebhooks(t *testing.T) {
	h := demoHub(t)
	ctx := context.Background()
	comm, err := h.store.Community(ctx, demo.CommunitySlug)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := closed.Addr().String()
	closed.Close()
	addWebhook := func(orgSlug, title, url, secret string) *isachub.Webhook {
		t.Helper()
		org, err := h.store.Org(ctx, comm.ID, orgSlug)
		if err != nil {
			t.Fatal(err)
		}
		f := &isachub.Feed{CommunityID: comm.ID, OrgID: org.ID, Title: title}
		if err := h.store.CreateFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
		w := &isachub.Webhook{CommunityID: comm.ID, OrgID: org.ID, FeedID: f.ID, URL: url, Secret: secret}
		if err := h.store.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	sky := addWebhook("skyways", "Skyways SOC", receiver.URL+"/hooks/isachub?token=sky-query-token", "sky-webhook-secret")
	addWebhook("aerotech", "AeroTech blocklist", "http://"+gone+"/siem", "aero-webhook-secret")
	// What the members publish after the webhooks were made goes out.
	var objs []string
	for i := range 90 {
		objs = append(objs, strings.Replace(indicator(7000+i, "2026-12-01T00:00:00.000Z"), `"pattern_type"`, `"object_marking_refs":["`+greenMarking+`"],"pattern_type"`, 1))
	}
	h.do(t, req{method: http.MethodPost, path: "/" + demo.CommunitySlug + "/collections/" + collectionID(t, h, demo.Shared) + "/objects/",
		basic: [2]string{"bob", "bob-demo-password"}, body: envelope(objs...)}).want(t, http.StatusAccepted, nil)
	sender := &push.Sender{Store: h.store, Owner: "browser-test", Batch: 40, Idle: time.Hour, Backoff: func(int) time.Duration { return 0 }}
	for range 100 {
		worked, err := sender.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !worked {
			break
		}
	}
	secrets := []string{"sky-webhook-secret", "aero-webhook-secret", "sky-query-token"}

	b := newTab(t, h.srv.URL, 1280, 900)
	b.signIn("bob", "bob-demo-password")
	b.click(`nav a[href="/ui/webhooks"]`)
	b.waitFor("Your organisation's webhooks", "Skyways SOC", "active", "HTTP 204 No Content")
	b.lacks(append(secrets, "AeroTech blocklist", gone)...)
	b.accessible("webhooks")
	b.click(`.hooks a[href="/ui/webhooks/` + fmt.Sprint(sky.ID) + `"]`)
	b.waitFor("Delivery log", "503 Service Unavailable", "204 No Content", "the receiver answered 503")
	b.lacks(secrets...)
	b.accessible("webhook log")
	fits := func(what string) {
		t.Helper()
		if eval[bool](b, "measure "+what, `document.documentElement.scrollWidth > window.innerWidth + 1 ||
			[...document.querySelectorAll(".table-wrap")].some(w => w.scrollWidth > w.clientWidth + 1)`) {
			t.Errorf("%s is wider than the screen", what)
		}
	}
	fits("the delivery log on a laptop")
	b.screenshot("webhook-log")
	b.signOut()

	b.signIn("sam", "sam-demo-password")
	b.open("/ui/webhooks")
	b.waitFor("Every webhook of the community", "Skyways Airlines", "AeroTech Maintenance", "dead-lettered", "connection refused")
	b.lacks(secrets...)
	b.accessible("webhooks (staff)")
	fits("the staff's webhooks on a laptop")
	b.screenshot("webhooks")
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
		t.Fatal(err)
	}
	b.accessible("webhooks (staff, dark)")
	b.click(`.failing-summary a`)
	b.waitFor("Dead-lettered:", "connection refused", "no answer")
	b.accessible("dead-lettered webhook (dark)")

	phone := newTab(t, h.srv.URL, 390, 844)
	phone.run("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	phone.signIn("bob", "bob-demo-password")
	for _, path := range []string{"/ui/webhooks", "/ui/webhooks/" + fmt.Sprint(sky.ID)} {
		phone.open(path)
		if eval[bool](phone, "measure "+path, `document.documentElement.scrollWidth > window.innerWidth + 1 ||
			[...document.querySelectorAll(".table-wrap")].some(w => w.scrollWidth > w.clientWidth + 1)`) {
			t.Errorf("%s is wider than a 390 px phone screen, or its table scrolls", path)
		}
	}
}
