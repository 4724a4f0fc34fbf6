package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// TestWebWebhooks: the webhooks page lists the organisation's webhooks
// (the staff's: the community's, with the receiving organisation), the
// URL masked, the state in words and the last delivery; a webhook's page
// shows its delivery log newest first with status, duration and error,
// and a dead-lettered one says so and is revived there by the receiving
// organisation's analysts (not its readers, not another's). Another
// organisation's webhook answers exactly like one that does not exist,
// and no page shows a secret.
func TestWebWebhooks(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
		h := newWebhooked(t, newHub)
		member, dead, staff, anon := h.browser(t), h.browser(t), h.browser(t), h.browser(t)
		member.signIn("b-analyst", "pw-b-analyst")
		dead.signIn("c-analyst", "pw-c-analyst")
		staff.signIn("a-reader", "pw-a-reader")
		bPage, cPage := fmt.Sprintf("/ui/webhooks/%d", h.b.ID), fmt.Sprintf("/ui/webhooks/%d", h.c.ID)
		check := func(p *page, what string) *page {
			t.Helper()
			p.lacks(t, h.secrets...)
			if _, err := checkHTML(p.body); err != nil {
				t.Errorf("%s: %v", what, err)
			}
			return p
		}

		t.Run("OKList", func(t *testing.T) {
			check(member.get("/ui/webhooks").want(t, http.StatusOK), "b's list").contains(t, "<h1>Webhooks</h1>",
				`href="/ui/webhooks" aria-current="page">Webhooks</a>`, `<a href="`+bPage+`"><code>`+strings.ReplaceAll(hookBMasked, "&", "&amp;")+`</code></a>`,
				"B SOC feed", `<span class="state state-ok">active</span>`, "2026-12-01 09:00 UTC", "HTTP 200 OK · 12 objects",
				"Your organisation's webhooks").lacks(t, hookCURL, "C blocklist", `<th scope="col">Organisation</th>`)
			check(dead.get("/ui/webhooks").want(t, http.StatusOK), "c's list").contains(t, `<span class="state state-failing">dead-lettered</span>`,
				"no answer · 3 objects", hookCURL).lacks(t, "hooks.b.example", "B SOC feed")
			check(staff.get("/ui/webhooks").want(t, http.StatusOK), "the staff's list").contains(t, "Every webhook of the community",
				`<th scope="col">Organisation</th>`, `<td data-label="Organisation">Org B</td>`, `<td data-label="Organisation">Org C</td>`, "hooks.b.example", hookCURL)
		})
		t.Run("OKLog", func(t *testing.T) {
			p := check(member.get(bPage).want(t, http.StatusOK), "b's log").contains(t, fmt.Sprintf("<h1>Webhook %d</h1>", h.b.ID),
				`<th scope="col">HTTP status</th>`, `<th scope="col" class="num">Duration</th>`, "85 ms", "1.4 s",
				`<span class="">200 OK</span>`, `<span class="error">503 Service Unavailable</span>`,
				"the receiver answered 503 Service Unavailable", "The latest 3 attempts, newest first", "30 s",
				"Post &#34;https://***:***@hooks.b.example/ingest?token=***&amp;team=***&#34;: context deadline exceeded",
				fmt.Sprintf("GET /acme-isac/webhooks/%d/deliveries/", h.b.ID)).lacks(t, "Dead-lettered", "Failing:", "Retry")
			if strings.Index(p.body, "200 OK") > strings.Index(p.body, "503 Service Unavailable") {
				t.Error("the log is not newest first")
			}
			check(dead.get(cPage).want(t, http.StatusOK), "c's log").contains(t, "<strong>Dead-lettered:</strong>",
				"after 10 failed deliveries in a row", "no such host", "30 ms", `action="`+cPage+`/revive"`, "Revive and deliver now")
			check(staff.get(cPage).want(t, http.StatusOK), "c's log to a staff reader").contains(t, "<strong>Dead-lettered:</strong>",
				"An analyst or an administrator of the organisation can revive it here.").lacks(t, `action="`+cPage+`/revive"`)
		})
		t.Run("ErrNotFoundOtherOrg", func(t *testing.T) {
			for _, b := range []*browser{member, dead} {
				other := cPage
				if b == dead {
					other = bPage
				}
				got, none := b.get(other), b.get("/ui/webhooks/987654")
				got.want(t, http.StatusNotFound).lacks(t, "hooks.b.example", hookCURL, "B SOC feed", "C blocklist")
				id := strings.TrimPrefix(other, "/ui/webhooks/")
				if strings.ReplaceAll(got.body, "&#34;"+id+"&#34;", "&#34;987654&#34;") != none.body {
					t.Errorf("GET %s answers otherwise than a webhook that does not exist:\n%s\nversus\n%s", other, got.body, none.body)
				}
			}
			member.get("/ui/webhooks/x").want(t, http.StatusNotFound)
			check(staff.get(bPage).want(t, http.StatusOK), "the staff read b's log").contains(t, "<dt>Organisation</dt><dd>Org B</dd>")
			p := anon.get("/ui/webhooks")
			if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/ui/login") {
				t.Errorf("an anonymous visitor: %d to %q", p.status, p.location)
			}
		})
		t.Run("Revive", func(t *testing.T) {
			// Another organisation's webhook is not there; a reader may not
			// act; a form without the session's token is refused; the
			// receiving organisation's analyst revives it, its cursor kept.
			member.post(cPage+"/revive", url.Values{}).want(t, http.StatusNotFound).lacks(t, hookCURL)
			staff.post(cPage+"/revive", url.Values{}).want(t, http.StatusForbidden)
			dead.post(cPage+"/revive", url.Values{"csrf": {"forged"}}).want(t, http.StatusForbidden)
			before := webhookByID(t, h, h.c.ID)
			if !before.Dead {
				t.Fatal("webhook c is not dead before the revive")
			}
			p := dead.post(cPage+"/revive", url.Values{})
			if p.status != http.StatusSeeOther || p.location != cPage {
				t.Fatalf("revive: %d to %q", p.status, p.location)
			}
			after := webhookByID(t, h, h.c.ID)
			if after.Dead || after.Failures != 0 || after.LastError != "" || after.Cursor != before.Cursor {
				t.Fatalf("after the revive: %+v (cursor before %q)", after, before.Cursor)
			}
			check(dead.get(cPage).want(t, http.StatusOK), "c's log, revived").contains(t, `<span class="state state-ok">active</span>`).lacks(t, "Dead-lettered")
		})
	})
}

// webhookByID reads the community's webhook with the id from the store.
func webhookByID(t *testing.T, h *webhooked, id int64) *isachub.Webhook {
	t.Helper()
	hooks, err := h.store.Webhooks(t.Context(), h.comm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range hooks {
		if w.ID == id {
			return w
		}
	}
	t.Fatalf("no webhook %d", id)
	return nil
}
