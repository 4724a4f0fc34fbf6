package anon

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/isachub/isachub/stix"
)

// Remint returns the re-minted identifier of id under key: the same type
// prefix (STIX 2.1 section 2.9) and a UUID made of the first 16 bytes of
// HMAC-SHA256(key, id) with the RFC 4122 version-4 and variant bits set, so
// that it looks like any random UUIDv4 and cannot be linked to id without
// the key. The same key and id always give the same result. An id without
// a "<type>--" prefix gives the bare UUID.
func Remint(key []byte, id string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	sum := mac.Sum(nil)
	u := formatUUIDv4(sum[:16])
	if typ := stix.IDType(id); typ != "" {
		return typ + "--" + u
	}
	return u
}

// formatUUIDv4 formats 16 bytes as a version-4, RFC 4122 variant UUID.
func formatUUIDv4(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant 10xx
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], u[10:16])
	return string(s[:])
}

// OrgKey derives the re-minting key of one organisation in a community
// under the sealed submitter-record policy (isachub.RecordSealed):
// HMAC-SHA256(communitySecret, "org:"+decimal orgID). The same
// organisation's objects then keep stable ids across its anonymous
// submissions, so that it can publish new versions of them, while other
// organisations' keys differ.
func OrgKey(communitySecret []byte, orgID int64) []byte {
	mac := hmac.New(sha256.New, communitySecret)
	mac.Write([]byte("org:" + strconv.FormatInt(orgID, 10)))
	return mac.Sum(nil)
}
