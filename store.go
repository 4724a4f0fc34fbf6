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

	// Migrate applies every pending schema migration.
	Migrate(ctx context.Context) error
	// Close releases the store's connections.
	Close() error
}
