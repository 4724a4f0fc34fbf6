package server

import (
	"net/http"

	"github.com/isachub/isachub/taxii"
)

// handleDiscovery serves the discovery resource (TAXII 2.1 section 4.1),
// listing the API roots of the communities the caller may see.
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comms, err := s.visibleCommunities(r.Context(), c)
	if err != nil {
		return err
	}
	d := taxii.Discovery{Title: s.cfg.Title, Description: s.cfg.Description, Contact: s.cfg.Contact}
	base := baseURL(r)
	for _, comm := range comms {
		u := base + "/" + comm.Slug + "/"
		d.APIRoots = append(d.APIRoots, u)
		if !c.hubAdmin() && c.reader().InCommunity(comm.ID) {
			d.Default = u
		}
	}
	writeTAXII(w, http.StatusOK, d)
	return nil
}

// handleAPIRoot serves the API root resource (section 4.2) of a community.
func (s *Server) handleAPIRoot(w http.ResponseWriter, r *http.Request) error {
	comm, err := s.community(r.Context(), callerOf(r), r.PathValue("root"))
	if err != nil {
		return err
	}
	writeTAXII(w, http.StatusOK, taxii.APIRoot{
		Title:            comm.Title,
		Description:      comm.Description,
		Versions:         []string{taxii.MediaTypeTAXII21},
		MaxContentLength: s.maxContentLength(comm.MaxContentLength),
	})
	return nil
}

func (s *Server) maxContentLength(n int64) int64 {
	if n > 0 {
		return n
	}
	return s.cfg.MaxContentLength
}

// baseURL is the scheme and host the client used, for the absolute URLs of
// the discovery resource.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
