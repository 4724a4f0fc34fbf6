package server

import (
	"context"
	"unicode/utf8"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
)

// This file is the one place in the server that decides what a caller may
// see and do. Every handler asks it, and it asks the hub's confidentiality
// policy (isachub.Reader, policy.go in the root package) for the TLP rules:
// which object versions the caller may see (Reader.Visibility, applied by
// the store in its query, before paging) and which a collection may hold
// (acceptTLP, on POST).

func (c *caller) hubAdmin() bool { return c.user.HubAdmin && c.feedToken() == "" }

// feedToken returns the feed the caller's token is bound to, "" for any
// other caller.
func (c *caller) feedToken() string {
	if c.token == nil {
		return ""
	}
	return c.token.FeedID
}

// reader is the caller as the hub's policy (policy.go) sees it: every rule
// of what the caller may see and do is a method of the Reader.
func (c *caller) reader() isachub.Reader {
	r := isachub.Reader{OrgID: c.org.ID, CommunityID: c.org.CommunityID, Role: c.user.Role, HubOperator: c.user.HubAdmin, Peer: c.peer}
	if id := c.feedToken(); id != "" {
		r.FeedToken, r.HubOperator = id, false
	}
	return r
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
	if !c.reader().MaySeeCommunity(comm) {
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
		if c.reader().MaySeeCommunity(comm) {
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
	if !c.reader().MaySeeCollection(coll) {
		return nil, notFound
	}
	return coll, nil
}

// readable returns what a read of /{root}/collections/{id}/ reads: a
// collection the caller may open, or else a feed it may read (one of the
// two is nil). A collection the caller sees but may not open is 403.
func (s *Server) readable(ctx context.Context, c *caller, root, id string) (*isachub.Collection, *isachub.Feed, error) {
	comm, err := s.community(ctx, c, root)
	if err != nil {
		return nil, nil, err
	}
	coll, err := s.collection(ctx, c, comm, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		fd, ferr := s.feed(ctx, c, comm, id)
		if ferr != nil {
			return nil, nil, ferr
		}
		return nil, fd, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !c.reader().MayOpen(coll) {
		return nil, nil, isachub.Errorf(isachub.EFORBIDDEN, "You may not read collection %q.", coll.ID)
	}
	return coll, nil, nil
}

// writableCollection is collection for adding or deleting objects: a
// collection the caller sees but may not write answers 403.
func (s *Server) writableCollection(ctx context.Context, c *caller, root, id string) (*isachub.Community, *isachub.Collection, error) {
	comm, err := s.community(ctx, c, root)
	if err != nil {
		return nil, nil, err
	}
	coll, err := s.collection(ctx, c, comm, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		if fd, ferr := s.feed(ctx, c, comm, id); ferr == nil {
			return nil, nil, errFeedReadOnly(fd)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if !c.reader().MayWrite(coll) {
		return nil, nil, isachub.Errorf(isachub.EFORBIDDEN, "You may not write to collection %q.", coll.ID)
	}
	return comm, coll, nil
}

// seesObject reports whether the caller may see any version of the object
// in a collection: what a 403 or a conflict message may admit exists.
func (s *Server) seesObject(ctx context.Context, c *caller, coll *isachub.Collection, id string) (bool, error) {
	return publish.SeesObject(ctx, s.store, c.reader(), coll, id)
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
