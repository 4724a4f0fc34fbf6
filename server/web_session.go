package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/isachub/isachub"
)

// Sign-in for the web UI: the existing accounts' passwords (argon2id,
// through the same throttle as HTTP Basic), a random session secret in an
// HttpOnly, SameSite=Lax cookie (Secure over TLS) whose SHA-256 the store
// keeps, expiry after idle time and at a fixed lifetime, and a per-session
// CSRF token that every form carries.

const sessionCookie = "isachub_session"

// touchEvery bounds how often a session's last-seen time is written: a
// page view does not cost a write each time.
const touchEvery = time.Minute

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// sessionViewer returns the viewer of the request's session cookie, nil
// when there is none or it has ended (the cookie is then cleared).
func (s *Server) sessionViewer(w http.ResponseWriter, r *http.Request) (*viewer, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || len(ck.Value) != 43 {
		return nil, nil
	}
	ctx := r.Context()
	hash := sha256.Sum256([]byte(ck.Value))
	sess, err := s.store.SessionByHash(ctx, hash[:])
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		clearSessionCookie(w, r)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.cfg.SessionIdle {
		s.store.DeleteSession(ctx, sess.ID)
		clearSessionCookie(w, r)
		return nil, nil
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND { // the user was removed
		s.store.DeleteSession(ctx, sess.ID)
		clearSessionCookie(w, r)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c, err := s.callerFor(ctx, u)
	if err != nil {
		return nil, err
	}
	comm, err := s.communityByID(ctx, c.org.CommunityID)
	if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.store.TouchSession(ctx, sess.ID, now); err != nil && isachub.ErrorCode(err) != isachub.ENOTFOUND {
			return nil, err
		}
	}
	return &viewer{caller: c, session: sess, comm: comm}, nil
}

// communityByID finds a community among all (there are few).
func (s *Server) communityByID(ctx context.Context, id int64) (*isachub.Community, error) {
	all, err := s.store.Communities(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, isachub.Errorf(isachub.ENOTFOUND, "The community of this account no longer exists.")
}

// validCSRF reports whether a POST carries the session's CSRF token.
func (s *Server) validCSRF(r *http.Request, v *viewer) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(v.session.CSRFToken)) == 1
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request, v *viewer) error {
	next := safeNext(r.URL.Query().Get("next"))
	if v != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	joined := r.URL.Query().Get("joined")
	if !validNewUsername(joined) {
		joined = ""
	}
	s.render(w, r, nil, "login", page{Title: "Sign in", Data: map[string]any{"Next": next, "Joined": joined, "Username": joined}})
	return nil
}

// handleLogin checks the form's username and password and starts a
// session. A wrong password and an unknown user get the same answer.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, _ *viewer) error {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	fail := func(status int, msg string) error {
		s.renderStatus(w, r, nil, status, "login", page{Title: "Sign in", Data: map[string]any{
			"Next": next, "Username": username, "Error": msg}})
		return nil
	}
	if username == "" || password == "" {
		return fail(http.StatusBadRequest, "Enter your username and password.")
	}
	if !plausibleName(username) || len(password) > 1024 {
		return fail(http.StatusUnauthorized, "The username or password is not right.")
	}
	c, err := s.authPassword(r.Context(), username, password, clientAddr(r.RemoteAddr))
	switch {
	case isachub.ErrorCode(err) == isachub.EUNAUTHORIZED:
		return fail(http.StatusUnauthorized, "The username or password is not right.")
	case isachub.ErrorCode(err) == eTooManyRequests:
		return err
	case err != nil:
		return err
	}
	secret, err := randomSecret()
	if err != nil {
		return err
	}
	csrf, err := randomSecret()
	if err != nil {
		return err
	}
	hash := sha256.Sum256([]byte(secret))
	now := s.now()
	sess := &isachub.Session{UserID: c.user.ID, Hash: hash[:], CSRFToken: csrf, ExpiresAt: now.Add(s.cfg.SessionLifetime)}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: uiPrefix, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	s.log.Info("signed in", "username", c.user.Username, "addr", clientAddr(r.RemoteAddr))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// handleLogout ends the session, if any, and shows the login form.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if v != nil {
		if err := s.store.DeleteSession(r.Context(), v.session.ID); err != nil && isachub.ErrorCode(err) != isachub.ENOTFOUND {
			return err
		}
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
	return nil
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: uiPrefix, MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// randomSecret returns 32 random bytes, base64url without padding (43
// characters).
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
