// Package push delivers what feeds select to the teams that act on it,
// without their polling: webhooks (this file) to an organisation's
// receiver. (The feeds' live streams, Server-Sent Events, are served by
// package server.)
//
// # Webhooks
//
// A webhook (isachub.Webhook) follows a feed with a cursor. A Sender
// claims a due webhook (isachub.WebhookStore.ClaimWebhook: one replica at
// a time has it), reads the feed's next objects after the cursor with the
// rights of the receiving organisation (isachub.Reader.FeedSources, the
// one access rule: nothing it may not see), and POSTs them:
//
//	POST <url>
//	Content-Type: application/json
//	X-Isachub-Webhook: <webhook id>
//	X-Isachub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
//
//	{"webhook": <id>, "feed": "<feed id>", "cursor": "<cursor after them>", "objects": [<object JSON as stored>, ...]}
//
// A receiver verifies the signature by computing the HMAC of the
// timestamp, a dot and the raw body with its secret, comparing in
// constant time, and refusing a timestamp more than a few minutes old
// (against replays). A 2xx answer moves the cursor: delivery is
// at-least-once and in order per webhook (a receiver dedupes by object id
// and version). Anything else is retried after an exponential backoff
// with jitter (2 s doubling, at most an hour); after
// isachub.MaxWebhookFailures failures in a row the webhook is dead (its
// dead-letter state) until an administrator adds it again. Every attempt is
// in the delivery log (isachub.WebhookDelivery). The objects themselves
// are the outbox: stored before any delivery, in the transaction that
// stored them, so a crash or a restart loses nothing, and a replica that
// dies mid-delivery loses its claim when the lease ends and another takes
// the webhook over.
package push

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/isachub/isachub"
)

// Sender delivers webhooks.
type Sender struct {
	Store  isachub.Store
	Client *http.Client // nil: a client with a 30 s timeout
	// Owner names this replica in its claims (for example host and pid).
	Owner string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Lease is how long a claim holds (default 2 minutes): a replica that
	// dies mid-delivery loses the webhook after it.
	Lease time.Duration
	// Batch is the most objects one delivery carries (default 100).
	Batch int
	// Idle is how long a webhook whose feed had nothing new waits before
	// it is read again (default 2 s).
	Idle time.Duration
	// Backoff returns the wait after the n-th failure in a row; nil is
	// 2 s doubling up to an hour, with up to 25% jitter.
	Backoff func(n int) time.Duration
	// Wake, when set, returns a channel that is closed when this replica
	// stores objects (server.Server.Changed): the sender then makes the
	// idle webhooks due (WebhookStore.WakeWebhooks) and delivers at once,
	// instead of after Idle.
	Wake func() <-chan struct{}
	Log  *slog.Logger
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Backoff is the default wait after the n-th failure in a row.
func Backoff(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 11)
	d = min(d, time.Hour)
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

// Run delivers due webhooks until ctx ends, checking every interval when
// none is due, and at once when Wake says objects were stored.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	for {
		var wake <-chan struct{} // taken before the drain, so no store is missed
		if s.Wake != nil {
			wake = s.Wake()
		}
		for {
			worked, err := s.runSafely(ctx)
			if err != nil && ctx.Err() == nil && s.Log != nil {
				s.Log.Error("webhook delivery", "err", err)
			}
			if !worked || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
			if _, err := s.Store.WakeWebhooks(ctx, s.now()); err != nil && ctx.Err() == nil && s.Log != nil {
				s.Log.Error("waking webhooks", "err", err)
			}
		case <-time.After(interval):
		}
	}
}

// runSafely is RunOnce with a panic turned into an error, so that one bad
// delivery never ends the server; the claim then lapses with its lease.
func (s *Sender) runSafely(ctx context.Context) (worked bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			worked, err = false, fmt.Errorf("panic in a webhook delivery: %v\n%s", v, debug.Stack())
		}
	}()
	return s.RunOnce(ctx)
}

// RunOnce claims one due webhook and makes one delivery attempt (or
// moves its cursor past what its filter left out). worked is false when
// no webhook was due.
func (s *Sender) RunOnce(ctx context.Context) (worked bool, err error) {
	lease := s.Lease
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	w, err := s.Store.ClaimWebhook(ctx, s.Owner, s.now(), lease)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	claimed := *w
	d, err := s.deliver(ctx, w)
	// The claim is ended even when ctx ended meanwhile (this replica is
	// stopping): a claim left behind keeps the webhook from every replica,
	// this one started again included, until the lease ends.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if ctx.Err() != nil && (err != nil || d != nil && d.Error != "") {
		// The stop cut the attempt; the receiver did not fail it. The
		// webhook goes back as it was claimed: no failure counted or
		// logged, due at once.
		if rerr := s.Store.RecordDelivery(rctx, s.Owner, &claimed, nil); rerr != nil {
			return true, rerr
		}
		return true, err
	}
	if err != nil {
		return true, err
	}
	return true, s.Store.RecordDelivery(rctx, s.Owner, w, d)
}

