package server

import (
	"net/http"
	"strings"

	"github.com/isachub/isachub"
)

// routes lists every endpoint of TAXII 2.1 (sections 4 and 5), and
// isachub's own for anonymous publishing and moderation, each answered
// by one handler through the adapter in handler.go. Any other path answers
// a TAXII error: 405 with Allow when the path exists for other methods, 404
// otherwise.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.known = http.NewServeMux()
	for _, r := range []struct {
		pattern string
		h       handlerFunc
	}{
		{"GET /taxii2/{$}", s.handleDiscovery},
		{"GET /{root}/{$}", s.handleAPIRoot},
		{"GET /{root}/status/{id}/{$}", s.handleStatus},
		{"GET /{root}/collections/{$}", s.handleCollections},
		{"GET /{root}/collections/{id}/{$}", s.handleCollection},
		{"GET /{root}/collections/{id}/manifest/{$}", s.handleManifest},
		{"GET /{root}/collections/{id}/objects/{$}", s.handleGetObjects},
		{"POST /{root}/collections/{id}/objects/{$}", s.handleAddObjects},
		{"GET /{root}/collections/{id}/objects/{object}/{$}", s.handleGetObject},
		{"DELETE /{root}/collections/{id}/objects/{object}/{$}", s.handleDeleteObject},
		{"GET /{root}/collections/{id}/objects/{object}/versions/{$}", s.handleVersions},
		// isachub's own endpoints: anonymous publishing and moderation.
		{"GET /{root}/identity/{$}", s.handleIdentity},
		{"POST /{root}/collections/{id}/preview/{$}", s.handlePreview},
		{"POST /{root}/withdraw/{$}", s.handleWithdraw},
		{"GET /{root}/collections/{id}/pending/{$}", s.handlePending},
		{"POST /{root}/collections/{id}/pending/{pending}/approve/{$}", s.handleApprove},
		{"POST /{root}/collections/{id}/pending/{pending}/reject/{$}", s.handleReject},
		// Documents of other formats, converted (issue 11).
		{routeImport, s.handleImport},
		{routeImport + "/{$}", s.handleImport},
		// Feeds' exports (issue 10): files for tools that are not TAXII
		// clients, so any Accept is taken.
		{routeFeedExport, s.handleFeedExport},
		{routeFeedStream, s.handleFeedStream},
		// The matching API for SOCs (issue 10, section 4).
		{routeMatch, s.handleMatch},
		// Sightings aggregated with k-anonymity (issue 10, section 5).
		{"GET /{root}/objects/{object}/sightings/{$}", s.handleSightings},
		// An organisation's webhooks and their delivery logs (webhook.go).
		{"GET /{root}/webhooks/{$}", s.handleWebhooks},
		{"GET /{root}/webhooks/{id}/deliveries/{$}", s.handleWebhookDeliveries},
	} {
		mux.Handle(r.pattern, s.adapt(r.h))
		s.known.Handle(r.pattern, http.NotFoundHandler())
	}
	mux.Handle("/", s.adapt(s.handleNoRoute))
	return mux
}

// routeFeedExport is the route of a feed's exports, and routeMatch that of
// the matching API: they answer files and application/json, not TAXII, so
// any Accept header is taken.
const (
	routeFeedExport = "GET /{root}/feeds/{id}/export"
	routeFeedStream = "GET /{root}/feeds/{id}/stream"
	routeMatch      = "POST /{root}/match"
)

// handleNoRoute answers every request that no route takes.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.known.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return isachub.Errorf(eMethodNotAllowed, "%s is not allowed here; use %s.", r.Method, strings.Join(allow, " or "))
	}
	return isachub.Errorf(isachub.ENOTFOUND, "There is no TAXII 2.1 resource at %s.", clip(r.URL.Path))
}
