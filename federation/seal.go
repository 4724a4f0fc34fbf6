package federation

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeyEnv is the environment variable that holds the federation key: 32
// random bytes in standard base64 (openssl rand -base64 32). Peers'
// credentials are sealed with it at rest; without it, no peer can be added
// or synced.
const KeyEnv = "ISACHUB_FEDERATION_KEY"

// ParseKey reads a federation key as KeyEnv holds it.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("no federation key: set %s to 32 random bytes in base64 (openssl rand -base64 32); peers' credentials are sealed with it", KeyEnv)
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s must be 32 bytes in standard base64 (openssl rand -base64 32)", KeyEnv)
	}
	return key, nil
}

// Seal encrypts a credential with AES-256-GCM under key: a random nonce,
// then the ciphertext and its tag. The peer's id is the additional data,
// so that a sealed credential copied to another peer's row does not open.
func Seal(key []byte, peerID, credential string) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(credential)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(credential), []byte(peerID)), nil
}

// Open decrypts what Seal made for the peer.
func Open(key []byte, peerID string, sealed []byte) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("the peer's sealed credential is truncated")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(peerID))
	if err != nil {
		return "", fmt.Errorf("the peer's credential does not open with this %s (was the key changed?)", KeyEnv)
	}
	return string(plain), nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("the federation key must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
