package server

import (
	"context"
	"net/http"
	"time"
)

// The operations endpoints, outside every community's API root (their
// names are isachub.ReservedSlugs): GET /healthz answers 200 while the
// process serves; GET /readyz answers 200 when the store answers and its
// schema is this binary's (Store.Ready), else 503, so that a load
// balancer sends requests only to replicas that can answer them. Both
// are unauthenticated and say nothing but "ok" or "unavailable": the
// reason a replica is not ready goes to its log.
const (
	pathHealthz = "/healthz"
	pathReadyz  = "/readyz"
	pathMetrics = "/metrics"
)

// readyTimeout bounds the readiness check: a database that does not
// answer within it is as good as down for a load balancer.
const readyTimeout = 2 * time.Second

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeProbe(w, r, http.StatusOK)
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		writeProbe(w, r, http.StatusServiceUnavailable)
		return
	}
	writeProbe(w, r, http.StatusOK)
}

// writeProbe answers a health probe: GET or HEAD, a short JSON body, never
// cached.
func writeProbe(w http.ResponseWriter, r *http.Request, status int) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		if status == http.StatusOK {
			w.Write([]byte(`{"status":"ok"}` + "\n"))
		} else {
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
		}
	}
}
