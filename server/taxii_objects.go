package server

import (
	"net/http"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// objectFilter turns parsed query parameters into a store filter, applying
// the page size rules: no limit means the default, a limit above the maximum
// is capped (TAXII 2.1 section 3.4 lets a server return fewer).
func (s *Server) objectFilter(q taxii.Query) isachub.ObjectFilter {
	limit := q.Limit
	if limit <= 0 {
		limit = s.cfg.DefaultPageSize
	}
	if limit > s.cfg.MaxPageSize {
		limit = s.cfg.MaxPageSize
	}
	return isachub.ObjectFilter{
		AddedAfter:   q.AddedAfter,
		IDs:          q.IDs,
		Types:        q.Types,
		Versions:     q.Versions,
		SpecVersions: q.SpecVersions,
		Limit:        limit,
		Next:         q.Next,
	}
}

// page reads one page of a readable collection's object versions, with the
// caller's visibility applied.
func (s *Server) page(r *http.Request, allowed taxii.Filter, fix func(*isachub.ObjectFilter)) (*isachub.ObjectPage, error) {
	c := callerOf(r)
	coll, fd, err := s.readable(r.Context(), c, r.PathValue("root"), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	q, err := taxii.ParseQuery(r.URL.Query(), allowed)
	if err != nil {
		return nil, err
	}
	f := s.objectFilter(q)
	if fix != nil {
		fix(&f)
	}
	if fd != nil {
		p, err := s.readFeed(r.Context(), c, fd, f)
		if err != nil {
			return nil, err
		}
		return &p.ObjectPage, nil
	}
	// The store leaves out what the caller may not see before paging, so
	// that more, next and the date_added headers tell nothing of it.
	return s.store.Objects(r.Context(), coll.ID, c.reader().Visibility(coll), f)
}

// handleGetObjects serves the objects of a collection (section 5.3) as an
// envelope.
func (s *Server) handleGetObjects(w http.ResponseWriter, r *http.Request) error {
	p, err := s.page(r, taxii.FiltersObjects, nil)
	if err != nil {
		return err
	}
	return writeEnvelope(w, p)
}

// handleGetObject serves the versions of one object that the filters select
// (section 5.5), as an envelope; 404 when there are none.
func (s *Server) handleGetObject(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("object")
	if err := s.checkObjectID(r, id); err != nil {
		return err
	}
	p, err := s.page(r, taxii.FiltersObject, func(f *isachub.ObjectFilter) { f.IDs = []string{id} })
	if err != nil {
		return err
	}
	if len(p.Objects) == 0 && p.Next == "" {
		return errNoObject(id)
	}
	return writeEnvelope(w, p)
}

// handleVersions serves the versions of one object (section 5.8); 404 when
// it has none the caller may see.
func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("object")
	if err := s.checkObjectID(r, id); err != nil {
		return err
	}
	p, err := s.page(r, taxii.FiltersVersions, func(f *isachub.ObjectFilter) {
		f.IDs = []string{id}
		f.Versions = []string{"all"}
	})
	if err != nil {
		return err
	}
	if len(p.Objects) == 0 && p.Next == "" {
		return errNoObject(id)
	}
	res := taxii.Versions{More: p.More, Next: p.Next}
	for _, o := range p.Objects {
		res.Versions = append(res.Versions, o.Version())
	}
	setDateAddedHeaders(w, p.Objects)
	writeTAXII(w, http.StatusOK, res)
	return nil
}

// handleManifest serves the manifest of a collection (section 5.6).
func (s *Server) handleManifest(w http.ResponseWriter, r *http.Request) error {
	p, err := s.page(r, taxii.FiltersManifest, nil)
	if err != nil {
		return err
	}
	res := taxii.Manifest{More: p.More, Next: p.Next}
	for _, o := range p.Objects {
		res.Objects = append(res.Objects, taxii.ManifestRecord{
			ID:        o.ID,
			DateAdded: taxii.FormatTimestamp(o.DateAdded),
			Version:   o.Version(),
			MediaType: taxii.STIXMediaType(o.SpecVersion),
		})
	}
	setDateAddedHeaders(w, p.Objects)
	writeTAXII(w, http.StatusOK, res)
	return nil
}

// handleDeleteObject deletes the versions of one object that the filters
// select (section 5.7). Only the organisation that first published the id
// may: another that can read it gets 403, one that cannot gets 404.
func (s *Server) handleDeleteObject(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	_, coll, err := s.writableCollection(r.Context(), c, r.PathValue("root"), r.PathValue("id"))
	if err != nil {
		return err
	}
	q, err := taxii.ParseQuery(r.URL.Query(), taxii.FiltersDelete)
	if err != nil {
		return err
	}
	id := r.PathValue("object")
	if !taxii.ValidSTIXID(id) {
		return errNoObject(id)
	}
	err = s.store.DeleteObject(r.Context(), coll.ID, id, c.org.ID, s.objectFilter(q))
	switch isachub.ErrorCode(err) {
	case "":
		w.WriteHeader(http.StatusOK)
		return nil
	case isachub.ENOTFOUND:
		return errNoObject(id)
	case isachub.EFORBIDDEN:
		// 403 admits that the object exists: only to a caller who may
		// see a version of it.
		sees, err := s.seesObject(r.Context(), c, coll, id)
		if err != nil {
			return err
		}
		if sees {
			return isachub.Errorf(isachub.EFORBIDDEN, "Only the organisation that first published %s may delete it.", clip(id))
		}
		return errNoObject(id)
	}
	return err
}

// checkObjectID answers 404 for an object id that is no STIX id, after
// checking, like any other request, that the collection is readable (so
// that the answer tells nothing more).
func (s *Server) checkObjectID(r *http.Request, id string) error {
	if taxii.ValidSTIXID(id) {
		return nil
	}
	if _, _, err := s.readable(r.Context(), callerOf(r), r.PathValue("root"), r.PathValue("id")); err != nil {
		return err
	}
	return errNoObject(id)
}

func errNoObject(id string) error {
	return isachub.Errorf(isachub.ENOTFOUND, "There is no object %q in this collection.", clip(id))
}

// writeEnvelope writes a page as an envelope (section 3.7) with the
// X-TAXII-Date-Added-First and -Last headers.
func writeEnvelope(w http.ResponseWriter, p *isachub.ObjectPage) error {
	body, err := marshalEnvelope(p)
	if err != nil {
		return err
	}
	setDateAddedHeaders(w, p.Objects)
	writeTAXIIBytes(w, http.StatusOK, body)
	return nil
}
