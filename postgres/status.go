package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// statusDetail is the stored form of an isachub.StatusDetail.
type statusDetail struct {
	ID      string `json:"id"`
	Version string `json:"version,omitempty"`
	Message string `json:"message,omitempty"`
}

// CreateStatus stores s, setting s.ID when empty.
func (db *DB) CreateStatus(ctx context.Context, s *isachub.Status) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.ID == "" {
		s.ID = newUUID()
	}
	if s.RequestTimestamp.IsZero() {
		s.RequestTimestamp = now()
	}
	succ, fail, pend := details(s.Successes), details(s.Failures), details(s.Pendings)
	_, err := db.pool.Exec(ctx, `INSERT INTO statuses (id, community_id, collection_id, org_id, status,
		request_timestamp, total_count, successes, failures, pendings)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		s.ID, s.CommunityID, s.CollectionID, s.OrgID, s.Status, s.RequestTimestamp, s.TotalCount, succ, fail, pend)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", s.CommunityID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "A status with the id %q already exists.", s.ID)
	}
	return dbError(err, "create status", "Status "+quote(s.ID))
}

// UpdateStatus replaces the stored status with the same id.
func (db *DB) UpdateStatus(ctx context.Context, s *isachub.Status) error {
	if err := s.Validate(); err != nil {
		return err
	}
	succ, fail, pend := details(s.Successes), details(s.Failures), details(s.Pendings)
	tag, err := db.pool.Exec(ctx, `UPDATE statuses SET collection_id = $3, org_id = $4, status = $5,
		request_timestamp = $6, total_count = $7, successes = $8, failures = $9, pendings = $10
		WHERE id = $1 AND community_id = $2`,
		s.ID, s.CommunityID, s.CollectionID, s.OrgID, s.Status, s.RequestTimestamp, s.TotalCount, succ, fail, pend)
	if err != nil {
		return dbError(err, "update status", "Status "+quote(s.ID))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Status %q not found.", s.ID)
	}
	return nil
}

// Status returns the community's status with the id, or ENOTFOUND.
func (db *DB) Status(ctx context.Context, communityID int64, id string) (*isachub.Status, error) {
	rows, _ := db.pool.Query(ctx, `SELECT id, community_id, collection_id, org_id, status,
		request_timestamp, total_count, successes, failures, pendings
		FROM statuses WHERE community_id = $1 AND id = $2`, communityID, id)
	s, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (*isachub.Status, error) {
		var s isachub.Status
		var succ, fail, pend []byte
		if err := row.Scan(&s.ID, &s.CommunityID, &s.CollectionID, &s.OrgID, &s.Status,
			&s.RequestTimestamp, &s.TotalCount, &succ, &fail, &pend); err != nil {
			return nil, err
		}
		s.RequestTimestamp = s.RequestTimestamp.UTC()
		var err error
		if s.Successes, err = undetails(succ); err != nil {
			return nil, err
		}
		if s.Failures, err = undetails(fail); err != nil {
			return nil, err
		}
		s.Pendings, err = undetails(pend)
		return &s, err
	})
	return s, dbError(err, "status", "Status "+quote(id))
}

// details encodes status details as a JSON array for a jsonb column.
func details(ds []isachub.StatusDetail) []byte {
	out := make([]statusDetail, len(ds))
	for i, d := range ds {
		out[i] = statusDetail(d)
	}
	b, _ := json.Marshal(out) // cannot fail: strings only
	return b
}

// undetails decodes what details encoded; an empty array gives nil.
func undetails(b []byte) ([]isachub.StatusDetail, error) {
	var in []statusDetail
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]isachub.StatusDetail, len(in))
	for i, d := range in {
		out[i] = isachub.StatusDetail(d)
	}
	return out, nil
}
