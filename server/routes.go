package server

import "net/http"

// routes lists every endpoint of TAXII 2.1 (sections 4 and 5), each answered
// by one handler through the adapter in handler.go.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
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
		{"/", s.handleNotFound},
	} {
		mux.Handle(r.pattern, s.adapt(r.h))
	}
	return mux
}
