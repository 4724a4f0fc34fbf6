package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// A feed (isachub.Feed) is served as a read-only TAXII 2.1 collection of
// its community with the feed's id (TAXII 2.1 section 5.2: can_read true,
// can_write false), its objects, manifest and versions read through
// isachub.ReadFeed, and as exports (feed_export.go). Every read asks the
// policy (Reader.FeedSources) which collections and levels it covers.

// feed returns the community's feed with the id if the caller may read
// it, and ENOTFOUND otherwise, with the message of a missing collection:
// a feed the caller may not read is answered like one that does not exist.
func (s *Server) feed(ctx context.Context, c *caller, comm *isachub.Community, id string) (*isachub.Feed, error) {
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no collection %q in this API root.", clip(id))
	if !plausibleName(id) {
		return nil, notFound
	}
	fd, err := s.store.Feed(ctx, comm.ID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if !c.reader().MayReadFeed(fd) {
		return nil, notFound
	}
	return fd, nil
}

// readFeed reads one page of the feed for the caller.
func (s *Server) readFeed(ctx context.Context, c *caller, fd *isachub.Feed, f isachub.ObjectFilter) (*isachub.FeedPage, error) {
	colls, err := s.store.Collections(ctx, fd.CommunityID)
	if err != nil {
		return nil, err
	}
	sources, err := c.reader().FeedSources(fd, colls)
	if err != nil {
		return nil, err
	}
	return isachub.ReadFeed(ctx, s.store, fd, sources, f, s.now())
}

// feedResource is the collection resource of a feed.
func feedResource(fd *isachub.Feed) taxii.Collection {
	return taxii.Collection{
		ID:          fd.ID,
		Title:       fd.Title,
		Description: fd.Description,
		CanRead:     true,
		MediaTypes:  []string{taxii.MediaTypeSTIX21},
	}
}

// readableFeeds returns the community's feeds the caller may read.
func (s *Server) readableFeeds(ctx context.Context, c *caller, comm *isachub.Community) ([]*isachub.Feed, error) {
	all, err := s.store.Feeds(ctx, comm.ID)
	if err != nil {
		return nil, err
	}
	var out []*isachub.Feed
	for _, fd := range all {
		if c.reader().MayReadFeed(fd) {
			out = append(out, fd)
		}
	}
	return out, nil
}

// errFeedReadOnly is the answer to a write to a feed.
func errFeedReadOnly(fd *isachub.Feed) error {
	return isachub.Errorf(isachub.EFORBIDDEN, "Collection %q is a feed: it is read-only.", fd.ID)
}

// feedTokenRoutes are the routes a feed token may use: discovery, its API
// root, the collections list and its feed's collection and exports. The
// policy already lets such a token read nothing else (Reader.FeedToken);
// this keeps it off every other endpoint too.
var feedTokenRoutes = []string{
	"GET /taxii2/{$}",
	"GET /{root}/{$}",
	"GET /{root}/collections/{$}",
	"GET /{root}/collections/{id}/{$}",
	"GET /{root}/collections/{id}/manifest/{$}",
	"GET /{root}/collections/{id}/objects/{$}",
	"GET /{root}/collections/{id}/objects/{object}/{$}",
	"GET /{root}/collections/{id}/objects/{object}/versions/{$}",
	routeFeedExport,
	routeFeedStream,
}

// feedTokenAllows reports whether a feed token bound to feedID may make
// the request.
func feedTokenAllows(r *http.Request, feedID string) bool {
	for _, p := range feedTokenRoutes {
		if r.Pattern == p {
			return !strings.Contains(p, "{id}") || r.PathValue("id") == feedID
		}
	}
	return false
}
