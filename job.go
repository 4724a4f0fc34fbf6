package isachub

import (
	"context"
	"encoding/json"
	"time"
)

// Job is one entry of the outbox: work to be done after a commit, such as a
// webhook delivery, claimed by one worker at a time.
type Job struct {
	ID        int64
	Kind      string
	Payload   json.RawMessage
	RunAt     time.Time // not before
	Attempts  int
	LastError string
	CreatedAt time.Time
}

// JobStore keeps the outbox.
type JobStore interface {
	// EnqueueJob stores j, setting j.ID and j.CreatedAt.
	EnqueueJob(ctx context.Context, j *Job) error
	// ClaimJobs leases up to n due jobs of the kind for the lease duration,
	// so that no other worker (or replica) claims them meanwhile.
	ClaimJobs(ctx context.Context, kind string, n int, lease time.Duration) ([]*Job, error)
	// FinishJob removes a job that succeeded, or, with a non-empty errMsg,
	// records the failure and schedules it again at retryAt.
	FinishJob(ctx context.Context, id int64, errMsg string, retryAt time.Time) error
}
