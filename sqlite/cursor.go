package sqlite

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/isachub/isachub"
)

// A cursor (TAXII 2.1 section 3.4: the opaque "next" value) is the
// base64url encoding, without padding, of 17 bytes: a format version (1),
// the date_added of the last version of the page (big-endian int64
// microseconds) and the first 8 bytes of the SHA-256 of the query's
// filter, so a cursor used with another query is rejected.
const (
	cursorFormat = 1
	cursorLen    = 17
)

// filterHash identifies the query of f, excluding Limit and Next (the
// same query may be paged with different page sizes); the order of the
// values of a filter, and repeated values, do not matter.
func filterHash(f isachub.ObjectFilter) [8]byte {
	h := sha256.New()
	write := func(name string, vals []string) {
		vals = slices.Compact(slices.Sorted(slices.Values(vals)))
		h.Write([]byte(name))
		for _, v := range vals {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{1})
	}
	write("added_after", []string{f.AddedAfter.UTC().Format("2006-01-02T15:04:05.000000000Z")})
	write("id", f.IDs)
	write("type", f.Types)
	write("version", f.Versions)
	write("spec_version", f.SpecVersions)
	var out [8]byte
	copy(out[:], h.Sum(nil))
	return out
}

// EncodeCursor returns the cursor that continues the query f after the
// version with date_added afterMicros.
func EncodeCursor(f isachub.ObjectFilter, afterMicros int64) string {
	b := make([]byte, cursorLen)
	b[0] = cursorFormat
	binary.BigEndian.PutUint64(b[1:9], uint64(afterMicros))
	h := filterHash(f)
	copy(b[9:], h[:])
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor returns the date_added (microseconds) that the cursor s
// continues after, or EINVALID when s is malformed or belongs to a query
// other than f.
func DecodeCursor(f isachub.ObjectFilter, s string) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, isachub.Errorf(isachub.EINVALID, "The next value is invalid: %s.", why)
	}
	if len(s) != base64.RawURLEncoding.EncodedLen(cursorLen) || strings.ContainsAny(s, "=") {
		return bad("it was not issued by this server")
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != cursorLen || b[0] != cursorFormat {
		return bad("it was not issued by this server")
	}
	h := filterHash(f)
	if string(b[9:]) != string(h[:]) {
		return bad("it belongs to a query with other filters")
	}
	us := int64(binary.BigEndian.Uint64(b[1:9]))
	if us < 0 {
		return bad("it was not issued by this server")
	}
	return us, nil
}
