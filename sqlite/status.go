package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
)

// CreateStatus stores s, setting s.ID when empty (TAXII 2.1 section 4.3).
func (db *DB) CreateStatus(ctx context.Context, s *isachub.Status) error {
	if s.ID == "" {
		s.ID = uuid.NewString()
	}
	args, err := statusArgs(s)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO statuses (community_id, collection_id, org_id, status,
			request_timestamp, total_count, successes, failures, pendings, id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A status with the id %q already exists.", s.ID)
		case isForeignKey(err):
			return notFound("Community %d not found.", s.CommunityID)
		}
		return internal("insert status", err)
	})
}

// UpdateStatus replaces the stored status with the same id.
func (db *DB) UpdateStatus(ctx context.Context, s *isachub.Status) error {
	args, err := statusArgs(s)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE statuses SET community_id = ?, collection_id = ?, org_id = ?,
			status = ?, request_timestamp = ?, total_count = ?, successes = ?, failures = ?, pendings = ?
			WHERE id = ?`, args...)
		if isForeignKey(err) {
			return notFound("Community %d not found.", s.CommunityID)
		} else if err != nil {
			return internal("update status", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Status %q not found.", s.ID)
		}
		return nil
	})
}

func statusArgs(s *isachub.Status) ([]any, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var lists [3]string
	for i, l := range [][]isachub.StatusDetail{s.Successes, s.Failures, s.Pendings} {
		if l == nil {
			l = []isachub.StatusDetail{}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return nil, internal("encode status", err)
		}
		lists[i] = string(b)
	}
	return []any{s.CommunityID, s.CollectionID, s.OrgID, s.Status, micros(s.RequestTimestamp), s.TotalCount,
		lists[0], lists[1], lists[2], s.ID}, nil
}

// Status returns the community's status with the id, or ENOTFOUND.
func (db *DB) Status(ctx context.Context, communityID int64, id string) (*isachub.Status, error) {
	s := &isachub.Status{}
	var ts int64
	var lists [3]string
	err := db.rd.QueryRowContext(ctx, `SELECT id, community_id, collection_id, org_id, status, request_timestamp,
		total_count, successes, failures, pendings FROM statuses WHERE community_id = ? AND id = ?`, communityID, id).
		Scan(&s.ID, &s.CommunityID, &s.CollectionID, &s.OrgID, &s.Status, &ts, &s.TotalCount, &lists[0], &lists[1], &lists[2])
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Status %q not found.", id)
	} else if err != nil {
		return nil, internal("read status", err)
	}
	s.RequestTimestamp = fromMicros(ts)
	for i, dst := range []*[]isachub.StatusDetail{&s.Successes, &s.Failures, &s.Pendings} {
		if err := json.Unmarshal([]byte(lists[i]), dst); err != nil {
			return nil, internal("decode status", err)
		}
	}
	return s, nil
}
