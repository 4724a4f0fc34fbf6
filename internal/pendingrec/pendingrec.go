// Package pendingrec is the stored form of the anonymous record of a
// submission waiting for moderation (isachub.Pending.Anonymous), one JSON
// document in the pending table of both stores. It has its own JSON names,
// so that renaming a Go field never loses a queued record; the stores'
// erasure of sealed organisations relies on the name "org_id".
package pendingrec

import (
	"encoding/json"
	"time"

	"github.com/isachub/isachub"
)

// record is the stored form.
type record struct {
	ID           string    `json:"id"`
	CommunityID  int64     `json:"community_id"`
	CollectionID string    `json:"collection_id"`
	HandleHash   []byte    `json:"handle_hash,omitempty"`
	OrgID        int64     `json:"org_id,omitempty"`
	ObjectIDs    []string  `json:"object_ids,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	WithdrawnAt  time.Time `json:"withdrawn_at"`
}

// Encode returns the stored form of a.
func Encode(a *isachub.AnonymousSubmission) ([]byte, error) {
	return json.Marshal(record(*a))
}

// Decode reads a stored form back, with its times in UTC (zero stays zero).
func Decode(b []byte) (*isachub.AnonymousSubmission, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	a := isachub.AnonymousSubmission(r)
	a.CreatedAt, a.WithdrawnAt = utcOrZero(a.CreatedAt), utcOrZero(a.WithdrawnAt)
	return &a, nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
