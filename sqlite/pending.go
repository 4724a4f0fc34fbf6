package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/internal/pendingrec"
	"github.com/isachub/isachub/internal/rawjson"
)

// CreatePending stores p in the moderation queue, setting p.CreatedAt. Its
// collection must be one of its community's (ENOTFOUND otherwise); an id
// already queued is ECONFLICT. When p is anonymous and the community's
// policy, read in the transaction, is isachub.RecordNone, no organisation
// is stored: not p.Anonymous.OrgID, not p.SubmitterOrgID; p is then given
// a copy of its record with OrgID 0, and SubmitterOrgID 0.
func (db *DB) CreatePending(ctx context.Context, p *isachub.Pending) error {
	if p.ID == "" {
		return isachub.Errorf(isachub.EINVALID, "The pending submission has no id.")
	}
	objects, err := rawjson.Join(p.Objects)
	if err != nil {
		return err
	}
	now := db.nowMicros()
	var rec *isachub.AnonymousSubmission // what is stored, handed back on commit
	submitter := p.SubmitterOrgID
	err = db.write(ctx, func(tx *sql.Tx) error {
		var coll int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM collections WHERE community_id = ? AND id = ?`,
			p.CommunityID, p.CollectionID).Scan(&coll)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Collection %q not found.", p.CollectionID)
		} else if err != nil {
			return internal("read collection", err)
		}
		var anon any
		if p.Anonymous != nil {
			a := *p.Anonymous
			if none, err := keepsNone(ctx, tx, p.CommunityID); err != nil {
				return err
			} else if none {
				a.OrgID, submitter = 0, 0 // the community keeps no record of who submitted
			}
			b, err := pendingrec.Encode(&a)
			if err != nil {
				return internal("encode anonymous record", err)
			}
			anon, rec = string(b), &a
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pending (id, community_id, coll, submitter, anonymous, objects, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, p.CommunityID, coll, submitter, anon, objects, now)
		if isUnique(err) {
			return isachub.Errorf(isachub.ECONFLICT, "A pending submission with the id %q already exists.", p.ID)
		} else if err != nil {
			return internal("insert pending submission", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.CreatedAt = fromMicros(now)
	if rec != nil && (rec.OrgID != p.Anonymous.OrgID || submitter != p.SubmitterOrgID) {
		p.Anonymous, p.SubmitterOrgID = rec, submitter
	}
	return nil
}

// pendingCols are the columns scanPending reads, from pending p.
const pendingCols = `p.id, p.community_id, (SELECT id FROM collections WHERE pk = p.coll), p.submitter,
	p.anonymous, p.objects, p.created_at`

func scanPending(row interface{ Scan(...any) error }) (*isachub.Pending, error) {
	var p isachub.Pending
	var anon sql.NullString
	var objects []byte
	var created int64
	if err := row.Scan(&p.ID, &p.CommunityID, &p.CollectionID, &p.SubmitterOrgID, &anon, &objects, &created); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMicros(created)
	if anon.Valid {
		rec, err := pendingrec.Decode([]byte(anon.String))
		if err != nil {
			return nil, internal("decode anonymous record", err)
		}
		p.Anonymous = rec
	}
	var err error
	if p.Objects, err = rawjson.Split(objects); err != nil {
		return nil, internal("decode pending objects", err)
	}
	return &p, nil
}

// Pending returns the community's pending submission with the id, or
// ENOTFOUND.
func (db *DB) Pending(ctx context.Context, communityID int64, id string) (*isachub.Pending, error) {
	p, err := scanPending(db.rd.QueryRowContext(ctx, `SELECT `+pendingCols+` FROM pending p
		WHERE p.community_id = ? AND p.id = ?`, communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Pending submission %q not found.", id)
	}
	return p, internal("read pending submission", err)
}

// PendingSubmissions returns the collection's pending submissions, oldest
// first (ties by id); none for an unknown collection.
func (db *DB) PendingSubmissions(ctx context.Context, collectionID string) ([]*isachub.Pending, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+pendingCols+` FROM pending p
		WHERE p.coll = (SELECT pk FROM collections WHERE id = ?) ORDER BY p.created_at, p.id`, collectionID)
	if err != nil {
		return nil, internal("list pending submissions", err)
	}
	defer rows.Close()
	ps := []*isachub.Pending{}
	for rows.Next() {
		p, err := scanPending(rows)
		if err != nil {
			return nil, internal("list pending submissions", err)
		}
		ps = append(ps, p)
	}
	return ps, internal("list pending submissions", rows.Err())
}

// DeletePending removes the community's pending submission, or returns
// ENOTFOUND.
func (db *DB) DeletePending(ctx context.Context, communityID int64, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM pending WHERE community_id = ? AND id = ?`, communityID, id)
		if err != nil {
			return internal("delete pending submission", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Pending submission %q not found.", id)
		}
		return nil
	})
}