// deliver makes one attempt and sets w's state for RecordDelivery; the
// delivery is nil when there was nothing to send. An error is the store's.
func (s *Sender) deliver(ctx context.Context, w *isachub.Webhook) (*isachub.WebhookDelivery, error) {
	now := s.now()
	objs, cursor, more, err := s.next(ctx, w, now)
	if err != nil {
		if code := isachub.ErrorCode(err); code == isachub.ENOTFOUND || code == isachub.EFORBIDDEN {
			// The feed or the organisation is gone, or the organisation
			// may no longer read the feed: dead, with the reason.
			w.Dead, w.LastError = true, err.Error()
			return &isachub.WebhookDelivery{WebhookID: w.ID, At: now, Error: err.Error()}, nil
		}
		return nil, err
	}
	if len(objs) == 0 {
		w.Cursor, w.NextAttempt = cursor, now.Add(s.idle())
		return nil, nil
	}
	start := time.Now() // the real clock, even when s.Now is a test's
	status, err := s.post(ctx, w, objs, cursor, now)
	d := &isachub.WebhookDelivery{WebhookID: w.ID, At: now, Objects: len(objs), Status: status, Duration: time.Since(start)}
	if err == nil {
		w.Cursor, w.Failures, w.LastError, d.Cursor = cursor, 0, "", cursor
		w.NextAttempt = now
		if !more {
			w.NextAttempt = now.Add(s.idle())
		}
		return d, nil
	}
	d.Error = err.Error()
	w.Failures++
	w.LastError = d.Error
	backoff := s.Backoff
	if backoff == nil {
		backoff = Backoff
	}
	w.NextAttempt = now.Add(backoff(w.Failures))
	w.Dead = w.Failures >= isachub.MaxWebhookFailures
	return d, nil
}

func (s *Sender) idle() time.Duration {
	if s.Idle > 0 {
		return s.Idle
	}
	return 2 * time.Second
}

// next reads the feed's next objects after w's cursor, with the rights
// of the receiving organisation.
func (s *Sender) next(ctx context.Context, w *isachub.Webhook, now time.Time) ([]json.RawMessage, string, bool, error) {
	fd, err := s.Store.Feed(ctx, w.CommunityID, w.FeedID)
	if err != nil {
		return nil, "", false, err
	}
	org, err := s.Store.OrgByID(ctx, w.OrgID)
	if err != nil {
		return nil, "", false, err
	}
	colls, err := s.Store.Collections(ctx, w.CommunityID)
	if err != nil {
		return nil, "", false, err
	}
	// A webhook reads as a reader of its organisation: no role beyond.
	peer, err := isachub.PeerOf(ctx, s.Store, org)
	if err != nil {
		return nil, "", false, err
	}
	reader := isachub.Reader{OrgID: org.ID, CommunityID: org.CommunityID, Peer: peer}
	sources, err := reader.FeedSources(fd, colls)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, "", false, isachub.Errorf(isachub.EFORBIDDEN, "The organisation may no longer read feed %s.", fd.ID)
	} else if err != nil {
		return nil, "", false, err
	}
	cursor := w.Cursor
	if cursor == "" {
		cursor = isachub.FeedCursor(w.CreatedAt)
	}
	batch := s.Batch
	if batch <= 0 {
		batch = 100
	}
	p, err := isachub.ReadFeed(ctx, s.Store, fd, sources, isachub.ObjectFilter{Next: cursor, Limit: batch}, now)
	if err != nil {
		return nil, "", false, err
	}
	objs := make([]json.RawMessage, len(p.Objects))
	for i, v := range p.Objects {
		objs[i] = v.Raw
	}
	if p.Position != "" {
		cursor = p.Position
	}
	return objs, cursor, p.More, nil
}

// Sign returns the X-Isachub-Signature of a body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// post sends one delivery; err is nil only for a 2xx answer.
func (s *Sender) post(ctx context.Context, w *isachub.Webhook, objs []json.RawMessage, cursor string, now time.Time) (int, error) {
	body, err := json.Marshal(struct {
		Webhook int64             `json:"webhook"`
		Feed    string            `json:"feed"`
		Cursor  string            `json:"cursor"`
		Objects []json.RawMessage `json:"objects"`
	}{w.ID, w.FeedID, cursor, objs})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("the webhook's URL: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "isachub")
	req.Header.Set("X-Isachub-Webhook", strconv.FormatInt(w.ID, 10))
	req.Header.Set("X-Isachub-Signature", Sign(w.Secret, now, body))
	client := s.Client
	if client == nil {
		// Redirects are not followed: the receiver is the URL the
		// administrator gave.
		client = &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("the receiver could not be reached: %v", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return resp.StatusCode, nil
}
