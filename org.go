package isachub

import (
	"context"
	"time"
)

// Org is a member organisation of one community.
type Org struct {
	ID          int64
	CommunityID int64
	Slug        string // unique within the community
	Name        string
	// IdentityID is the STIX identity id the organisation publishes as, when
	// it has one (kept internal for anonymous submissions).
	IdentityID string
	// Staff marks the ISAC's own organisation: its analysts and admins
	// moderate the community's moderated collections (MayModerate).
	Staff bool
	// Redaction is what the organisation declared about itself, removed
	// from the free text of its anonymous submissions.
	Redaction Redaction
	CreatedAt time.Time
}

// OrgStore keeps member organisations. Every method is scoped to one
// community.
type OrgStore interface {
	// CreateOrg stores o, setting o.ID and o.CreatedAt. A slug already used
	// in the community is ECONFLICT; an unknown community is ENOTFOUND.
	CreateOrg(ctx context.Context, o *Org) error
	// Org returns the organisation with the slug in the community, or ENOTFOUND.
	Org(ctx context.Context, communityID int64, slug string) (*Org, error)
	// OrgByID returns the organisation with the id, or ENOTFOUND.
	OrgByID(ctx context.Context, id int64) (*Org, error)
	// Orgs returns the community's organisations, ordered by slug.
	Orgs(ctx context.Context, communityID int64) ([]*Org, error)
	// UpdateOrg stores the name, identity id, staff flag and redaction
	// rules of the organisation with o.ID (its slug and community are kept),
	// or returns ENOTFOUND.
	UpdateOrg(ctx context.Context, o *Org) error
	// DeleteOrg removes the organisation, its users and their tokens.
	DeleteOrg(ctx context.Context, communityID int64, slug string) error
}
