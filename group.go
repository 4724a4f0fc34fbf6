package isachub

import (
	"context"
	"slices"
	"time"
)

// SharingGroup is a named set of member organisations of one community with
// its own collections (Collection.GroupID). Only its members, and the hub
// operator, may learn that it exists: to anyone else its collections are
// 404 exactly like ones that do not exist.
type SharingGroup struct {
	ID          int64
	CommunityID int64
	Slug        string // unique within the community
	Name        string
	Members     []int64 // organisation ids, ascending
	CreatedAt   time.Time
}

// HasMember reports whether the organisation is a member of g.
func (g *SharingGroup) HasMember(orgID int64) bool { return slices.Contains(g.Members, orgID) }

// GroupStore keeps sharing groups. Every method is scoped to one community.
type GroupStore interface {
	// CreateGroup stores g, setting g.ID and g.CreatedAt. A slug already
	// used in the community is ECONFLICT; a member that is not an
	// organisation of the community is EINVALID.
	CreateGroup(ctx context.Context, g *SharingGroup) error
	// Group returns the community's group with the slug, or ENOTFOUND.
	Group(ctx context.Context, communityID int64, slug string) (*SharingGroup, error)
	// Groups returns the community's groups that the reader may know of
	// (those its organisation is a member of; all for the hub operator),
	// ordered by slug.
	Groups(ctx context.Context, communityID int64, r Reader) ([]*SharingGroup, error)
	// AddGroupMember adds an organisation of the community to the group;
	// adding a member twice is no error.
	AddGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error
	// RemoveGroupMember removes an organisation from the group, or returns
	// ENOTFOUND when it is not a member.
	RemoveGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error
	// DeleteGroup removes the group and its collections with their objects.
	DeleteGroup(ctx context.Context, communityID int64, slug string) error
}
