package postgres

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// EnqueueJob stores j, setting j.ID and j.CreatedAt.
func (db *DB) EnqueueJob(ctx context.Context, j *isachub.Job) error {
	if j.Kind == "" {
		return isachub.Errorf(isachub.EINVALID, "The job has no kind.")
	}
	at := now()
	if j.RunAt.IsZero() {
		j.RunAt = at
	}
	payload := []byte(j.Payload)
	if payload == nil {
		payload = []byte{}
	}
	err := db.pool.QueryRow(ctx, `INSERT INTO jobs (kind, payload, run_at, attempts, last_error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		j.Kind, payload, j.RunAt, j.Attempts, j.LastError, at).Scan(&j.ID)
	if err != nil {
		return dbError(err, "enqueue job", "Job")
	}
	j.CreatedAt = at
	return nil
}

// ClaimJobs leases up to n due jobs of the kind (run_at not after now and no
// unexpired lease), oldest run_at first: it sets their lease_until to
// now+lease, so that no other worker claims them before the lease ends, and
// counts the attempt. FOR UPDATE SKIP LOCKED lets concurrent claimers (in
// this or another replica) pass over each other's rows instead of waiting.
func (db *DB) ClaimJobs(ctx context.Context, kind string, n int, lease time.Duration) ([]*isachub.Job, error) {
	if n <= 0 {
		return []*isachub.Job{}, nil
	}
	if lease <= 0 {
		return nil, isachub.Errorf(isachub.EINVALID, "The job lease must be positive.")
	}
	at := now()
	rows, _ := db.pool.Query(ctx, `WITH due AS (
			SELECT id FROM jobs WHERE kind = $1 AND run_at <= $2 AND lease_until <= $2
			ORDER BY run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		UPDATE jobs SET lease_until = $4, attempts = attempts + 1
		FROM due WHERE jobs.id = due.id
		RETURNING jobs.id, kind, payload, run_at, attempts, last_error, created_at`,
		kind, at, n, at.Add(lease))
	js, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*isachub.Job, error) {
		var j isachub.Job
		var payload []byte
		err := row.Scan(&j.ID, &j.Kind, &payload, &j.RunAt, &j.Attempts, &j.LastError, &j.CreatedAt)
		j.Payload = payload
		j.RunAt, j.CreatedAt = j.RunAt.UTC(), j.CreatedAt.UTC()
		return &j, err
	})
	if err != nil {
		return nil, dbError(err, "claim jobs", "Jobs")
	}
	// RETURNING does not keep the CTE's order.
	slices.SortFunc(js, func(a, b *isachub.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return js, nil
}

// FinishJob removes a job that succeeded, or, with a non-empty errMsg,
// records the failure, releases the lease and schedules the job again at
// retryAt.
func (db *DB) FinishJob(ctx context.Context, id int64, errMsg string, retryAt time.Time) error {
	var err error
	var affected int64
	if errMsg == "" {
		tag, e := db.pool.Exec(ctx, `DELETE FROM jobs WHERE id = $1`, id)
		err, affected = e, tag.RowsAffected()
	} else {
		tag, e := db.pool.Exec(ctx, `UPDATE jobs SET last_error = $2, run_at = $3, lease_until = '-infinity' WHERE id = $1`, id, errMsg, retryAt)
		err, affected = e, tag.RowsAffected()
	}
	if err != nil {
		return dbError(err, "finish job", "Job "+itoa(id))
	}
	if affected == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Job %d not found.", id)
	}
	return nil
}
