package isachub

import "context"

// Queues is the work a store holds that waits for someone or something:
// the gauges of /metrics, so that an operator sees a backlog grow before
// members notice it.
type Queues struct {
	// PendingStatuses counts the TAXII status resources whose status is
	// still "pending" (TAXII 2.1 section 4.3.1): submissions whose
	// objects wait for moderation.
	PendingStatuses int64
	// Moderation counts the submissions waiting for an ISAC analyst's
	// approval.
	Moderation int64
	// Jobs counts the outbox's jobs not yet done (search indexing, for
	// example), retried ones included.
	Jobs int64
	// WebhooksRetrying counts the webhooks waiting to retry after a
	// failed delivery; WebhooksDead those that failed MaxWebhookFailures
	// times and are no longer tried.
	WebhooksRetrying int64
	WebhooksDead     int64
}

// QueueStore reports the queues.
type QueueStore interface {
	// Queues counts, across every community, the work waiting.
	Queues(ctx context.Context) (Queues, error)
}
