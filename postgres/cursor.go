package postgres

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"slices"

	"github.com/isachub/isachub"
)

// A cursor (ObjectPage.Next, the opaque "next" of TAXII 2.1 section 3.4) is
// the base64url encoding, without padding, of 17 bytes: a format version
// (1), the date_added of the page's last version (big-endian microseconds)
// and the first 8 bytes of a hash of the query (collection and filters, not
// the page size), so that a cursor used with another query is rejected.
const (
	cursorFormat = 1
	cursorLen    = 17
)

var cursorEncoding = base64.RawURLEncoding.Strict()

// encodeCursor returns the cursor that continues query q after dateAdded.
func encodeCursor(q [8]byte, dateAdded int64) string {
	var b [cursorLen]byte
	b[0] = cursorFormat
	binary.BigEndian.PutUint64(b[1:9], uint64(dateAdded))
	copy(b[9:], q[:])
	return cursorEncoding.EncodeToString(b[:])
}

// decodeCursor returns the date_added that the cursor s continues after,
// checking that s was issued for query q.
func decodeCursor(s string, q [8]byte) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, isachub.Errorf(isachub.EINVALID, "The next value is invalid: %s.", why)
	}
	if len(s) != cursorEncoding.EncodedLen(cursorLen) {
		return bad("it was not issued by this server")
	}
	b, err := cursorEncoding.DecodeString(s)
	if err != nil || len(b) != cursorLen || b[0] != cursorFormat {
		return bad("it was not issued by this server")
	}
	if [8]byte(b[9:]) != q {
		return bad("it belongs to a query with other filters")
	}
	da := int64(binary.BigEndian.Uint64(b[1:9]))
	if da < 0 {
		return bad("it was not issued by this server")
	}
	return da, nil
}

// queryHash identifies a query: the collection and every filter but the
// page size and cursor. Lists are ORed, so their order does not matter.
func queryHash(collectionID string, f *isachub.ObjectFilter) [8]byte {
	h := sha256.New()
	w := func(name string, vals ...string) {
		vals = slices.Sorted(slices.Values(vals))
		h.Write([]byte(name))
		for _, v := range vals {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{1})
	}
	w("collection", collectionID)
	w("added_after", f.AddedAfter.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	w("id", f.IDs...)
	w("type", f.Types...)
	w("version", f.Versions...)
	w("spec_version", f.SpecVersions...)
	var q [8]byte
	copy(q[:], h.Sum(nil))
	return q
}
