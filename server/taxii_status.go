package server

import (
	"net/http"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// handleStatus serves a status resource (TAXII 2.1 section 4.3), only to the
// organisation that made the request it describes; to anyone else it does
// not exist.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	notFound := isachub.Errorf(isachub.ENOTFOUND, "There is no status %q in this API root.", clip(id))
	if len(id) > 64 || !plausibleName(id) {
		return notFound
	}
	st, err := s.store.Status(r.Context(), comm.ID, id)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	if st.OrgID == 0 {
		// Polling the status of an anonymous submission is not logged
		// with the caller's name: it would say who submitted.
		c.anonymous = true
	}
	if !c.reader().MaySeeStatus(st) {
		return notFound
	}
	writeTAXII(w, http.StatusOK, statusResource(st))
	return nil
}

func statusResource(st *isachub.Status) taxii.Status {
	return taxii.Status{
		ID:               st.ID,
		Status:           st.Status,
		RequestTimestamp: taxii.FormatTimestamp(st.RequestTimestamp),
		TotalCount:       st.TotalCount,
		SuccessCount:     len(st.Successes),
		Successes:        statusDetails(st.Successes),
		FailureCount:     len(st.Failures),
		Failures:         statusDetails(st.Failures),
		PendingCount:     len(st.Pendings),
		Pendings:         statusDetails(st.Pendings),
	}
}

func statusDetails(ds []isachub.StatusDetail) []taxii.StatusDetail {
	if len(ds) == 0 {
		return nil
	}
	out := make([]taxii.StatusDetail, len(ds))
	for i, d := range ds {
		out[i] = taxii.StatusDetail{ID: d.ID, Version: d.Version, Message: d.Message}
	}
	return out
}
