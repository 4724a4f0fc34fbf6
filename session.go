package isachub

import (
	"context"
	"time"
)

// Session is a signed-in browser session of the web UI. The cookie holds
// a random secret; the store keeps only its SHA-256 hash, as for tokens.
// A session ends at ExpiresAt, or earlier when it has been idle longer than
// the server's idle timeout (LastSeenAt), or when the user signs out.
type Session struct {
	ID     int64
	UserID int64
	Hash   []byte // SHA-256 of the cookie's secret
	// CSRFToken is the per-session token every state-changing form
	// carries (beside http.CrossOriginProtection).
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionStore keeps web UI sessions.
type SessionStore interface {
	// CreateSession stores s, setting s.ID, s.CreatedAt and s.LastSeenAt;
	// s.ExpiresAt must be set.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session whose hash is hash, or ENOTFOUND.
	SessionByHash(ctx context.Context, hash []byte) (*Session, error)
	// TouchSession sets the session's LastSeenAt, or returns ENOTFOUND.
	TouchSession(ctx context.Context, id int64, at time.Time) error
	// DeleteSession removes the session, or returns ENOTFOUND.
	DeleteSession(ctx context.Context, id int64) error
	// DeleteSessions removes every session that expired before now or was
	// last seen before idleSince, and returns how many.
	DeleteSessions(ctx context.Context, now, idleSince time.Time) (int64, error)
}
