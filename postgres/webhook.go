package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

var _ isachub.WebhookStore = (*DB)(nil)

// webhookColumns are the columns scanWebhook reads.
const webhookColumns = `id, community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt,
	last_error, created_at`

func scanWebhook(row pgx.CollectableRow) (*isachub.Webhook, error) {
	var w isachub.Webhook
	err := row.Scan(&w.ID, &w.CommunityID, &w.OrgID, &w.FeedID, &w.URL, &w.Secret, &w.Cursor, &w.Failures, &w.Dead,
		&w.NextAttempt, &w.LastError, &w.CreatedAt)
	if err != nil {
		return nil, err
	}
	w.NextAttempt, w.CreatedAt = w.NextAttempt.UTC(), w.CreatedAt.UTC()
	return &w, nil
}

// CreateWebhook stores w (its Cursor, Failures, Dead and NextAttempt as
// given, NextAttempt to the microsecond), setting w.ID and w.CreatedAt. An
// empty URL or Secret is EINVALID; a feed or organisation not of w's
// community is ENOTFOUND.
func (db *DB) CreateWebhook(ctx context.Context, w *isachub.Webhook) error {
	if err := w.Validate(); err != nil {
		return err
	}
	at := now()
	var id int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var feed, org bool
		err := tx.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM feeds WHERE id = $1 AND community_id = $3),
			EXISTS (SELECT 1 FROM orgs WHERE id = $2 AND community_id = $3)`,
			w.FeedID, w.OrgID, w.CommunityID).Scan(&feed, &org)
		switch {
		case err != nil:
			return dbError(err, "read webhook feed", "Webhook")
		case !feed:
			return isachub.Errorf(isachub.ENOTFOUND, "Feed %q not found.", w.FeedID)
		case !org:
			return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d is not a member of this community.", w.OrgID)
		}
		err = tx.QueryRow(ctx, `INSERT INTO webhooks
			(community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt, last_error, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			w.CommunityID, w.OrgID, w.FeedID, w.URL, w.Secret, w.Cursor, w.Failures, w.Dead,
			w.NextAttempt.Truncate(time.Microsecond), w.LastError, at).Scan(&id)
		if isForeignKey(err) {
			// The feed went between the check and the insert.
			return isachub.Errorf(isachub.ENOTFOUND, "Feed %q not found.", w.FeedID)
		}
		return dbError(err, "create webhook", "Webhook")
	})
	if err != nil {
		return err
	}
	w.ID, w.CreatedAt = id, at
	return nil
}

// Webhooks returns the community's webhooks, by id.
func (db *DB) Webhooks(ctx context.Context, communityID int64) ([]*isachub.Webhook, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+webhookColumns+` FROM webhooks
		WHERE community_id = $1 ORDER BY id`, communityID)
	ws, err := pgx.CollectRows(rows, scanWebhook)
	if ws == nil && err == nil {
		ws = []*isachub.Webhook{}
	}
	return ws, dbError(err, "webhooks", "Webhooks")
}

