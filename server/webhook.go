package server

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// An organisation's webhooks (isachub.Webhook) and their delivery logs, for
// its members and the ISAC's staff (isachub.MayReadWebhook): read-only,
// on the web UI (web_webhooks.go) and as JSON for tools, in the style of
// the other isachub endpoints of an API root:
//
//	GET /{root}/webhooks/                  the webhooks the caller may read
//	GET /{root}/webhooks/{id}/deliveries/  one's log, newest first (?limit=N, at most 1,000)
//
// A webhook the caller may not read is answered exactly like one that
// does not exist (404), and no answer holds a webhook's secret, nor the
// password or query values of its URL (maskWebhookURL).

// readableWebhooks returns the community's webhooks that a user of org may
// read, by id.
func (s *Server) readableWebhooks(ctx context.Context, org *isachub.Org, comm *isachub.Community) ([]*isachub.Webhook, error) {
	all, err := s.store.Webhooks(ctx, comm.ID)
	if err != nil {
		return nil, err
	}
	var out []*isachub.Webhook
	for _, w := range all {
		if isachub.MayReadWebhook(org, w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// readableWebhook returns the community's webhook with the id if a user of
// org may read it, and ENOTFOUND otherwise: with the same message whether
// it does not exist or is another organisation's.
func (s *Server) readableWebhook(ctx context.Context, org *isachub.Org, comm *isachub.Community, id string) (*isachub.Webhook, error) {
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no webhook %s in this community.", strconv.Quote(clip(id)))
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, notFound
	}
	hooks, err := s.readableWebhooks(ctx, org, comm)
	if err != nil {
		return nil, err
	}
	for _, w := range hooks {
		if w.ID == n {
			return w, nil
		}
	}
	return nil, notFound
}

// maskedValue replaces what a shown URL hides.
const maskedValue = "***"

// maskWebhookURL returns the webhook's URL as a page or an answer may show
// it: the user information (a password, a token as user name) and the
// value of every query parameter masked, since receivers often take their
// own credential there. A URL that does not parse is masked whole.
func maskWebhookURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return maskedValue
	}
	if u.User != nil {
		u.User = url.User(maskedValue)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{maskedValue}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment, u.RawFragment = "", ""
	// url.Values.Encode escapes the mask; a person reads it better plain.
	return strings.ReplaceAll(u.String(), url.QueryEscape(maskedValue), maskedValue)
}

// maskWebhookText returns an error of the webhook's log with what
// maskWebhookURL hides masked in it too: an HTTP client's error quotes the
// URL it posted to (net/http masks a password, not a query's token). Each
// query value of four characters or more is masked wherever it appears,
// and every one where the URL's text has it.
func maskWebhookText(text, rawURL string) string {
	if text == "" {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return strings.ReplaceAll(text, rawURL, maskedValue)
	}
	var pairs []string // old, new
	if u.User != nil {
		pairs = append(pairs, u.User.String()+"@", maskedValue+"@")
		if name := u.User.Username(); name != "" {
			pairs = append(pairs, "//"+url.User(name).String()+":", "//"+maskedValue+":")
		}
		if pw, ok := u.User.Password(); ok && len(pw) >= 4 {
			pairs = append(pairs, pw, maskedValue)
		}
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			continue
		}
		pairs = append(pairs, kv, k+"="+maskedValue)
		if len(v) >= 4 {
			pairs = append(pairs, v, maskedValue)
			if plain, err := url.QueryUnescape(v); err == nil && plain != v && len(plain) >= 4 {
				pairs = append(pairs, plain, maskedValue)
			}
		}
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// webhookState is a webhook's state in a word: "dead-lettered" after
// isachub.MaxWebhookFailures failures in a row (never tried again),
// "failing" while it retries, "active" otherwise.
func webhookState(w *isachub.Webhook) string {
	switch {
	case w.Dead:
		return "dead-lettered"
	case w.Failures > 0:
		return "failing"
	}
	return "active"
}

// webhookResource is a webhook in GET /{root}/webhooks/: never its secret.
type webhookResource struct {
	ID           int64             `json:"id"`
	Organisation string            `json:"organisation"` // the receiving organisation's slug
	Feed         string            `json:"feed"`
	URL          string            `json:"url"` // masked (maskWebhookURL)
	State        string            `json:"state"`
	Failures     int               `json:"failures"`
	LastError    string            `json:"last_error,omitempty"`
	NextAttempt  string            `json:"next_attempt,omitempty"` // while it is not dead
	Created      string            `json:"created"`
	LastDelivery *deliveryResource `json:"last_delivery,omitempty"`
}

// deliveryResource is one entry of a delivery log.
type deliveryResource struct {
	At         string  `json:"at"`
	Objects    int     `json:"objects"`
	Status     int     `json:"http_status"` // 0 when the receiver did not answer
	DurationMS float64 `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
}

// newDeliveryResource is an entry of w's log, its error masked
// (maskWebhookText).
func newDeliveryResource(w *isachub.Webhook, d *isachub.WebhookDelivery) *deliveryResource {
	return &deliveryResource{At: taxii.FormatTimestamp(d.At), Objects: d.Objects, Status: d.Status,
		DurationMS: math.Round(float64(d.Duration)/float64(time.Microsecond)) / 1000, Error: maskWebhookText(d.Error, w.URL)}
}

// handleWebhooks serves the community's webhooks that the caller may read,
// each with its latest delivery.
func (s *Server) handleWebhooks(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	ctx := r.Context()
	comm, err := s.community(ctx, c, r.PathValue("root"))
	if err != nil {
		return err
	}
	hooks, err := s.readableWebhooks(ctx, c.org, comm)
	if err != nil {
		return err
	}
	slugs, err := s.orgSlugs(ctx, comm, hooks)
	if err != nil {
		return err
	}
	out := struct {
		Webhooks []webhookResource `json:"webhooks"`
	}{Webhooks: []webhookResource{}}
	for _, h := range hooks {
		res := webhookResource{ID: h.ID, Organisation: slugs[h.OrgID], Feed: h.FeedID, URL: maskWebhookURL(h.URL),
			State: webhookState(h), Failures: h.Failures, LastError: maskWebhookText(h.LastError, h.URL), Created: taxii.FormatTimestamp(h.CreatedAt)}
		if !h.Dead {
			res.NextAttempt = taxii.FormatTimestamp(h.NextAttempt)
		}
		last, err := s.store.Deliveries(ctx, h.ID, 1)
		if err != nil {
			return err
		}
		if len(last) > 0 {
			res.LastDelivery = newDeliveryResource(h, last[0])
		}
		out.Webhooks = append(out.Webhooks, res)
	}
	writeTAXII(w, http.StatusOK, out)
	return nil
}

// handleWebhookDeliveries serves a webhook's delivery log, newest first:
// ?limit=N entries (isachub.WebhookDeliveriesLimit: 100 unless given, at
// most 1,000).
func (s *Server) handleWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	ctx := r.Context()
	comm, err := s.community(ctx, c, r.PathValue("root"))
	if err != nil {
		return err
	}
	hook, err := s.readableWebhook(ctx, c.org, comm, r.PathValue("id"))
	if err != nil {
		return err
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit <= 0 {
			return isachub.Errorf(isachub.EINVALID, "limit=%s is not a positive number of entries.", strconv.Quote(clip(v)))
		}
	}
	log, err := s.store.Deliveries(ctx, hook.ID, limit)
	if err != nil {
		return err
	}
	out := struct {
		Webhook    int64               `json:"webhook"`
		Deliveries []*deliveryResource `json:"deliveries"`
	}{Webhook: hook.ID, Deliveries: []*deliveryResource{}}
	for _, d := range log {
		out.Deliveries = append(out.Deliveries, newDeliveryResource(hook, d))
	}
	writeTAXII(w, http.StatusOK, out)
	return nil
}

// orgSlugs maps the receiving organisations of hooks to their slugs.
func (s *Server) orgSlugs(ctx context.Context, comm *isachub.Community, hooks []*isachub.Webhook) (map[int64]string, error) {
	slugs := map[int64]string{}
	if len(hooks) == 0 {
		return slugs, nil
	}
	orgs, err := s.store.Orgs(ctx, comm.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		slugs[o.ID] = o.Slug
	}
	return slugs, nil
}
