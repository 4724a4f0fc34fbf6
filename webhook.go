package isachub

import (
	"context"
	"time"
)

// Webhook pushes what a feed selects to an organisation's receiver: each
// delivery is an HTTP POST of the next objects after Cursor (a feed
// cursor, ReadFeed), signed with Secret. The feed's objects are the
// outbox: they are in the database in the same transaction that stored
// them, and a delivery moves Cursor only once the receiver has answered
// 2xx, so nothing is lost across a restart or a crash (at-least-once, in
// order). Package push delivers them.
type Webhook struct {
	ID          int64
	CommunityID int64
	// OrgID is the organisation that receives: the deliveries hold what
	// its members may read of the feed.
	OrgID  int64
	FeedID string
	URL    string
	// Secret is the HMAC-SHA256 key of the X-Isachub-Signature header,
	// shown once when the webhook is made.
	Secret string
	// Cursor is the feed position after the last delivered object.
	Cursor string
	// Failures counts the deliveries that failed since the last success;
	// at MaxWebhookFailures the webhook is Dead (its dead-letter state)
	// and is not tried again until it is revived (ReviveWebhook), when it
	// goes on from Cursor: nothing the feed received meanwhile is lost.
	Failures    int
	Dead        bool
	NextAttempt time.Time // not before; zero: at once
	LastError   string
	CreatedAt   time.Time
}

// MaxWebhookFailures is how many deliveries in a row may fail before a
// webhook is dead (its dead-letter state).
const MaxWebhookFailures = 10

// WebhookDelivery is one attempt in a webhook's delivery log, which the
// receiving organisation may read.
type WebhookDelivery struct {
	WebhookID int64
	At        time.Time
	Objects   int    // objects in the delivery
	Status    int    // the receiver's HTTP status; 0 when there was none
	Error     string // "" on success
	Cursor    string // the cursor after the delivery when it succeeded
	// Duration is how long the POST took, to the receiver's answer or the
	// failure (kept to the microsecond); 0 when nothing was posted.
	Duration time.Duration
}

// WebhookStore keeps webhooks and their delivery logs.
type WebhookStore interface {
	// CreateWebhook stores w (its Cursor, Failures, Dead and NextAttempt
	// as given), setting w.ID and w.CreatedAt. A feed or organisation not
	// of w's community is ENOTFOUND.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// ReviveWebhook takes the community's webhook with the id out of its
	// dead-letter state, or out of its backoff: no failures, no last
	// error, due at now. Its Cursor is kept, so that the next delivery
	// goes on with the first object it has not delivered. ENOTFOUND when
	// there is no such webhook.
	ReviveWebhook(ctx context.Context, communityID, id int64, now time.Time) error
	// Webhooks returns the community's webhooks, by id.
	Webhooks(ctx context.Context, communityID int64) ([]*Webhook, error)
	// DeleteWebhook removes the community's webhook with the id and its
	// log, or returns ENOTFOUND. Deleting its feed deletes it too.
	DeleteWebhook(ctx context.Context, communityID, id int64) error
	// ClaimWebhook returns a webhook of any community that is not dead,
	// whose NextAttempt is at or before now and that no other claim holds
	// (a claim lasts until now+lease, or until RecordDelivery), and marks
	// it claimed by owner; ENOTFOUND when none is due. Several replicas
	// may claim at once: each webhook goes to one.
	ClaimWebhook(ctx context.Context, owner string, now time.Time, lease time.Duration) (*Webhook, error)
	// RecordDelivery ends owner's claim of the webhook: it stores the
	// webhook's Cursor, Failures, Dead, NextAttempt and LastError as w
	// gives them and, when d is not nil, appends d to its log (keeping
	// the most recent 1,000 entries). ECONFLICT when owner's claim was lost
	// (expired and taken by another), in which case nothing is stored.
	RecordDelivery(ctx context.Context, owner string, w *Webhook, d *WebhookDelivery) error
	// WakeWebhooks makes due at now every webhook that waits only because
	// its feed had nothing new (not dead, no failure, not claimed, next
	// attempt later than now), so that objects just stored go out at once;
	// a webhook in its backoff after a failure keeps waiting. It returns
	// how many it woke.
	WakeWebhooks(ctx context.Context, now time.Time) (int64, error)
	// Deliveries returns the most recent entries of the webhook's log,
	// newest first, at most limit.
	Deliveries(ctx context.Context, webhookID int64, limit int) ([]*WebhookDelivery, error)
}

// The bounds of a webhook's delivery log that both stores keep.
const (
	MaxWebhookDeliveries     = 1000 // entries kept per webhook, and the most Deliveries returns
	DefaultWebhookDeliveries = 100  // what Deliveries returns for a limit of 0 or less
)

// Validate returns EINVALID when the webhook cannot be stored: no URL or
// no secret. Both stores call it.
func (w *Webhook) Validate() error {
	switch {
	case w.URL == "":
		return Errorf(EINVALID, "The webhook has no URL.")
	case w.Secret == "":
		return Errorf(EINVALID, "The webhook has no secret.")
	}
	return nil
}

// CheckWebhookClaim returns EINVALID for a claim without an owner (which
// would match unclaimed webhooks) or, when lease is checked, a lease that
// is not positive. Both stores call it.
func CheckWebhookClaim(owner string, lease time.Duration, checkLease bool) error {
	switch {
	case owner == "":
		return Errorf(EINVALID, "The webhook claim has no owner.")
	case checkLease && lease <= 0:
		return Errorf(EINVALID, "The webhook lease must be positive.")
	}
	return nil
}

// WebhookDeliveriesLimit applies the default and the cap to a limit of
// Deliveries.
func WebhookDeliveriesLimit(limit int) int {
	if limit <= 0 {
		return DefaultWebhookDeliveries
	}
	return min(limit, MaxWebhookDeliveries)
}
