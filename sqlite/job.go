package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/isachub/isachub"
)

// EnqueueJob stores j, setting j.ID and j.CreatedAt. A zero RunAt means
// now.
func (db *DB) EnqueueJob(ctx context.Context, j *isachub.Job) error {
	if j.Kind == "" {
		return isachub.Errorf(isachub.EINVALID, "The job has no kind.")
	}
	now := db.nowMicros()
	if j.RunAt.IsZero() {
		j.RunAt = fromMicros(now)
	}
	payload := []byte(j.Payload)
	if payload == nil {
		payload = []byte("null")
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, run_at, attempts, last_error, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, j.Kind, payload, micros(j.RunAt), j.Attempts, j.LastError, now)
		if err != nil {
			return internal("enqueue job", err)
		}
		j.ID, err = res.LastInsertId()
		j.CreatedAt = fromMicros(now)
		return internal("enqueue job", err)
	})
}

// ClaimJobs leases up to n due jobs of the kind (run_at not after now and no
// unexpired lease), oldest run_at first, for the lease duration, and counts
// the claim in Attempts. The single writer makes the claim atomic: two
// callers never hold the same job at once.
func (db *DB) ClaimJobs(ctx context.Context, kind string, n int, lease time.Duration) ([]*isachub.Job, error) {
	if n <= 0 {
		return []*isachub.Job{}, nil
	}
	if lease <= 0 {
		return nil, isachub.Errorf(isachub.EINVALID, "The job lease must be positive.")
	}
	now := db.nowMicros()
	jobs := []*isachub.Job{}
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE jobs SET lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM jobs WHERE kind = ? AND run_at <= ? AND lease_until <= ?
				ORDER BY run_at, id LIMIT ?)
			RETURNING id, kind, payload, run_at, attempts, last_error, created_at`,
			now+lease.Microseconds(), kind, now, now, n)
		if err != nil {
			return internal("claim jobs", err)
		}
		defer rows.Close()
		for rows.Next() {
			var j isachub.Job
			var runAt, created int64
			var payload []byte
			if err := rows.Scan(&j.ID, &j.Kind, &payload, &runAt, &j.Attempts, &j.LastError, &created); err != nil {
				return internal("claim jobs", err)
			}
			j.Payload, j.RunAt, j.CreatedAt = payload, fromMicros(runAt), fromMicros(created)
			jobs = append(jobs, &j)
		}
		return internal("claim jobs", rows.Err())
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(jobs, func(a, b *isachub.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return jobs, nil
}

// FinishJob removes a job that succeeded, or, with a non-empty errMsg,
// records the failure, releases the lease and schedules the job again at
// retryAt.
func (db *DB) FinishJob(ctx context.Context, id int64, errMsg string, retryAt time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if errMsg == "" {
			res, err = tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, id)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE jobs SET last_error = ?, run_at = ?, lease_until = 0 WHERE id = ?`,
				errMsg, micros(retryAt), id)
		}
		if err != nil {
			return internal("finish job", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Job %d not found.", id)
		}
		return nil
	})
}
