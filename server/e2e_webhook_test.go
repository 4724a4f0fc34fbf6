package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
)

// mustWebhook stores w and then the delivery log entries, oldest first,
// each through a claim as the sender makes it (the last one's state is
// w's Failures and Dead as given); the webhook is then not due for a long
// time, so that the next webhook made is the one a claim finds.
func mustWebhook(tb testing.TB, s isachub.Store, w *isachub.Webhook, log ...*isachub.WebhookDelivery) *isachub.Webhook {
	tb.Helper()
	ctx := context.Background()
	failures, dead := w.Failures, w.Dead
	w.Failures, w.Dead = 0, false
	if err := s.CreateWebhook(ctx, w); err != nil {
		tb.Fatal(err)
	}
	for i, d := range log {
		c, err := s.ClaimWebhook(ctx, "test", time.Now(), time.Minute)
		if err != nil {
			tb.Fatal(err)
		}
		if c.ID != w.ID {
			tb.Fatalf("claimed webhook %d, want %d", c.ID, w.ID)
		}
		if i == len(log)-1 {
			c.Failures, c.Dead, c.LastError = failures, dead, d.Error
			c.NextAttempt = time.Now().Add(1000 * time.Hour)
		}
		if err := s.RecordDelivery(ctx, "test", c, d); err != nil {
			tb.Fatal(err)
		}
		*w = *c
	}
	if len(log) == 0 {
		c, err := s.ClaimWebhook(ctx, "test", time.Now(), time.Minute)
		if err != nil {
			tb.Fatal(err)
		}
		c.NextAttempt = time.Now().Add(1000 * time.Hour)
		if err := s.RecordDelivery(ctx, "test", c, nil); err != nil {
			tb.Fatal(err)
		}
		*w = *c
	}
	return w
}

// webhooked is the test hub with organisation a as the ISAC's staff, a
// feed for b and one for c, and a webhook of each: b's active with a
// success after a failure, its URL carrying a password and a query
// token; c's dead-lettered.
type webhooked struct {
	*hub
	b, c    *isachub.Webhook
	secrets []string // what no answer may show: the webhooks' secrets, the URL's password and token
}

const (
	hookBURL    = "https://soc-bot:hunter2-pass@hooks.b.example/ingest?token=b-query-token&team=soc"
	hookBMasked = "https://***@hooks.b.example/ingest?team=***&token=***"
	hookCURL    = "https://siem.c.example/isachub"
)

