package isachub

import "context"

// Store is everything the hub keeps. The sqlite and postgres packages
// implement it, and storetest holds the one conformance suite both pass.
type Store interface {
	CommunityStore
	OrgStore
	UserStore
	TokenStore
	SessionStore
	CollectionStore
	GroupStore
	ObjectStore
	StatusStore
	AnonymousStore
	PendingStore
	AuditStore
	JobStore
	JoinStore
	FeedStore
	WebhookStore
	QueueStore
	PeerStore

	// Migrate applies every pending schema migration.
	Migrate(ctx context.Context) error
	// Ready returns why the store cannot serve, or nil: the database does
	// not answer, or its schema is not the one this binary's migrations
	// make (CheckSchema). A hub's /readyz asks it.
	Ready(ctx context.Context) error
	// Close releases the store's connections.
	Close() error
}
