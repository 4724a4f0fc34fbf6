package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/isachub/isachub"
)

// The webhooks page (issue 10): the organisation's webhooks and the
// delivery log of each, for its members, and every webhook of the
// community for the ISAC's staff (isachub.MayReadWebhook), as
// `isachub admin webhook list` and `deliveries` show them to the
// operator. Another organisation's webhook is answered as one that does
// not exist; no page shows a secret, nor what maskWebhookURL hides. A
// dead-lettered (or failing) webhook is revived from its page by those
// isachub.MayReviveWebhook lets: it delivers again from where it stopped.

// webhookView is a webhook as the pages show it.
type webhookView struct {
	ID          int64
	URL         string // masked
	Org         string // the receiving organisation's name
	FeedID      string
	Feed        string // the feed's title; "" when it is unknown
	State       string // webhookState
	Failures    int
	LastError   string
	NextAttempt time.Time
	Created     time.Time
	Last        *deliveryView
}

// deliveryView is an entry of a delivery log as the pages show it.
type deliveryView struct {
	At       time.Time
	Objects  int
	Status   int    // 0: no answer
	Text     string // the status's text, "Service Unavailable"
	Duration string // "" when not measured
	Error    string
}

// newDeliveryView is an entry of w's log, its error masked
// (maskWebhookText).
func newDeliveryView(w *isachub.Webhook, d *isachub.WebhookDelivery) *deliveryView {
	return &deliveryView{At: d.At, Objects: d.Objects, Status: d.Status, Text: http.StatusText(d.Status),
		Duration: deliveryDuration(d.Duration), Error: maskWebhookText(d.Error, w.URL)}
}

// deliveryDuration is d for a person: "85 ms", "1.4 s", "30 s"; "" for 0.
func deliveryDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Millisecond:
		return "under 1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return durationText(d)
}

// webhookViews returns the views of the webhooks the viewer may read,
// each with its latest delivery.
func (s *Server) webhookViews(r *http.Request, v *viewer, hooks []*isachub.Webhook) ([]webhookView, error) {
	ctx := r.Context()
	if len(hooks) == 0 {
		return nil, nil
	}
	orgs, err := s.store.Orgs(ctx, v.comm.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	feeds, err := s.store.Feeds(ctx, v.comm.ID)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, f := range feeds {
		titles[f.ID] = f.Title
	}
	var out []webhookView
	for _, w := range hooks {
		wv := webhookView{ID: w.ID, URL: maskWebhookURL(w.URL), Org: names[w.OrgID], FeedID: w.FeedID, Feed: titles[w.FeedID],
			State: webhookState(w), Failures: w.Failures, LastError: maskWebhookText(w.LastError, w.URL), Created: w.CreatedAt}
		if !w.Dead {
			wv.NextAttempt = w.NextAttempt
		}
		last, err := s.store.Deliveries(ctx, w.ID, 1)
		if err != nil {
			return nil, err
		}
		if len(last) > 0 {
			wv.Last = newDeliveryView(w, last[0])
		}
		out = append(out, wv)
	}
	return out, nil
}

// handleWebhooksPage lists the webhooks the viewer may read.
func (s *Server) handleWebhooksPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	hooks, err := s.readableWebhooks(r.Context(), v.org, v.comm)
	if err != nil {
		return err
	}
	views, err := s.webhookViews(r, v, hooks)
	if err != nil {
		return err
	}
	var troubled []webhookView
	for _, wv := range views {
		if wv.State != "active" {
			troubled = append(troubled, wv)
		}
	}
	s.render(w, r, v, "webhooks", page{Title: "Webhooks", Nav: "webhooks", Data: map[string]any{
		"Webhooks": views, "Troubled": troubled, "Staff": v.org.Staff, "Max": isachub.MaxWebhookFailures,
	}})
	return nil
}

// handleWebhookPage shows one webhook and its delivery log, newest first.
func (s *Server) handleWebhookPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	hook, err := s.readableWebhook(ctx, v.org, v.comm, r.PathValue("id"))
	if err != nil {
		return err
	}
	views, err := s.webhookViews(r, v, []*isachub.Webhook{hook})
	if err != nil {
		return err
	}
	log, err := s.store.Deliveries(ctx, hook.ID, isachub.DefaultWebhookDeliveries)
	if err != nil {
		return err
	}
	entries := make([]*deliveryView, len(log))
	for i, d := range log {
		entries[i] = newDeliveryView(hook, d)
	}
	s.render(w, r, v, "webhook", page{Title: fmt.Sprintf("Webhook %d", hook.ID), Nav: "webhooks", Data: map[string]any{
		"Webhook": views[0], "Log": entries, "Shown": isachub.DefaultWebhookDeliveries, "Kept": int64(isachub.MaxWebhookDeliveries),
		"Max": isachub.MaxWebhookFailures, "Staff": v.org.Staff, "Slug": v.comm.Slug,
		"MayRevive": isachub.MayReviveWebhook(v.org, v.user.Role, hook),
	}})
	return nil
}

// handleReviveWebhook takes the webhook out of its dead-letter state (or
// its backoff) and shows its page again: the next delivery goes out at
// once, from the first object not delivered.
func (s *Server) handleReviveWebhook(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	hook, err := s.readableWebhook(ctx, v.org, v.comm, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !isachub.MayReviveWebhook(v.org, v.user.Role, hook) {
		return isachub.Errorf(isachub.EFORBIDDEN, "Your role (%s) may read this webhook but not revive it; an analyst or an administrator of your organisation may.", v.user.Role)
	}
	if err := s.store.ReviveWebhook(ctx, v.comm.ID, hook.ID, time.Now()); err != nil {
		return err
	}
	s.log.Info("webhook revived", "username", v.user.Username, "webhook", hook.ID, "was_dead", hook.Dead, "failures", hook.Failures)
	http.Redirect(w, r, fmt.Sprintf("/ui/webhooks/%d", hook.ID), http.StatusSeeOther)
	return nil
}