func newWebhooked(t *testing.T, newHub func(testing.TB, server.Config) *hub) *webhooked {
	t.Helper()
	ctx := context.Background()
	h := &webhooked{hub: newHub(t, server.Config{})}
	a := h.orgs["a"]
	a.Staff = true
	if err := h.store.UpdateOrg(ctx, a); err != nil {
		t.Fatal(err)
	}
	feed := func(org, title string) *isachub.Feed {
		f := &isachub.Feed{CommunityID: h.comm.ID, OrgID: h.orgs[org].ID, Title: title}
		if err := h.store.CreateFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	fb, fc := feed("b", "B SOC feed"), feed("c", "C blocklist")
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	h.b = mustWebhook(t, h.store, &isachub.Webhook{CommunityID: h.comm.ID, OrgID: h.orgs["b"].ID, FeedID: fb.ID, URL: hookBURL, Secret: "b-webhook-secret-0123456789"},
		&isachub.WebhookDelivery{At: at.Add(-time.Minute), Objects: 12, Error: `Post "https://soc-bot:***@hooks.b.example/ingest?token=b-query-token&team=soc": context deadline exceeded`, Duration: 30 * time.Second},
		&isachub.WebhookDelivery{At: at, Objects: 12, Status: 503, Error: "the receiver answered 503 Service Unavailable", Duration: 1400 * time.Millisecond},
		&isachub.WebhookDelivery{At: at.Add(2 * time.Second), Objects: 12, Status: 200, Cursor: "c1", Duration: 85 * time.Millisecond})
	var dead []*isachub.WebhookDelivery
	for i := range isachub.MaxWebhookFailures {
		dead = append(dead, &isachub.WebhookDelivery{At: at.Add(time.Duration(i) * time.Minute), Objects: 3,
			Error: "Post \"https://siem.c.example/isachub\": dial tcp: lookup siem.c.example: no such host", Duration: 30 * time.Millisecond})
	}
	h.c = mustWebhook(t, h.store, &isachub.Webhook{CommunityID: h.comm.ID, OrgID: h.orgs["c"].ID, FeedID: fc.ID, URL: hookCURL, Secret: "c-webhook-secret-0123456789",
		Failures: isachub.MaxWebhookFailures, Dead: true}, dead...)
	h.secrets = []string{h.b.Secret, h.c.Secret, "hunter2-pass", "soc-bot", "b-query-token"}
	return h
}

// webhookList is GET /{root}/webhooks/ decoded.
type webhookList struct {
	Webhooks []struct {
		ID           int64
		Organisation string
		Feed         string
		URL          string
		State        string
		Failures     int
		LastError    string `json:"last_error"`
		NextAttempt  string `json:"next_attempt"`
		LastDelivery *struct {
			At         string
			Objects    int
			HTTPStatus int     `json:"http_status"`
			DurationMS float64 `json:"duration_ms"`
			Error      string
		} `json:"last_delivery"`
	}
}

// TestWebhooksAPI: GET /{root}/webhooks/ lists the webhooks a member's
// organisation receives (the staff's: all of the community's), their URL
// masked, and /{id}/deliveries/ the log newest first; another
// organisation's webhook answers exactly like one that does not exist,
// and nothing shows a secret.
func TestWebhooksAPI(t *testing.T) {
	forBackends(t, func(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
		h := newWebhooked(t, newHub)
		list := func(user string) webhookList {
			t.Helper()
			var l webhookList
			res := h.do(t, req{path: root + "webhooks/", user: user}).want(t, http.StatusOK, &l)
			for _, s := range h.secrets {
				if strings.Contains(string(res.body), s) {
					t.Errorf("%s's list shows %q: %s", user, s, res.body)
				}
			}
			return l
		}
		t.Run("OKOwnOnly", func(t *testing.T) {
			l := list("b-analyst")
			if len(l.Webhooks) != 1 {
				t.Fatalf("b lists %d webhooks, want its own: %+v", len(l.Webhooks), l)
			}
			w := l.Webhooks[0]
			if w.ID != h.b.ID || w.Organisation != "b" || w.Feed != h.b.FeedID || w.URL != hookBMasked || w.State != "active" || w.Failures != 0 || w.NextAttempt == "" {
				t.Errorf("b's webhook %+v", w)
			}
			if d := w.LastDelivery; d == nil || d.HTTPStatus != 200 || d.Objects != 12 || d.DurationMS != 85 || d.At != "2026-12-01T09:00:02.000000Z" || d.Error != "" {
				t.Errorf("b's last delivery %+v", d)
			}
			l = list("c-analyst")
			if len(l.Webhooks) != 1 || l.Webhooks[0].ID != h.c.ID || l.Webhooks[0].State != "dead-lettered" || l.Webhooks[0].Failures != isachub.MaxWebhookFailures ||
				l.Webhooks[0].NextAttempt != "" || !strings.Contains(l.Webhooks[0].LastError, "no such host") {
				t.Errorf("c's webhooks %+v", l)
			}
			if l := list("a-reader"); len(l.Webhooks) != 2 {
				t.Errorf("the staff's reader lists %d webhooks, want the community's 2", len(l.Webhooks))
			}
		})
		t.Run("OKDeliveries", func(t *testing.T) {
			type deliveries struct {
				Webhook    int64
				Deliveries []struct {
					At         string
					Objects    int
					HTTPStatus int     `json:"http_status"`
					DurationMS float64 `json:"duration_ms"`
					Error      string
				}
			}
			var log deliveries
			h.do(t, req{path: fmt.Sprintf("%swebhooks/%d/deliveries/", root, h.b.ID), user: "b-analyst", accept: "-"}).want(t, http.StatusOK, &log)
			if log.Webhook != h.b.ID || len(log.Deliveries) != 3 || log.Deliveries[2].Error != `Post "https://***:***@hooks.b.example/ingest?token=***&team=***": context deadline exceeded` || log.Deliveries[0].HTTPStatus != 200 || log.Deliveries[1].HTTPStatus != 503 ||
				log.Deliveries[1].DurationMS != 1400 || log.Deliveries[1].Error != "the receiver answered 503 Service Unavailable" {
				t.Errorf("b's log, want newest first: %+v", log)
			}
			log = deliveries{}
			h.do(t, req{path: fmt.Sprintf("%swebhooks/%d/deliveries/?limit=1", root, h.b.ID), user: "b-analyst"}).want(t, http.StatusOK, &log)
			if len(log.Deliveries) != 1 || log.Deliveries[0].HTTPStatus != 200 {
				t.Errorf("?limit=1: %+v", log)
			}
			log = deliveries{}
			h.do(t, req{path: fmt.Sprintf("%swebhooks/%d/deliveries/?limit=1000", root, h.c.ID), user: "a-analyst"}).want(t, http.StatusOK, &log)
			if len(log.Deliveries) != isachub.MaxWebhookFailures || log.Deliveries[0].HTTPStatus != 0 {
				t.Errorf("the staff read c's log: %+v", log)
			}
			h.do(t, req{path: fmt.Sprintf("%swebhooks/%d/deliveries/?limit=x", root, h.b.ID), user: "b-analyst"}).wantError(t, http.StatusBadRequest)
		})
		t.Run("ErrNotFoundOtherOrg", func(t *testing.T) {
			other := fmt.Sprintf("%swebhooks/%d/deliveries/", root, h.c.ID)
			none := root + "webhooks/987654/deliveries/"
			for _, user := range []string{"b-analyst", "operator"} {
				if user == "operator" { // the hub operator in the staff organisation: reads it
					h.do(t, req{path: other, user: user}).want(t, http.StatusOK, nil)
					continue
				}
				got, want := h.do(t, req{path: other, user: user}), h.do(t, req{path: none, user: user})
				got.wantError(t, http.StatusNotFound)
				if strings.ReplaceAll(string(got.body), fmt.Sprint(h.c.ID), "987654") != string(want.body) {
					t.Errorf("c's webhook answers %s, one that does not exist %s", got.body, want.body)
				}
			}
			for _, p := range []string{root + "webhooks/", other, none, root + "webhooks/x/deliveries/", root + "webhooks/0/deliveries/"} {
				res := h.do(t, req{path: p, user: "x-analyst"})
				if res.status != http.StatusNotFound || strings.Contains(string(res.body), "siem.c.example") {
					t.Errorf("x of another community: GET %s %d %s", p, res.status, res.body)
				}
			}
			h.do(t, req{path: root + "webhooks/", accept: "-"}).wantError(t, http.StatusUnauthorized)
		})
	})
}
