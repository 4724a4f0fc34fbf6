package postgres

import (
	"context"
	"fmt"

	"github.com/isachub/isachub"
)

// Queues counts the work waiting across every community, in one statement
// so that the counts are of one moment.
func (db *DB) Queues(ctx context.Context) (isachub.Queues, error) {
	var q isachub.Queues
	err := db.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM statuses WHERE status = 'pending'),
		(SELECT count(*) FROM pending),
		(SELECT count(*) FROM jobs),
		(SELECT count(*) FROM webhooks WHERE NOT dead AND failures > 0),
		(SELECT count(*) FROM webhooks WHERE dead)`).
		Scan(&q.PendingStatuses, &q.Moderation, &q.Jobs, &q.WebhooksRetrying, &q.WebhooksDead)
	if err != nil {
		return q, fmt.Errorf("postgres: count queues: %w", err)
	}
	return q, nil
}
