package isachub

import (
	"context"
	"time"
)

// Token is an API token of a user. Only the SHA-256 hash of the secret is
// stored; the secret is shown once, when the token is created.
type Token struct {
	ID     int64
	UserID int64
	Name   string
	Hash   []byte // SHA-256 of the secret
	// Anonymous makes every submission made with the token anonymous.
	Anonymous bool
	// FeedID, when set, binds the token to one feed of its user's
	// community: a feed token, made to be handed outside the community (a
	// partner, a managed security provider's tools). It reads that feed
	// and nothing else, and of it only TLP:CLEAR (Reader.FeedToken).
	FeedID     string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// TokenStore keeps API tokens.
type TokenStore interface {
	// CreateToken stores t, setting t.ID and t.CreatedAt.
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash returns the token whose hash is hash, or ENOTFOUND.
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
	// Tokens returns the user's tokens, oldest first.
	Tokens(ctx context.Context, userID int64) ([]*Token, error)
	// DeleteToken removes the token.
	DeleteToken(ctx context.Context, id int64) error
}
