package isachub

import (
	"context"
	"time"
)

// The values of Status.Status (TAXII 2.1 section 4.3.1).
const (
	StatusComplete = "complete"
	StatusPending  = "pending"
)

// Status is the TAXII 2.1 status resource of one POST to an objects endpoint.
type Status struct {
	ID           string // a UUID
	CommunityID  int64
	CollectionID string
	// OrgID is the submitting organisation; only it may read the status.
	// It is 0 for an anonymous submission, whose status names no
	// organisation: any member of the community that holds its id (which
	// only the submitter received) may read it.
	OrgID            int64
	Status           string
	RequestTimestamp time.Time
	TotalCount       int
	Successes        []StatusDetail
	Failures         []StatusDetail
	Pendings         []StatusDetail
}

// StatusDetail is one object's entry in a status resource.
type StatusDetail struct {
	ID      string
	Version string
	Message string
}

// StatusStore keeps status resources.
type StatusStore interface {
	// CreateStatus stores s, setting s.ID when empty.
	CreateStatus(ctx context.Context, s *Status) error
	// UpdateStatus replaces the stored status with the same id.
	UpdateStatus(ctx context.Context, s *Status) error
	// Status returns the community's status with the id, or ENOTFOUND.
	Status(ctx context.Context, communityID int64, id string) (*Status, error)
}
