package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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

// clientCertPrefix separates the hashes of certificate tokens from those
// of API token secrets: no secret NewToken makes, nor any credential
// looksLikeToken accepts, starts with it.
const clientCertPrefix = "isachub-client-certificate:sha256:"

// ClientCertHash is the Token.Hash of a certificate token: a token that a
// TLS client certificate (mTLS) with the SHA-256 fingerprint fp presents,
// instead of a secret. It has no secret to show, lose or leak: the client
// proves it holds the certificate's private key in the TLS handshake.
func ClientCertHash(fp [sha256.Size]byte) []byte {
	return HashToken(clientCertPrefix + hex.EncodeToString(fp[:]))
}

// ParseFingerprint reads a certificate's SHA-256 fingerprint as openssl
// prints it ("AB:CD:..."), or as plain hex, in either case, with or
// without a "sha256:" prefix.
func ParseFingerprint(s string) ([sha256.Size]byte, error) {
	var fp [sha256.Size]byte
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "sha256:"), "sha256 fingerprint=")
	t = strings.ReplaceAll(t, ":", "")
	b, err := hex.DecodeString(t)
	if err != nil || len(b) != sha256.Size {
		return fp, fmt.Errorf("%q is not a SHA-256 fingerprint: 64 hexadecimal digits, optionally in pairs separated by colons (openssl x509 -noout -fingerprint -sha256)", s)
	}
	copy(fp[:], b)
	return fp, nil
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
