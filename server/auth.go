package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/isachub/isachub"
)

// caller is the authenticated user of a request and their organisation.
type caller struct {
	user *isachub.User
	org  *isachub.Org
	// token is the API token the caller authenticated with, nil for a
	// password.
	token *isachub.Token
	// peer is the peer whose organisation the caller's is, nil for a
	// member: a peer reads only what may cross the border.
	peer *isachub.Peer
	// anonymous is set by a handler that publishes anonymously, so that
	// the access log does not name the caller.
	anonymous bool
}

// errUnauthenticated is the one answer to a missing or wrong credential, so
// that it never tells which part was wrong.
func errUnauthenticated() error {
	return isachub.Errorf(isachub.EUNAUTHORIZED,
		"Authentication is required: use HTTP Basic with a username and a password or API token, or Authorization: Bearer <token>.")
}

func errBadCredentials() error {
	return isachub.Errorf(isachub.EUNAUTHORIZED, "The credentials are not valid.")
}

// authenticate identifies the caller from the Authorization header: HTTP
// Basic with a username and password (argon2id), HTTP Basic with a username
// and an API token as the password, or "Bearer <token>" (also accepted as
// "Token <token>", which the OASIS taxii2client's TokenAuth sends).
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			return s.authClientCert(r.Context(), sha256.Sum256(r.TLS.PeerCertificates[0].Raw))
		}
		return nil, errUnauthenticated()
	}
	scheme, cred, _ := strings.Cut(h, " ")
	switch strings.ToLower(scheme) {
	case "bearer", "token":
		return s.authToken(r.Context(), "", strings.TrimSpace(cred))
	case "basic":
		username, password, ok := r.BasicAuth()
		if !ok || !plausibleName(username) {
			return nil, errBadCredentials()
		}
		if looksLikeToken(password) {
			return s.authToken(r.Context(), username, password)
		}
		return s.authPassword(r.Context(), username, password, clientAddr(r.RemoteAddr))
	}
	return nil, errUnauthenticated()
}

// authClientCert finds the certificate token of the TLS client
// certificate with the fingerprint fp (ClientCertHash): mTLS, for a request
// with no Authorization header. An unknown certificate is a wrong
// credential.
func (s *Server) authClientCert(ctx context.Context, fp [sha256.Size]byte) (*caller, error) {
	return s.authHash(ctx, "", ClientCertHash(fp))
}

// authToken finds the token's user; a non-empty username must be theirs.
func (s *Server) authToken(ctx context.Context, username, secret string) (*caller, error) {
	if !looksLikeToken(secret) {
		return nil, errBadCredentials()
	}
	return s.authHash(ctx, username, HashToken(secret))
}

// authHash finds the token with the hash and its user; a non-empty
// username must be theirs.
func (s *Server) authHash(ctx context.Context, username string, hash []byte) (*caller, error) {
	tok, err := s.store.TokenByHash(ctx, hash)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, errBadCredentials()
	} else if err != nil {
		return nil, err
	}
	u, err := s.store.UserByID(ctx, tok.UserID)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		return nil, errBadCredentials()
	} else if err != nil {
		return nil, err
	}
	if username != "" && username != u.Username {
		return nil, errBadCredentials()
	}
	c, err := s.callerFor(ctx, u)
	if err != nil {
		return nil, err
	}
	c.token = tok
	return c, nil
}

// dummyHash is verified against when the username is unknown, so that the
// answer takes as long as for a known user with a wrong password.
var dummyHash, _ = HashPassword("isachub-timing-equaliser")

// authPassword checks a password login from the client address addr,
// through the login throttle (throttle.go). The web UI's login form calls
// it too.
func (s *Server) authPassword(ctx context.Context, username, password, addr string) (*caller, error) {
	if ok, retry := s.throttle.allow(username, addr); !ok {
		// Logged without the password, of course.
		s.log.Warn("password login throttled", "username", clip(username), "addr", addr, "retry_after", retry.Round(time.Second))
		return nil, &throttledError{retry: retry, err: isachub.Errorf(eTooManyRequests,
			"Too many failed logins for %q from this address; try again in %d seconds, or use an API token.", clip(username), int(math.Ceil(retry.Seconds())))}
	}
	c, err := s.checkPassword(ctx, username, password)
	switch {
	case isachub.ErrorCode(err) == isachub.EUNAUTHORIZED:
		s.throttle.failed(username, addr)
	case err == nil:
		s.throttle.succeeded(username, addr)
	}
	return c, err
}

func (s *Server) checkPassword(ctx context.Context, username, password string) (*caller, error) {
	u, err := s.store.User(ctx, username)
	if isachub.ErrorCode(err) == isachub.ENOTFOUND {
		s.verifyPassword(ctx, dummyHash, password)
		return nil, errBadCredentials()
	} else if err != nil {
		return nil, err
	}
	if u.PasswordHash == "" {
		s.verifyPassword(ctx, dummyHash, password)
		return nil, errBadCredentials()
	}
	if !s.logins.hit(u.PasswordHash, password) {
		ok, err := s.verifyPassword(ctx, u.PasswordHash, password)
		if ctx.Err() != nil {
			return nil, ctx.Err() // the client went away while waiting
		}
		if err != nil {
			s.log.Error("stored password hash is unusable", "username", u.Username, "err", err)
			return nil, errBadCredentials()
		}
		if !ok {
			return nil, errBadCredentials()
		}
		s.logins.add(u.PasswordHash, password)
	}
	return s.callerFor(ctx, u)
}

// verifyPassword is VerifyPassword with at most as many hashes computed at
// once as there are CPUs: argon2id takes 19 MiB and tens of milliseconds
// each, so a flood of wrong passwords queues here instead of exhausting
// memory.
func (s *Server) verifyPassword(ctx context.Context, hash, password string) (bool, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashing }()
	return VerifyPassword(hash, password)
}

func (s *Server) callerFor(ctx context.Context, u *isachub.User) (*caller, error) {
	org, err := s.store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, err
	}
	peer, err := isachub.PeerOf(ctx, s.store, org)
	if err != nil {
		return nil, err
	}
	return &caller{user: u, org: org, peer: peer}, nil
}

// loginCache remembers, for a few minutes, password checks that succeeded,
// so that a client sending HTTP Basic on every request does not pay for
// argon2id each time. Keys are HMACs under a per-process random key of the
// stored hash and the password, so a password change invalidates them and
// the cache holds nothing an attacker could reverse.
type loginCache struct {
	mu      sync.Mutex
	key     [32]byte
	entries map[[32]byte]time.Time
}

const (
	loginCacheTTL = 5 * time.Minute
	loginCacheMax = 10000
)

func newLoginCache() *loginCache {
	c := &loginCache{entries: make(map[[32]byte]time.Time)}
	rand.Read(c.key[:])
	return c
}

func (c *loginCache) sum(hash, password string) [32]byte {
	m := hmac.New(sha256.New, c.key[:])
	m.Write([]byte(hash))
	m.Write([]byte{0})
	m.Write([]byte(password))
	var k [32]byte
	copy(k[:], m.Sum(nil))
	return k
}

func (c *loginCache) hit(hash, password string) bool {
	k := c.sum(hash, password)
	c.mu.Lock()
	defer c.mu.Unlock()
	exp, ok := c.entries[k]
	return ok && time.Now().Before(exp)
}

func (c *loginCache) add(hash, password string) {
	k := c.sum(hash, password)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= loginCacheMax {
		clear(c.entries)
	}
	c.entries[k] = time.Now().Add(loginCacheTTL)
}
