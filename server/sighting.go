package server

import (
	"net/http"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// sightingsResource is the answer of GET /{root}/objects/{id}/sightings/:
// the object's sightings aggregated (isachub.SummariseSightings), with the
// counts only when at least k organisations sighted it.
type sightingsResource struct {
	ID            string `json:"id"`
	K             int    `json:"k"`
	Sighted       bool   `json:"sighted"`
	Shown         bool   `json:"shown"`
	Count         int    `json:"count,omitempty"`
	Organisations int    `json:"organisations,omitempty"`
	FirstSeen     string `json:"first_seen,omitempty"`
	LastSeen      string `json:"last_seen,omitempty"`
	Mine          bool   `json:"mine,omitempty"`
	Note          string `json:"note,omitempty"`
}

// handleSightings serves the aggregated sightings of an object the caller
// may see in one of the community's collections (404 otherwise, as for
// an object that does not exist), from the sightings the caller may see.
func (s *Server) handleSightings(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	id := r.PathValue("object")
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no object %q in this API root.", clip(id))
	if !taxii.ValidSTIXID(id) {
		return notFound
	}
	colls, err := s.store.Collections(r.Context(), comm.ID)
	if err != nil {
		return err
	}
	scope := map[string]isachub.Visibility{}
	seen := false
	for _, coll := range colls {
		if !c.reader().MayOpen(coll) {
			continue
		}
		see := c.reader().Visibility(coll)
		scope[coll.ID] = see
		if !seen && !see.Nothing() {
			p, err := s.store.Objects(r.Context(), coll.ID, see, isachub.ObjectFilter{IDs: []string{id}, Limit: 1})
			if err != nil {
				return err
			}
			seen = len(p.Objects) > 0
		}
	}
	if !seen {
		return notFound
	}
	sightings, err := s.store.Referring(r.Context(), scope, isachub.ReferenceFilter{ID: id, Types: []string{"sighting"}, Limit: isachub.MaxPageSize})
	if err != nil {
		return err
	}
	sum := isachub.SummariseSightings(sightings, id, c.org.ID, comm.SightingThreshold())
	res := sightingsResource{ID: id, K: sum.K, Sighted: sum.Sighted, Shown: sum.Shown, Count: sum.Count, Organisations: sum.Orgs,
		FirstSeen: sum.FirstSeen, LastSeen: sum.LastSeen, Mine: sum.Mine}
	if sum.Sighted && !sum.Shown {
		res.Note = "Sighted by fewer than k organisations: counts are given from k on, so that no member can be picked out."
	}
	writeTAXII(w, http.StatusOK, res)
	return nil
}
