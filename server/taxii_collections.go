package server

import (
	"net/http"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// handleCollections serves the collections resource (TAXII 2.1 section 5.1):
// the collections of the API root that the caller may read or write.
func (s *Server) handleCollections(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	all, err := s.store.Collections(r.Context(), comm.ID)
	if err != nil {
		return err
	}
	feeds, err := s.readableFeeds(r.Context(), c, comm)
	if err != nil {
		return err
	}
	var res taxii.Collections
	for _, coll := range all {
		if c.reader().MaySeeCollection(coll) {
			res.Collections = append(res.Collections, collectionResource(c, coll))
		}
	}
	for _, fd := range feeds {
		res.Collections = append(res.Collections, feedResource(fd))
	}
	writeTAXII(w, http.StatusOK, res)
	return nil
}

// handleCollection serves one collection resource (section 5.2).
func (s *Server) handleCollection(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	coll, err := s.collection(r.Context(), c, comm, r.PathValue("id"))
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		fd, ferr := s.feed(r.Context(), c, comm, r.PathValue("id"))
		if ferr != nil {
			return ferr
		}
		writeTAXII(w, http.StatusOK, feedResource(fd))
		return nil
	}
	if err != nil {
		return err
	}
	writeTAXII(w, http.StatusOK, collectionResource(c, coll))
	return nil
}

func collectionResource(c *caller, coll *isachub.Collection) taxii.Collection {
	return taxii.Collection{
		ID:          coll.ID,
		Title:       coll.Title,
		Description: coll.Description,
		Alias:       coll.Alias,
		CanRead:     c.reader().MayOpen(coll),
		CanWrite:    c.reader().MayWrite(coll),
		MediaTypes:  []string{taxii.MediaTypeSTIX21},
	}
}
