package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/isachub/isachub"
)

// The web UI: server-rendered pages under /ui/ for the people of an ISAC,
// beside the TAXII API on the same listener. Every page asks the same policy
// as the TAXII endpoints (access.go, and the store's query with the
// reader's Visibility), so a page never shows what the API would hide from
// the same user. Templates, CSS and JavaScript are embedded (web/).

// uiPrefix is where the UI lives; a community may not take "ui" as its
// slug (isachub.ReservedSlugs).
const uiPrefix = "/ui/"

// viewer is who looks at a page: the signed-in caller, their session and
// their community (the organisation's own; the hub operator's too).
type viewer struct {
	*caller
	session *isachub.Session
	comm    *isachub.Community
}

// webHandlerFunc is the shape of a page handler: it renders a page or
// returns an error that the adapter renders as an error page. v is nil on
// the pages that need no sign-in.
type webHandlerFunc func(w http.ResponseWriter, r *http.Request, v *viewer) error

// webRoutes returns the UI's handler: its routes, behind
// http.CrossOriginProtection (a cross-origin POST is refused before any
// handler runs) and the security headers every page carries.
func (s *Server) webRoutes() http.Handler {
	mux := http.NewServeMux()
	signedIn := func(h webHandlerFunc) http.Handler { return s.webAdapt(h, true) }
	public := func(h webHandlerFunc) http.Handler { return s.webAdapt(h, false) }
	for _, r := range []struct {
		pattern string
		h       http.Handler
	}{
		{"GET /ui/login", public(s.handleLoginForm)},
		{"POST /ui/login", public(s.handleLogin)},
		{"GET /ui/logout", public(s.handleLogout)},
		{"POST /ui/logout", public(s.handleLogout)},
		{"GET /ui/{$}", signedIn(s.handleDashboard)},
		{"GET /ui/search", signedIn(s.handleSearch)},
		{"GET /ui/objects/{id}", signedIn(s.handleObjectPage)},
		{"GET /ui/objects/{id}/json", signedIn(s.handleObjectJSON)},
		{"POST /ui/objects/{id}/discuss", signedIn(s.handleDiscuss)},
		{"GET /ui/collections", signedIn(s.handleCollectionsPage)},
		{"GET /ui/collections/{id}", signedIn(s.handleCollectionPage)},
		{"GET /ui/publish", signedIn(s.handlePublishForm)},
		{"POST /ui/publish", signedIn(s.handlePublish)},
		{"GET /ui/pattern-check", signedIn(s.handlePatternCheck)},
		{"GET /ui/moderation", signedIn(s.handleModerationPage)},
		{"POST /ui/moderation/{pending}/{action}", signedIn(s.handleModerate)},
		{"GET /ui/admin", signedIn(s.handleAdminPage)},
		{"POST /ui/admin/{what}", signedIn(s.handleAdminCreate)},
		{"GET /ui/admin/requests", signedIn(s.handleRequestsPage)},
		{"GET /ui/peers", signedIn(s.handlePeersPage)},
		{"GET /ui/webhooks", signedIn(s.handleWebhooksPage)},
		{"GET /ui/webhooks/{id}", signedIn(s.handleWebhookPage)},
		{"POST /ui/webhooks/{id}/revive", signedIn(s.handleReviveWebhook)},
		{"POST /ui/admin/requests/{id}/{action}", signedIn(s.handleDecideRequest)},
		{"GET /ui/join", public(s.handleJoinList)},
		{"GET /ui/join/{community}", public(s.handleJoinForm)},
		{"POST /ui/join/{community}", public(s.handleJoinRequest)},
		{"GET /ui/invite/{secret}", public(s.handleInvitationForm)},
		{"POST /ui/invite/{secret}", public(s.handleAcceptInvitation)},
		{"GET /ui/members", signedIn(s.handleMembersPage)},
		{"POST /ui/members/invite", signedIn(s.handleInvite)},
		{"GET /ui/tokens", signedIn(s.handleTokensPage)},
		{"POST /ui/tokens", signedIn(s.handleCreateToken)},
		{"POST /ui/tokens/{id}/revoke", signedIn(s.handleRevokeToken)},
		{"GET /ui/static/{file}", http.HandlerFunc(s.handleStatic)},
	} {
		mux.Handle(r.pattern, r.h)
	}
	mux.Handle("/ui/", public(func(w http.ResponseWriter, r *http.Request, _ *viewer) error {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no page at %s.", clip(r.URL.Path))
	}))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "method", r.Method, "path", loggedPath(r.URL.Path),
			"origin", clip(r.Header.Get("Origin")), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.renderError(w, r, nil, isachub.Errorf(isachub.EFORBIDDEN,
			"This form was sent from another site, so it was refused. Open the page on this hub and send it again."))
	}))
	return securityHeaders(cop.Handler(mux))
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere:
// object text is untrusted, and even an escaping mistake could not run a
// script or load anything.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every UI response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// webAdapt turns a page handler into an http.Handler: it finds the
// session (sending the browser to the login form when a page needs one),
// checks the per-session CSRF token of every POST, turns a panic or an
// error into an error page, and logs the request.
func (s *Server) webAdapt(h webHandlerFunc, needSession bool) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		var v *viewer
		defer func() {
			var c *caller
			if v != nil {
				c = v.caller
			}
			s.logRequest(r, w, start, c)
		}()
		defer onPanic(func(err error) { s.renderError(w, r, v, err) })
		w.Header().Set("Cache-Control", "no-store")
		var err error
		v, err = s.sessionViewer(w, r)
		if err == nil && v != nil {
			err = s.limits.caller(v.caller)
		}
		if err != nil {
			s.renderError(w, r, nil, err)
			return
		}
		if v == nil && needSession {
			http.Redirect(w, r, "/ui/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if err := s.readForm(w, r, v); err != nil {
				s.renderError(w, r, v, err)
				return
			}
			if v != nil && !s.validCSRF(r, v) {
				s.renderError(w, r, v, isachub.Errorf(isachub.EFORBIDDEN,
					"This form has expired or did not come from your session. Reload the page and send it again."))
				return
			}
		}
		if err := h(w, r, v); err != nil {
			s.renderError(w, r, v, err)
		}
	})
}

