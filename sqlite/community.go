package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/isachub/isachub"
)

// CreateCommunity stores c, setting c.ID and c.CreatedAt, and c.AnonSecret
// to 32 random bytes when it is empty.
func (db *DB) CreateCommunity(ctx context.Context, c *isachub.Community) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if len(c.AnonSecret) == 0 {
		c.AnonSecret = isachub.NewCommunitySecret()
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO communities
			(slug, title, description, sector, identity_id, max_content_length, submitter_record, anon_secret, sighting_k, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Slug, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength, c.SubmitterRecord, c.AnonSecret, c.SightingK, now)
		if isUnique(err) {
			return isachub.Errorf(isachub.ECONFLICT, "A community with the slug %q already exists.", c.Slug)
		} else if err != nil {
			return internal("insert community", err)
		}
		c.ID, err = res.LastInsertId()
		c.CreatedAt = fromMicros(now)
		return internal("insert community", err)
	})
}

// UpdateCommunity stores the title, description, sector, identity id,
// max_content_length and submitter-record policy of the community with
// c.ID; its slug and secret are kept. Setting the policy to
// isachub.RecordNone erases, in the same transaction, every submitting
// organisation the community recorded (see eraseSubmitters).
func (db *DB) UpdateCommunity(ctx context.Context, c *isachub.Community) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE communities SET title = ?, description = ?, sector = ?,
			identity_id = ?, max_content_length = ?, submitter_record = ?, sighting_k = ? WHERE id = ?`,
			c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength, c.SubmitterRecord, c.SightingK, c.ID)
		if err != nil {
			return internal("update community", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Community %d not found.", c.ID)
		}
		if c.Record() == isachub.RecordNone {
			return eraseSubmitters(ctx, tx, c.ID)
		}
		return nil
	})
}

// eraseSubmitters forgets every submitting organisation of the community's
// anonymous submissions: the sealed records (anonymous_submissions.org_id
// becomes 0) and the records of anonymous submissions waiting for
// moderation (the org_id of pending.anonymous is removed, which reads as
// 0, and their submitter becomes 0), so that an approval after the switch
// stores none. The community's re-minting secret is replaced too: the ids
// re-minted under the sealed policy were keyed by organisation with it
// (anon.OrgKey), and whoever kept it could recompute who published an
// object it knows the original id of. Nothing brings any of it back.
func eraseSubmitters(ctx context.Context, tx *sql.Tx, communityID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE communities SET anon_secret = ? WHERE id = ?`, isachub.NewCommunitySecret(), communityID); err != nil {
		return internal("replace the re-minting secret", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE anonymous_submissions SET org_id = 0
		WHERE community_id = ? AND org_id <> 0`, communityID); err != nil {
		return internal("erase sealed records", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pending SET anonymous = json_remove(anonymous, '$.org_id'), submitter = 0
		WHERE community_id = ? AND anonymous IS NOT NULL`, communityID); err != nil {
		return internal("erase pending sealed records", err)
	}
	return nil
}

// keepsNone reports whether the community's policy, read in tx, is
// isachub.RecordNone: its anonymous submissions may record no organisation.
func keepsNone(ctx context.Context, tx *sql.Tx, communityID int64) (bool, error) {
	var record string
	err := tx.QueryRowContext(ctx, `SELECT submitter_record FROM communities WHERE id = ?`, communityID).Scan(&record)
	if err != nil {
		return false, internal("read submitter-record policy", err)
	}
	return (&isachub.Community{SubmitterRecord: record}).Record() == isachub.RecordNone, nil
}

const communityCols = `id, slug, title, description, sector, identity_id, max_content_length,
	submitter_record, anon_secret, sighting_k, created_at`

func scanCommunity(row interface{ Scan(...any) error }) (*isachub.Community, error) {
	var c isachub.Community
	var created int64
	err := row.Scan(&c.ID, &c.Slug, &c.Title, &c.Description, &c.Sector, &c.IdentityID, &c.MaxContentLength,
		&c.SubmitterRecord, &c.AnonSecret, &c.SightingK, &created)
	c.CreatedAt = fromMicros(created)
	return &c, err
}

// Community returns the community with the slug, or ENOTFOUND.
func (db *DB) Community(ctx context.Context, slug string) (*isachub.Community, error) {
	c, err := scanCommunity(db.rd.QueryRowContext(ctx, `SELECT `+communityCols+` FROM communities WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Community %q not found.", slug)
	}
	return c, internal("read community", err)
}

// Communities returns every community, ordered by slug.
func (db *DB) Communities(ctx context.Context) ([]*isachub.Community, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+communityCols+` FROM communities ORDER BY slug`)
	if err != nil {
		return nil, internal("list communities", err)
	}
	defer rows.Close()
	cs := []*isachub.Community{}
	for rows.Next() {
		c, err := scanCommunity(rows)
		if err != nil {
			return nil, internal("list communities", err)
		}
		cs = append(cs, c)
	}
	return cs, internal("list communities", rows.Err())
}

// DeleteCommunity removes the community and everything in it: its
// organisations, users, tokens, collections, objects and statuses.
func (db *DB) DeleteCommunity(ctx context.Context, slug string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM communities WHERE slug = ?`, slug)
		if err != nil {
			return internal("delete community", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Community %q not found.", slug)
		}
		return nil
	})
}
