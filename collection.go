package isachub

import (
	"context"
	"slices"
	"time"
)

// Collection is a TAXII 2.1 collection (section 5.2) of one community, with
// the organisations that may read and write it.
type Collection struct {
	ID          string // a UUID, the TAXII collection id
	CommunityID int64
	Title       string
	Description string
	Alias       string  // optional, unique within the community
	ReadAll     bool    // every member organisation may read
	Readers     []int64 // organisation ids that may read, when !ReadAll
	WriteAll    bool    // every member organisation may write
	Writers     []int64 // organisation ids that may write, when !WriteAll
	// GroupID, when not 0, makes c a sharing group's collection: its
	// readers and writers are exactly the group's current members (the
	// store fills Readers and Writers from the group; ReadAll, WriteAll and
	// explicit lists are EINVALID on create).
	GroupID int64
	// DefaultTLP is the TLP taken by objects without a TLP marking:
	// "clear", "green", "amber", "amber+strict" or "red". "" means "amber".
	DefaultTLP string
	// Anonymous makes every submission to the collection anonymous.
	Anonymous bool
	// Moderated holds every submission until an ISAC analyst approves it
	// (Pending); until then readers see nothing of it.
	Moderated bool
	CreatedAt time.Time
}

// CanRead reports whether a member of the organisation may read c.
func (c *Collection) CanRead(orgID int64) bool {
	return c.ReadAll || slices.Contains(c.Readers, orgID)
}

// CanWrite reports whether a member of the organisation may write to c.
func (c *Collection) CanWrite(orgID int64) bool {
	return c.WriteAll || slices.Contains(c.Writers, orgID)
}

// CollectionStore keeps collections. Every method is scoped to one community.
type CollectionStore interface {
	// CreateCollection stores c, setting c.CreatedAt and, when empty, c.ID.
	// A duplicate id or alias is ECONFLICT.
	CreateCollection(ctx context.Context, c *Collection) error
	// Collection returns the community's collection with the id or alias,
	// or ENOTFOUND.
	Collection(ctx context.Context, communityID int64, idOrAlias string) (*Collection, error)
	// Collections returns the community's collections, ordered by title.
	Collections(ctx context.Context, communityID int64) ([]*Collection, error)
	// UpdateCollection stores c's title, description, alias, readers,
	// writers, default TLP and anonymous and moderated flags over those of
	// the community's collection with c.ID (ENOTFOUND when there is none).
	// The id, community, sharing group and creation time stay: a different
	// c.GroupID is EINVALID, a duplicate alias ECONFLICT.
	UpdateCollection(ctx context.Context, c *Collection) error
	// DeleteCollection removes the collection and its objects.
	DeleteCollection(ctx context.Context, communityID int64, id string) error
}
