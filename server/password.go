package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id parameters of new hashes: OWASP's recommended minimum for
// argon2id (19 MiB, 2 passes, 1 lane), which keeps HTTP Basic logins fast
// enough to check on every request.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password the hub accepts (NIST SP
// 800-63B asks for at least 8; 12 leaves room against offline guessing
// of a stolen hash). Long passphrases are welcome; argon2id hashes any
// length.
const MinPasswordLength = 12

// HashPassword hashes password with argon2id and a random salt, returning
// the hash in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(password string) (string, error) {
	if password == "" {
		return "", fmt.Errorf("the password is empty")
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches a PHC-format argon2id
// hash made by HashPassword, comparing in constant time. A malformed hash
// is an error.
func VerifyPassword(hash, password string) (bool, error) {
	p, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parsePHC reads $argon2id$v=19$m=..,t=..,p=..$salt$hash, refusing
// parameters that would make a stored hash a denial of service.
func parsePHC(s string) (*phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, fmt.Errorf("the password hash is not in argon2id PHC format")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return nil, fmt.Errorf("the password hash has an unsupported argon2 version %q", parts[2])
	}
	p := &phc{}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return nil, fmt.Errorf("the password hash has malformed parameters %q", parts[3])
	}
	if p.memory < 1024 || p.memory > 1<<20 || p.time < 1 || p.time > 10 || p.threads < 1 {
		return nil, fmt.Errorf("the password hash has out-of-range parameters %q", parts[3])
	}
	var err error
	b64 := base64.RawStdEncoding
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return nil, fmt.Errorf("the password hash has a malformed salt")
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return nil, fmt.Errorf("the password hash has a malformed key")
	}
	return p, nil
}
