package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
)

// The adversarial suite extended to webhooks (issue 10): S receives its own
// feed at a URL carrying a password and a query key, and its delivery log
// names the receiver's host; B receives the staff's feed. No attacker may
// read S's webhook, its log, its URL or its secret, on the API or the web
// UI: a request for it answers byte for byte what a request for a webhook
// that does not exist answers. B reads its own and nothing of S's.

// missingWebhook returns an id of as many digits as S's webhook's that no
// webhook of the suite has, so that the answers for both have the same
// length.
func (h *confidential) missingWebhook() string {
	sable := fmt.Sprint(h.hooks["sable"].ID)
	for _, d := range "98" {
		if id := strings.Repeat(string(d), len(sable)); id != sable && id != fmt.Sprint(h.hooks["b"].ID) {
			return id
		}
	}
	panic("no free webhook id")
}

// addWebhooks makes S's and B's webhooks, with a log for S's.
func (h *confidential) addWebhooks(t *testing.T) {
	at := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	h.hooks = map[string]*isachub.Webhook{
		"sable": mustWebhook(t, h.store, &isachub.Webhook{CommunityID: h.comm.ID, OrgID: h.org.ID, FeedID: h.feeds["own"].ID,
			URL: "https://relay-user:sable-pass@relay.sable-airways.example/hook?key=sable-url-key", Secret: "sable-webhook-secret", Failures: 1},
			&isachub.WebhookDelivery{At: at, Objects: 4, Status: 200, Cursor: "c1", Duration: time.Millisecond},
			&isachub.WebhookDelivery{At: at.Add(time.Minute), Objects: 2,
				Error: `Post "https://relay-user:***@relay.sable-airways.example/hook?key=sable-url-key": dial tcp: lookup relay.sable-airways.example: no such host`}),
		"b": mustWebhook(t, h.store, &isachub.Webhook{CommunityID: h.comm.ID, OrgID: h.orgs["b"].ID, FeedID: h.feeds["staff"].ID,
			URL: "https://hooks.b.example/in", Secret: "b-webhook-secret"}),
	}
}

// webhookWords are what of the webhooks the attacker may not read: S's
// webhook all of it, B's secret, and B's URL unless the attacker is B's.
func (h *confidential) webhookWords(a attacker) []string {
	words := []string{"relay.sable-airways.example", "relay-user", "sable-pass", "sable-url-key", "sable-webhook-secret", "b-webhook-secret"}
	if a.user != "b-analyst" {
		words = append(words, "hooks.b.example")
	}
	return words
}

// attackWebhooks reads the webhooks every way the API allows: the list,
// and S's log beside that of a webhook that does not exist.
func (h *confidential) attackWebhooks(t *testing.T, a attacker, words []string, fakes map[string]string) {
	for _, r := range []string{root, "/other-isac/"} {
		res := h.probe(t, a, words, fakes, req{path: r + "webhooks/"})
		if a.user == "b-analyst" && r == root && (res.status != http.StatusOK || !strings.Contains(string(res.body), fmt.Sprintf(`"id":%d,`, h.hooks["b"].ID))) {
			t.Errorf("B does not list its own webhook: %d %s", res.status, res.body)
		}
	}
	sable, missing := fmt.Sprint(h.hooks["sable"].ID), h.missingWebhook()
	for _, p := range []string{"webhooks/%s/deliveries/", "webhooks/%s/deliveries/?limit=1000"} {
		got := h.probe(t, a, words, fakes, req{path: root + fmt.Sprintf(p, sable)})
		want := h.probe(t, a, words, fakes, req{path: root + fmt.Sprintf(p, missing)})
		got.header.Del("Date")
		want.header.Del("Date")
		if g := strings.ReplaceAll(rawBytes(got), `\"`+sable+`\"`, `\"`+missing+`\"`); g != rawBytes(want) {
			t.Errorf("%s: S's webhook answers otherwise than one that does not exist:\n%s\nversus\n%s", a.user, clipBody([]byte(g)), clipBody([]byte(rawBytes(want))))
		}
		if got.status == http.StatusOK {
			t.Errorf("%s reads S's delivery log: %s", a.user, got.body)
		}
	}
}

// testWebhookOwner: S reads its own webhook and log, its URL masked and
// its secret nowhere.
func (h *confidential) testWebhookOwner(t *testing.T) {
	res := h.do(t, req{path: root + "webhooks/", user: "s-analyst"}).want(t, http.StatusOK, nil)
	if !strings.Contains(string(res.body), `"url":"https://***@relay.sable-airways.example/hook?key=***"`) || strings.Contains(string(res.body), "hooks.b.example") {
		t.Errorf("S's webhooks: %s", res.body)
	}
	log := h.do(t, req{path: fmt.Sprintf("%swebhooks/%d/deliveries/", root, h.hooks["sable"].ID), user: "s-analyst"}).want(t, http.StatusOK, nil)
	b := h.browser(t)
	b.signInAs("s-analyst")
	list, page := b.get("/ui/webhooks").want(t, http.StatusOK), b.get(fmt.Sprintf("/ui/webhooks/%d", h.hooks["sable"].ID)).want(t, http.StatusOK)
	page.contains(t, "no such host", "1 ms")
	for _, body := range []string{string(res.body), string(log.body), list.body, page.body} {
		for _, w := range []string{"sable-webhook-secret", "sable-pass", "sable-url-key", "relay-user", "b-webhook-secret"} {
			if strings.Contains(body, w) {
				t.Errorf("S is shown %q: %.600s", w, body)
			}
		}
	}
}
