package sqlite

import (
	"context"

	"github.com/isachub/isachub"
)

// Queues counts the work waiting across every community, in one read
// transaction so that the counts are of one moment.
func (db *DB) Queues(ctx context.Context) (isachub.Queues, error) {
	var q isachub.Queues
	err := db.rd.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM statuses WHERE status = 'pending'),
		(SELECT count(*) FROM pending),
		(SELECT count(*) FROM jobs),
		(SELECT count(*) FROM webhooks WHERE dead = 0 AND failures > 0),
		(SELECT count(*) FROM webhooks WHERE dead = 1)`).
		Scan(&q.PendingStatuses, &q.Moderation, &q.Jobs, &q.WebhooksRetrying, &q.WebhooksDead)
	return q, internal("count queues", err)
}
