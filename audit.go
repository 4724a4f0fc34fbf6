package isachub

import (
	"context"
	"time"
)

// AuditEntry records one administrative or security-relevant action.
type AuditEntry struct {
	ID          int64
	At          time.Time
	CommunityID int64  // 0 for hub-wide actions
	UserID      int64  // 0 for the command line or the system
	Action      string // for example "collection.create", "object.delete"
	Target      string // what the action touched, for example a collection id
	Detail      string
}

// AuditStore keeps the append-only audit log.
type AuditStore interface {
	// AppendAudit stores e, setting e.ID and, when zero, e.At.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// AuditEntries returns the newest entries first, at most limit of them,
	// of one community (0: every community).
	AuditEntries(ctx context.Context, communityID int64, limit int) ([]*AuditEntry, error)
}
