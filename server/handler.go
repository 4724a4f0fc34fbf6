package server

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// handlerFunc is the shape of every handler: it writes a response, or it
// returns an error that the adapter writes.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type callerKey struct{}

// adapt turns a handlerFunc into an http.Handler: it authenticates the
// caller, checks that the client accepts TAXII 2.1 (section 1.6.8), runs the
// handler and writes its error, and turns a panic into a 500.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		var c *caller
		defer func() { s.logRequest(r, w, start, c) }()
		defer onPanic(func(err error) { s.writeError(w, r, err) })
		var err error
		c, err = s.authenticate(r)
		if err == nil {
			err = s.limits.caller(c)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !taxii.AcceptsTAXII21(r.Header.Get("Accept")) && !anyMediaType(r) {
			s.writeError(w, r, isachub.Errorf(eNotAcceptable,
				"This server answers with %s; the Accept header %q does not admit it.",
				taxii.MediaTypeTAXII21, clip(r.Header.Get("Accept"))))
			return
		}
		if id := c.feedToken(); id != "" && !feedTokenAllows(r, id) {
			s.writeError(w, r, isachub.Errorf(isachub.EFORBIDDEN, "This token is bound to feed %q: it reads that feed only.", id))
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// anyMediaType reports whether the request's route answers files that
// are not TAXII (a feed's export), or takes documents that are not (an
// import), so that its Accept header is not held
// to TAXII 2.1.
func anyMediaType(r *http.Request) bool {
	return r.Pattern == routeFeedExport || r.Pattern == routeFeedStream || r.Pattern == routeMatch || strings.HasPrefix(r.Pattern, routeImport)
}

// logRequest writes the access-log line of a request, TAXII or UI. An
// anonymous submission is logged without its user: the log would otherwise
// be a record of who published it.
func (s *Server) logRequest(r *http.Request, w *statusWriter, start time.Time, c *caller) {
	user := ""
	if c != nil && !c.anonymous {
		user = c.user.Username
	}
	s.log.Info("request", "method", r.Method, "path", loggedPath(r.URL.Path), "status", w.status,
		"bytes", w.bytes, "user", user, "duration", time.Since(start), "request_id", requestID(r))
}

// onPanic, deferred, turns a panic into an error for write (a 500 that
// is logged with the stack); http.ErrAbortHandler goes on up.
func onPanic(write func(error)) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		write(fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
	}
}

// statusWriter records the status and size of a response for the access
// log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// callerOf returns the authenticated caller of a request that passed adapt.
func callerOf(r *http.Request) *caller {
	c, _ := r.Context().Value(callerKey{}).(*caller)
	return c
}

// clip shortens client input quoted in a message.
func clip(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