// readForm reads a POST's form within its bound: a form of fields at most
// maxFormBytes, a file upload (multipart, signed in only) at most the
// community's max_content_length and that much again.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, v *viewer) error {
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	limit := int64(maxFormBytes)
	if multipart && v != nil {
		limit += s.maxContentLength(v.comm.MaxContentLength)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if multipart && v != nil {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return isachub.Errorf(isachub.ETOOLARGE, "The form is larger than the %d bytes this page accepts.", limit)
	case err != nil:
		return isachub.Errorf(isachub.EINVALID, "The form could not be read: %s.", clip(err.Error()))
	}
	return nil
}

// renderError renders err as an error page. An *isachub.Error shows its
// message; anything else is a 500 whose page gives a reference under
// which the failure is logged in full.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	err = s.asUnavailable(w, r, err)
	status, ok := errorStatus[isachub.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	var th *throttledError
	if errors.As(err, &th) {
		w.Header().Set("Retry-After", fmt.Sprint(int(th.retry.Seconds())+1))
	}
	msg := isachub.ErrorMessage(err)
	ref := ""
	if status == http.StatusInternalServerError {
		ref = newErrorReference()
		s.log.Error("page failed", slog.String("ref", ref), slog.String("method", r.Method),
			slog.String("path", loggedPath(r.URL.Path)), slog.Any("err", err))
		msg = "Something went wrong on the hub while making this page. It is logged; give the reference below to the hub's operators."
	}
	s.renderStatus(w, r, v, status, "error", page{Title: errorTitle[status], Data: map[string]any{
		"Status": status, "Message": msg, "Reference": ref,
	}})
}

// newErrorReference returns a short random reference for a logged failure.
func newErrorReference() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// safeNext returns target if it is a path on this hub's UI, and the
// dashboard otherwise: a login never redirects off the hub (no open
// redirect through ?next=).
func safeNext(target string) string {
	if !strings.HasPrefix(target, uiPrefix) || strings.HasPrefix(target, "//") || strings.ContainsAny(target, "\\\r\n") ||
		strings.HasPrefix(target, "/ui/login") || strings.HasPrefix(target, "/ui/logout") {
		return uiPrefix
	}
	return target
}

// handleStatic serves the embedded CSS, JavaScript and icon.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := fs.ReadFile(webStatic, "web/static/"+name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	switch {
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case strings.HasSuffix(name, ".svg"):
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}
