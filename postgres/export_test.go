package postgres

import "github.com/isachub/isachub"

// DecodeCursor exposes the cursor decoder to the external tests: it decodes
// s as a cursor of the query (collectionID, f).
func DecodeCursor(s, collectionID string, f isachub.ObjectFilter) (int64, error) {
	return decodeCursor(s, queryHash(collectionID, &f))
}

// EncodeCursor exposes the cursor encoder to the external tests.
func EncodeCursor(collectionID string, f isachub.ObjectFilter, dateAdded int64) string {
	return encodeCursor(queryHash(collectionID, &f), dateAdded)
}
