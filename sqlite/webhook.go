package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isachub/isachub"
)

var _ isachub.WebhookStore = (*DB)(nil)

// webhookCols are the columns scanWebhook reads.
const webhookCols = `id, community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt,
	last_error, created_at`

func scanWebhook(row interface{ Scan(...any) error }) (*isachub.Webhook, error) {
	var w isachub.Webhook
	var next, created int64
	err := row.Scan(&w.ID, &w.CommunityID, &w.OrgID, &w.FeedID, &w.URL, &w.Secret, &w.Cursor, &w.Failures, &w.Dead,
		&next, &w.LastError, &created)
	if err != nil {
		return nil, err
	}
	w.NextAttempt, w.CreatedAt = fromMicros(next), fromMicros(created)
	return &w, nil
}

// CreateWebhook stores w (its Cursor, Failures, Dead and NextAttempt as
// given), setting w.ID and w.CreatedAt. An empty URL or Secret is
// EINVALID; a feed or organisation not of w's community is ENOTFOUND.
func (db *DB) CreateWebhook(ctx context.Context, w *isachub.Webhook) error {
	if err := w.Validate(); err != nil {
		return err
	}
	now := db.nowMicros()
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE id = ? AND community_id = ?`,
			w.FeedID, w.CommunityID).Scan(&n); err != nil {
			return internal("read webhook feed", err)
		}
		if n == 0 {
			return notFound("Feed %q not found.", w.FeedID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM orgs WHERE id = ? AND community_id = ?`,
			w.OrgID, w.CommunityID).Scan(&n); err != nil {
			return internal("read webhook organisation", err)
		}
		if n == 0 {
			return notFound("Organisation %d is not a member of this community.", w.OrgID)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO webhooks
			(community_id, org_id, feed_id, url, secret, cursor, failures, dead, next_attempt, last_error, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.CommunityID, w.OrgID, w.FeedID, w.URL, w.Secret, w.Cursor, w.Failures, boolInt(w.Dead),
			micros(w.NextAttempt), w.LastError, now)
		switch {
		case isForeignKey(err):
			return notFound("Feed %q not found.", w.FeedID)
		case err != nil:
			return internal("insert webhook", err)
		}
		id, err = res.LastInsertId()
		return internal("insert webhook", err)
	})
	if err != nil {
		return err
	}
	w.ID, w.CreatedAt = id, fromMicros(now)
	return nil
}

// Webhooks returns the community's webhooks, by id.
func (db *DB) Webhooks(ctx context.Context, communityID int64) ([]*isachub.Webhook, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+webhookCols+` FROM webhooks
		WHERE community_id = ? ORDER BY id`, communityID)
	if err != nil {
		return nil, internal("list webhooks", err)
	}
	defer rows.Close()
	ws := []*isachub.Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, internal("list webhooks", err)
		}
		ws = append(ws, w)
	}
	return ws, internal("list webhooks", rows.Err())
}

// DeleteWebhook removes the community's webhook with the id and, by the
// foreign key of webhook_deliveries.webhook_id, its log, or returns
// ENOTFOUND.
func (db *DB) DeleteWebhook(ctx context.Context, communityID, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE community_id = ? AND id = ?`, communityID, id)
		if err != nil {
			return internal("delete webhook", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Webhook %d not found.", id)
		}
		return nil
	})
}

// ReviveWebhook makes the community's webhook with the id live and due at
// now, its cursor kept, or returns ENOTFOUND.
func (db *DB) ReviveWebhook(ctx context.Context, communityID, id int64, now time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET dead = 0, failures = 0, last_error = '', next_attempt = ?
			WHERE community_id = ? AND id = ?`, micros(now), communityID, id)
		if err != nil {
			return internal("revive webhook", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Webhook %d not found.", id)
		}
		return nil
	})
}

// WakeWebhooks makes the idle webhooks due at now.
func (db *DB) WakeWebhooks(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET next_attempt = ?
			WHERE dead = 0 AND failures = 0 AND next_attempt > ? AND (claim_owner = '' OR claim_until <= ?)`,
			micros(now), micros(now), micros(now))
		if err != nil {
			return internal("wake webhooks", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// ClaimWebhook picks the webhook of any community that is not dead, is due
// (next_attempt at or before now) and that no claim holds, the earliest
// next_attempt first, then the lowest id, and marks it claimed by owner
// until now+lease; ENOTFOUND when none is due. The single writer makes the
// claim atomic: two callers never hold the same webhook at once. An empty
// owner or a lease that is not positive is EINVALID.
func (db *DB) ClaimWebhook(ctx context.Context, owner string, now time.Time, lease time.Duration) (*isachub.Webhook, error) {
	if err := isachub.CheckWebhookClaim(owner, lease, true); err != nil {
		return nil, err
	}
	at := now.UnixMicro()
	var w *isachub.Webhook
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		w, err = scanWebhook(tx.QueryRowContext(ctx, `UPDATE webhooks SET claim_owner = ?, claim_until = ?
			WHERE id = (SELECT id FROM webhooks
				WHERE dead = 0 AND next_attempt <= ? AND (claim_owner = '' OR claim_until <= ?)
				ORDER BY next_attempt, id LIMIT 1)
			RETURNING `+webhookCols, owner, at+lease.Microseconds(), at, at))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("No webhook is due.")
		}
		return internal("claim webhook", err)
	})
	if err != nil {
		return nil, err
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
	var at int64
	if d != nil {
		if at = micros(d.At); at == 0 {
			at = db.nowMicros()
		}
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET cursor = ?, failures = ?, dead = ?, next_attempt = ?,
			last_error = ?, claim_owner = '', claim_until = 0
			WHERE id = ? AND claim_owner = ?`,
			w.Cursor, w.Failures, boolInt(w.Dead), micros(w.NextAttempt), w.LastError, w.ID, owner)
		if err != nil {
			return internal("record delivery", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return isachub.Errorf(isachub.ECONFLICT, "The claim of webhook %d was lost.", w.ID)
		}
		if d == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
			(webhook_id, at, objects, status, error, cursor, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			w.ID, at, d.Objects, d.Status, d.Error, d.Cursor, d.Duration.Microseconds()); err != nil {
			return internal("insert delivery", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <= (
			SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
			w.ID, w.ID, isachub.MaxWebhookDeliveries)
		return internal("trim deliveries", err)
	})
	if err != nil {
		return err
	}
	if d != nil {
		d.WebhookID, d.At = w.ID, fromMicros(at)
	}
	return nil
}

// Deliveries returns the most recent entries of the webhook's log, newest
// first, at most limit (isachub.WebhookDeliveriesLimit).
func (db *DB) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*isachub.WebhookDelivery, error) {
	limit = isachub.WebhookDeliveriesLimit(limit)
	rows, err := db.rd.QueryContext(ctx, `SELECT webhook_id, at, objects, status, error, cursor, duration_us
		FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, internal("list deliveries", err)
	}
	defer rows.Close()
	ds := []*isachub.WebhookDelivery{}
	for rows.Next() {
		var d isachub.WebhookDelivery
		var at, us int64
		if err := rows.Scan(&d.WebhookID, &at, &d.Objects, &d.Status, &d.Error, &d.Cursor, &us); err != nil {
			return nil, internal("list deliveries", err)
		}
		d.At, d.Duration = fromMicros(at), time.Duration(us)*time.Microsecond
		ds = append(ds, &d)
	}
	return ds, internal("list deliveries", rows.Err())
}
