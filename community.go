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
	// SubmitterRecord is where the community keeps who submitted an
	// anonymous object: RecordSealed ("" means sealed) or RecordNone.
	SubmitterRecord string
	// AnonSecret is the community's secret key for re-minting the ids of
	// anonymous objects (32 random bytes; the store generates it when
	// empty). It is never shown to anyone.
	AnonSecret []byte
	// SightingK is k of the web UI's sighting counts: the number of
	// sightings of an object and of distinct organisations is shown only
	// once at least k named organisations have sighted it (0 means
	// DefaultSightingK; at least MinSightingK).
	SightingK int
	CreatedAt time.Time
}

// The bounds of Community.SightingK.
const (
	DefaultSightingK = 3
	MinSightingK     = 2
	MaxSightingK     = 1000
)

// SightingThreshold returns the community's k (SightingK, or the default).
func (c *Community) SightingThreshold() int {
	if c.SightingK == 0 {
		return DefaultSightingK
	}
	return c.SightingK
}

// Record returns the community's submitter-record policy, RecordSealed or
// RecordNone.
func (c *Community) Record() string {
	if c.SubmitterRecord == "" {
		return RecordSealed
	}
	return c.SubmitterRecord
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
	// UpdateCommunity stores the title, description, sector, identity id,
	// max_content_length, sighting k and submitter-record policy of the community with
	// c.ID (the slug is kept, and the secret but for the switch below), or returns ENOTFOUND. Setting
	// the policy to RecordNone also erases, in the same transaction, every
	// organisation the community recorded as a submitter: the OrgID of
	// each of its AnonymousSubmissions and of each anonymous record in its
	// moderation queue (Pending.Anonymous, with the pending submission's
	// SubmitterOrgID) becomes 0, and the community gets a new AnonSecret,
	// so that the ids re-minted by organisation under the old one cannot be
	// recomputed. Switching back to RecordSealed brings nothing back.
	UpdateCommunity(ctx context.Context, c *Community) error
	// DeleteCommunity removes the community and everything in it.
	DeleteCommunity(ctx context.Context, slug string) error
}
