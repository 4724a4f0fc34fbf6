package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/isachub/isachub"
)

// A user's own API tokens: listed by name and use, created with the
// secret shown once (the hub keeps only its hash), and revoked.

func (s *Server) handleTokensPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return s.renderTokens(w, r, v, http.StatusOK, "", "")
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, v *viewer, status int, secret, problem string) error {
	tokens, err := s.store.Tokens(r.Context(), v.user.ID)
	if err != nil {
		return err
	}
	s.renderStatus(w, r, v, status, "tokens", page{Title: "Your API tokens", Nav: "tokens", Data: map[string]any{
		"Tokens": tokens, "Secret": secret, "Error": problem,
	}})
	return nil
}

// handleCreateToken makes a token for the viewer and shows its secret,
// this once.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request, v *viewer) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 100 || !plausibleName(name) {
		return s.renderTokens(w, r, v, http.StatusBadRequest, "", "Name the token after where it will be used (1 to 100 characters), for example \"SIEM at the Paris SOC\".")
	}
	secret, hash, err := NewToken()
	if err != nil {
		return err
	}
	tok := &isachub.Token{UserID: v.user.ID, Name: name, Hash: hash, Anonymous: r.PostFormValue("anonymous") == "on"}
	if err := s.store.CreateToken(r.Context(), tok); err != nil {
		return err
	}
	s.log.Info("token created", "username", v.user.Username, "token_id", tok.ID)
	return s.renderTokens(w, r, v, http.StatusOK, secret, "")
}

// handleRevokeToken deletes one of the viewer's tokens; another user's
// token is answered as one that does not exist.
func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	notFound := isachub.Errorf(isachub.ENOTFOUND, "You have no token %q.", clip(r.PathValue("id")))
	if err != nil {
		return notFound
	}
	tokens, err := s.store.Tokens(r.Context(), v.user.ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID == id {
			if err := s.store.DeleteToken(r.Context(), id); err != nil {
				return err
			}
			s.log.Info("token revoked", "username", v.user.Username, "token_id", id)
			http.Redirect(w, r, "/ui/tokens", http.StatusSeeOther)
			return nil
		}
	}
	return notFound
}
