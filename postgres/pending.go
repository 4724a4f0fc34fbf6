package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pendingrec"
	"github.com/isachub/isachub/internal/rawjson"
)

// CreatePending stores p in the moderation queue, setting p.CreatedAt. Its
// collection must be one of its community's (ENOTFOUND otherwise); an id
// already queued is ECONFLICT. When p is anonymous and the community's
// policy, read in the statement (FOR SHARE, so after an UpdateCommunity in
// progress), is isachub.RecordNone, no organisation is stored: not
// p.Anonymous.OrgID, not p.SubmitterOrgID; p is then given a copy of its
// record with OrgID 0, and SubmitterOrgID 0.
func (db *DB) CreatePending(ctx context.Context, p *isachub.Pending) error {
	if p.ID == "" {
		return isachub.Errorf(isachub.EINVALID, "The pending submission has no id.")
	}
	objects, err := rawjson.Join(p.Objects)
	if err != nil {
		return err
	}
	var anon []byte // NULL when not anonymous
	if a := p.Anonymous; a != nil {
		if anon, err = pendingrec.Encode(a); err != nil {
			return dbError(err, "encode anonymous record", "Pending submission "+quote(p.ID))
		}
	}
	at := now()
	var submitter, org int64 // as stored
	err = db.pool.QueryRow(ctx, `WITH pol AS (
			SELECT submitter_record = 'none' AND $5::jsonb IS NOT NULL AS erase
			FROM communities WHERE id = $2 FOR SHARE
		)
		INSERT INTO pending (id, community_id, collection_id, submitter_org_id, anonymous, objects, created_at)
		SELECT $1, $2, c.id,
			CASE WHEN pol.erase THEN 0 ELSE $4::bigint END,
			CASE WHEN pol.erase THEN $5::jsonb - 'org_id' ELSE $5::jsonb END,
			$6, $7
		FROM collections c, pol WHERE c.community_id = $2 AND c.id = $3
		RETURNING submitter_org_id, coalesce((anonymous->>'org_id')::bigint, 0)`,
		p.ID, p.CommunityID, p.CollectionID, p.SubmitterOrgID, anon, objects, at).Scan(&submitter, &org)
	switch {
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "A pending submission with the id %q already exists.", p.ID)
	case errors.Is(err, pgx.ErrNoRows):
		return isachub.Errorf(isachub.ENOTFOUND, "Collection %q not found.", p.CollectionID)
	case err != nil:
		return dbError(err, "create pending", "Pending submission "+quote(p.ID))
	}
	p.CreatedAt = at
	if a := p.Anonymous; a != nil && (a.OrgID != org || p.SubmitterOrgID != submitter) {
		stored := *a
		stored.OrgID = org
		p.Anonymous, p.SubmitterOrgID = &stored, submitter
	}
	return nil
}

const pendingColumns = `id, community_id, collection_id, submitter_org_id, anonymous, objects, created_at`

func scanPending(row pgx.CollectableRow) (*isachub.Pending, error) {
	var p isachub.Pending
	var anon, objects []byte
	if err := row.Scan(&p.ID, &p.CommunityID, &p.CollectionID, &p.SubmitterOrgID, &anon, &objects, &p.CreatedAt); err != nil {
		return nil, err
	}
	p.CreatedAt = p.CreatedAt.UTC()
	if anon != nil {
		rec, err := pendingrec.Decode(anon)
		if err != nil {
			return nil, fmt.Errorf("decode anonymous record: %w", err)
		}
		p.Anonymous = rec
	}
	var err error
	if p.Objects, err = rawjson.Split(objects); err != nil {
		return nil, fmt.Errorf("decode pending objects: %w", err)
	}
	return &p, nil
}

// Pending returns the community's pending submission with the id, or
// ENOTFOUND.
func (db *DB) Pending(ctx context.Context, communityID int64, id string) (*isachub.Pending, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+pendingColumns+` FROM pending WHERE community_id = $1 AND id = $2`, communityID, id)
	p, err := pgx.CollectExactlyOneRow(rows, scanPending)
	return p, dbError(err, "pending", "Pending submission "+quote(id))
}

// PendingSubmissions returns the collection's pending submissions, oldest
// first (ties by id); none for an unknown collection.
func (db *DB) PendingSubmissions(ctx context.Context, collectionID string) ([]*isachub.Pending, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+pendingColumns+` FROM pending WHERE collection_id = $1
		ORDER BY created_at, id`, collectionID)
	ps, err := pgx.CollectRows(rows, scanPending)
	if err != nil {
		return nil, dbError(err, "pending submissions", "Pending submissions")
	}
	if ps == nil {
		ps = []*isachub.Pending{}
	}
	return ps, nil
}

// DeletePending removes the community's pending submission, or returns
// ENOTFOUND.
func (db *DB) DeletePending(ctx context.Context, communityID int64, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM pending WHERE community_id = $1 AND id = $2`, communityID, id)
	if err != nil {
		return dbError(err, "delete pending", "Pending submission "+quote(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Pending submission %q not found.", id)
	}
	return nil
}
