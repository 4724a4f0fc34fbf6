package isachub

import (
	"context"
	"time"
)

// Community is one ISAC hosted by the hub, served as one TAXII 2.1 API root
// at /<Slug>/ (TAXII 2.1 section 4.2).
type Community struct {
	ID          int64
	Slug        string // URL path segment of the API root: [a-z0-9-], 1-63 chars
	Title       string
	Description string
	Sector      string // for example "aviation"; names the generic sighting identity
	// IdentityID is the STIX identity the community publishes under; anonymous
	// submissions are re-issued with it as created_by_ref.
	IdentityID string
	// MaxContentLength is the API root's max_content_length in bytes.
	MaxContentLength int64
	CreatedAt        time.Time
}

// CommunityStore keeps communities.
type CommunityStore interface {
	// CreateCommunity stores c, setting c.ID and c.CreatedAt. A duplicate
	// slug is ECONFLICT.
	CreateCommunity(ctx context.Context, c *Community) error
	// Community returns the community with the slug, or ENOTFOUND.
	Community(ctx context.Context, slug string) (*Community, error)
	// Communities returns every community, ordered by slug.
	Communities(ctx context.Context) ([]*Community, error)
	// DeleteCommunity removes the community and everything in it.
	DeleteCommunity(ctx context.Context, slug string) error
}
