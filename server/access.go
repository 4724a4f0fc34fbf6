package server

import (
	"context"
	"unicode/utf8"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// This file is the one place in the server that decides what a caller may
// see and do. Every handler asks it, and it asks the hub's confidentiality
// policy (isachub.Reader, policy.go in the root package) for the TLP rules:
// which object versions the caller may see (objectHidden, applied by the
// store in its query, before paging) and which a collection may hold
// (acceptTLP, on POST).

func (c *caller) hubAdmin() bool { return c.user.HubAdmin }

// reader is the caller as the confidentiality policy sees it.
func (c *caller) reader() isachub.Reader {
	return isachub.Reader{OrgID: c.org.ID, CommunityID: c.org.CommunityID, HubOperator: c.user.HubAdmin}
}

// inCommunity reports whether the caller's organisation is a member of the
// community.
func (c *caller) inCommunity(communityID int64) bool {
	return c.org.CommunityID == communityID
}

// canSeeCommunity reports whether the caller may see an API root: the hub
// operator sees all, a member the one community their organisation is in.
func (c *caller) canSeeCommunity(comm *isachub.Community) bool {
	return c.hubAdmin() || c.inCommunity(comm.ID)
}

// canRead reports whether the caller may open a collection to read its
// objects (each version then subject to its TLP: objectHidden). A sharing
// group's collection is read by the group's members (and the operator).
func (c *caller) canRead(coll *isachub.Collection) bool {
	return c.reader().MayOpen(coll)
}

// objectHidden returns the TLP levels of the collection's object versions
// that the caller may not see, for isachub.ObjectFilter.Hidden.
func (c *caller) objectHidden(coll *isachub.Collection) isachub.TLPSet {
	return c.reader().Hidden(coll)
}

// canWrite reports whether the caller may add objects to a collection: the
// hub operator, or a member whose organisation may write it and whose role
// may publish.
func (c *caller) canWrite(coll *isachub.Collection) bool {
	if c.hubAdmin() {
		return true
	}
	return c.inCommunity(coll.CommunityID) && coll.CanWrite(c.org.ID) && c.user.Role.CanPublish()
}

// canSeeCollection reports whether a collection appears to the caller at
// all: one it may read or write. Any other answers 404, exactly like one
// that does not exist.
func (c *caller) canSeeCollection(coll *isachub.Collection) bool {
	return c.canRead(coll) || c.canWrite(coll)
}

// community returns the API root named slug if the caller may see it, and
// ENOTFOUND otherwise.
func (s *Server) community(ctx context.Context, c *caller, slug string) (*isachub.Community, error) {
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no API root at /%s/.", clip(slug))
	if !validSlug(slug) {
		return nil, notFound
	}
	comm, err := s.store.Community(ctx, slug)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if !c.canSeeCommunity(comm) {
		return nil, notFound
	}
	return comm, nil
}

// visibleCommunities returns the API roots the caller may see.
func (s *Server) visibleCommunities(ctx context.Context, c *caller) ([]*isachub.Community, error) {
	all, err := s.store.Communities(ctx)
	if err != nil {
		return nil, err
	}
	var out []*isachub.Community
	for _, comm := range all {
		if c.canSeeCommunity(comm) {
			out = append(out, comm)
		}
	}
	return out, nil
}

// collection returns the community's collection with the id or alias if the
// caller may see it, and ENOTFOUND otherwise.
func (s *Server) collection(ctx context.Context, c *caller, comm *isachub.Community, id string) (*isachub.Collection, error) {
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no collection %q in this API root.", clip(id))
	if !plausibleName(id) {
		return nil, notFound
	}
	coll, err := s.store.Collection(ctx, comm.ID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if !c.canSeeCollection(coll) {
		return nil, notFound
	}
	return coll, nil
}

// readableCollection is collection for reading its objects: a collection the
// caller sees but may not read answers 403.
func (s *Server) readableCollection(ctx context.Context, c *caller, root, id string) (*isachub.Collection, error) {
	comm, err := s.community(ctx, c, root)
	if err != nil {
		return nil, err
	}
	coll, err := s.collection(ctx, c, comm, id)
	if err != nil {
		return nil, err
	}
	if !c.canRead(coll) {
		return nil, isachub.Errorf(isachub.EFORBIDDEN, "You may not read collection %q.", coll.ID)
	}
	return coll, nil
}

// writableCollection is collection for adding or deleting objects: a
// collection the caller sees but may not write answers 403.
func (s *Server) writableCollection(ctx context.Context, c *caller, root, id string) (*isachub.Community, *isachub.Collection, error) {
	comm, err := s.community(ctx, c, root)
	if err != nil {
		return nil, nil, err
	}
	coll, err := s.collection(ctx, c, comm, id)
	if err != nil {
		return nil, nil, err
	}
	if !c.canWrite(coll) {
		return nil, nil, isachub.Errorf(isachub.EFORBIDDEN, "You may not write to collection %q.", coll.ID)
	}
	return comm, coll, nil
}

// seesObject reports whether the caller may see any version of the object
// in a collection: what a 403 or a conflict message may admit exists.
func (s *Server) seesObject(ctx context.Context, c *caller, coll *isachub.Collection, id string) (bool, error) {
	if !c.canRead(coll) {
		return false, nil
	}
	p, err := s.store.Objects(ctx, coll.ID, isachub.ObjectFilter{IDs: []string{id}, Versions: []string{"all"},
		SpecVersions: allSpecVersions, Hidden: c.objectHidden(coll), Limit: 1})
	if err != nil {
		return false, err
	}
	return len(p.Objects) > 0, nil
}

// allSpecVersions selects every spec_version of an object.
var allSpecVersions = []string{"2.0", "2.1"}

// acceptTLP returns the error for an object that the collection may not
// hold because of its TLP (isachub.AcceptTLP): TLP:RED, by marking or by
// the collection's default, in a collection open to every member.
func acceptTLP(coll *isachub.Collection, o *stix.Object) error {
	return isachub.AcceptTLP(coll, isachub.CollectionTLP(coll, stix.EffectiveTLP(o)))
}

// canSeeStatus reports whether the caller may read a status resource: only
// the submitting organisation. Not the hub operator of another
// organisation: a status lists the ids of what was submitted, which is
// object content (TLP applies), not administrative metadata.
//
// The status of an anonymous submission names no organisation (OrgID 0): a
// member of the community who holds its id, which only the submitter
// received, may read it.
func (c *caller) canSeeStatus(st *isachub.Status) bool {
	if st.OrgID == 0 {
		return c.inCommunity(st.CommunityID)
	}
	return st.OrgID == c.org.ID
}

// plausibleName reports whether s can be a collection id, alias or status
// id at all: 1 to 128 bytes of valid UTF-8 without control characters.
// Anything else is not looked up (some stores refuse NUL bytes outright).
func plausibleName(s string) bool {
	if len(s) == 0 || len(s) > 128 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// validSlug reports whether s can be a community slug: [a-z0-9-], 1 to 63.
func validSlug(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}
