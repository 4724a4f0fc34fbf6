package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// TokenPrefix starts every API token, so that a token is recognisable in a
// configuration file or a leaked log.
const TokenPrefix = "isachub_"

// NewToken returns a new API token secret, TokenPrefix followed by 32
// random bytes in unpadded base64url, and the SHA-256 hash that is the only
// thing the store keeps of it.
func NewToken() (secret string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("reading random token bytes: %w", err)
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken returns the SHA-256 hash of a token secret, as stored and as
// looked up with TokenByHash.
func HashToken(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// looksLikeToken reports whether s has the shape NewToken gives a secret.
func looksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