// DeleteWebhook removes the community's webhook with the id and, by the
// foreign key of webhook_deliveries.webhook_id, its log, or returns
// ENOTFOUND.
func (db *DB) DeleteWebhook(ctx context.Context, communityID, id int64) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM webhooks WHERE community_id = $1 AND id = $2`, communityID, id)
	if err != nil {
		return dbError(err, "delete webhook", "Webhook "+itoa(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Webhook %d not found.", id)
	}
	return nil
}

// ReviveWebhook makes the community's webhook with the id live and due at
// now, its cursor kept, or returns ENOTFOUND.
func (db *DB) ReviveWebhook(ctx context.Context, communityID, id int64, now time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE webhooks SET dead = false, failures = 0, last_error = '', next_attempt = $3
		WHERE community_id = $1 AND id = $2`, communityID, id, now.UTC().Truncate(time.Microsecond))
	if err != nil {
		return dbError(err, "revive webhook", "Webhook "+itoa(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Webhook %d not found.", id)
	}
	return nil
}

// WakeWebhooks makes the idle webhooks due at now.
func (db *DB) WakeWebhooks(ctx context.Context, now time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE webhooks SET next_attempt = $1
		WHERE NOT dead AND failures = 0 AND next_attempt > $1 AND (claim_owner = '' OR claim_until <= $1)`, now.UTC().Truncate(time.Microsecond))
	if err != nil {
		return 0, dbError(err, "wake webhooks", "Webhooks")
	}
	return tag.RowsAffected(), nil
}

// ClaimWebhook picks the webhook of any community that is not dead, is due
// (next_attempt at or before now) and that no claim holds, the earliest
// next_attempt first, then the lowest id, and marks it claimed by owner
// until now+lease; ENOTFOUND when none is due. FOR UPDATE SKIP LOCKED lets
// concurrent claimers (in this or another replica) pass over the row
// another is claiming instead of waiting, and under READ COMMITTED a row
// claimed and committed meanwhile is checked again and passed over. An
// empty owner or a lease that is not positive is EINVALID.
func (db *DB) ClaimWebhook(ctx context.Context, owner string, now time.Time, lease time.Duration) (*isachub.Webhook, error) {
	if err := isachub.CheckWebhookClaim(owner, lease, true); err != nil {
		return nil, err
	}
	at := now.UTC().Truncate(time.Microsecond)
	rows, _ := db.pool.Query(ctx, `WITH due AS (
			SELECT id FROM webhooks
			WHERE NOT dead AND next_attempt <= $1 AND (claim_owner = '' OR claim_until <= $1)
			ORDER BY next_attempt, id LIMIT 1 FOR UPDATE SKIP LOCKED)
		UPDATE webhooks w SET claim_owner = $2, claim_until = $3
		FROM due WHERE w.id = due.id
		RETURNING w.id, w.community_id, w.org_id, w.feed_id, w.url, w.secret, w.cursor, w.failures, w.dead,
			w.next_attempt, w.last_error, w.created_at`,
		at, owner, at.Add(lease))
	w, err := pgx.CollectExactlyOneRow(rows, scanWebhook)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, isachub.Errorf(isachub.ENOTFOUND, "No webhook is due.")
	}
	if err != nil {
		return nil, dbError(err, "claim webhook", "Webhook")
	}
	return w, nil
}

// RecordDelivery ends owner's claim of the webhook: it stores w's Cursor,
// Failures, Dead, NextAttempt and LastError and, when d is not nil,
// appends d to the webhook's log (setting d.WebhookID, and d.At to now
// when zero) and removes the entries beyond the most recent
// isachub.MaxWebhookDeliveries, all in one transaction. ECONFLICT when owner no longer
// holds the claim, in which case nothing is stored.
func (db *DB) RecordDelivery(ctx context.Context, owner string, w *isachub.Webhook, d *isachub.WebhookDelivery) error {
	if err := isachub.CheckWebhookClaim(owner, 0, false); err != nil {
		return err
	}
	var at time.Time
	if d != nil {
		if at = d.At.UTC().Truncate(time.Microsecond); d.At.IsZero() {
			at = now()
		}
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhooks SET cursor = $3, failures = $4, dead = $5, next_attempt = $6,
			last_error = $7, claim_owner = '', claim_until = '-infinity'
			WHERE id = $1 AND claim_owner = $2`,
			w.ID, owner, w.Cursor, w.Failures, w.Dead, w.NextAttempt.Truncate(time.Microsecond), w.LastError)
		if err != nil {
			return dbError(err, "record delivery", "Webhook "+itoa(w.ID))
		}
		if tag.RowsAffected() == 0 {
			return isachub.Errorf(isachub.ECONFLICT, "The claim of webhook %d was lost.", w.ID)
		}
		if d == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries
			(webhook_id, at, objects, status, error, cursor, duration_us) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			w.ID, at, d.Objects, d.Status, d.Error, d.Cursor, d.Duration.Microseconds()); err != nil {
			return dbError(err, "insert delivery", "Delivery")
		}
		_, err = tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND id <= (
			SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
			w.ID, isachub.MaxWebhookDeliveries)
		return dbError(err, "trim deliveries", "Deliveries")
	})
	if err != nil {
		return err
	}
	if d != nil {
		d.WebhookID, d.At = w.ID, at
	}
	return nil
}

// Deliveries returns the most recent entries of the webhook's log, newest
// first, at most limit (isachub.WebhookDeliveriesLimit).
func (db *DB) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*isachub.WebhookDelivery, error) {
	limit = isachub.WebhookDeliveriesLimit(limit)
	rows, _ := db.pool.Query(ctx, `SELECT webhook_id, at, objects, status, error, cursor, duration_us
		FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`, webhookID, limit)
	ds, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*isachub.WebhookDelivery, error) {
		var d isachub.WebhookDelivery
		var us int64
		err := row.Scan(&d.WebhookID, &d.At, &d.Objects, &d.Status, &d.Error, &d.Cursor, &us)
		d.At, d.Duration = d.At.UTC(), time.Duration(us)*time.Microsecond
		return &d, err
	})
	if ds == nil && err == nil {
		ds = []*isachub.WebhookDelivery{}
	}
	return ds, dbError(err, "deliveries", "Deliveries")
}
