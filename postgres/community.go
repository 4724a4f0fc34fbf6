package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

const communityColumns = `id, slug, title, description, sector, identity_id, max_content_length,
	submitter_record, anon_secret, sighting_k, created_at`

// CreateCommunity stores c, setting c.ID and c.CreatedAt, and c.AnonSecret
// to 32 random bytes when it is empty.
func (db *DB) CreateCommunity(ctx context.Context, c *isachub.Community) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if len(c.AnonSecret) == 0 {
		c.AnonSecret = isachub.NewCommunitySecret()
	}
	at := now()
	err := db.pool.QueryRow(ctx, `INSERT INTO communities
		(slug, title, description, sector, identity_id, max_content_length, submitter_record, anon_secret, sighting_k, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		c.Slug, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength, c.SubmitterRecord, c.AnonSecret, c.SightingK, at).Scan(&c.ID)
	if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "A community with the slug %q already exists.", c.Slug)
	} else if err != nil {
		return dbError(err, "create community", "Community "+quote(c.Slug))
	}
	c.CreatedAt = at
	return nil
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
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The row lock taken here orders this transaction with every
		// AddAnonymous and CreatePending of the community, which read the
		// policy FOR SHARE: either they see none, or their record exists
		// when the erasure below runs.
		tag, err := tx.Exec(ctx, `UPDATE communities SET title = $2, description = $3, sector = $4,
			identity_id = $5, max_content_length = $6, submitter_record = $7, sighting_k = $8 WHERE id = $1`,
			c.ID, c.Title, c.Description, c.Sector, c.IdentityID, c.MaxContentLength, c.SubmitterRecord, c.SightingK)
		if err != nil {
			return dbError(err, "update community", "Community "+quote(c.Slug))
		}
		if tag.RowsAffected() == 0 {
			return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", c.ID)
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
// moderation (the org_id key of pending.anonymous is removed, which reads
// as 0, and their submitter_org_id becomes 0), so that an approval after
// the switch stores none. The community's re-minting secret is replaced
// too: the ids re-minted under the sealed policy were keyed by
// organisation with it (anon.OrgKey), and whoever kept it could recompute
// who published an object it knows the original id of. Nothing brings any
// of it back.
func eraseSubmitters(ctx context.Context, tx pgx.Tx, communityID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE communities SET anon_secret = $1 WHERE id = $2`, isachub.NewCommunitySecret(), communityID); err != nil {
		return dbError(err, "replace the re-minting secret", "Community")
	}
	if _, err := tx.Exec(ctx, `UPDATE anonymous_submissions SET org_id = 0
		WHERE community_id = $1 AND org_id <> 0`, communityID); err != nil {
		return dbError(err, "erase sealed records", "Anonymous submissions")
	}
	if _, err := tx.Exec(ctx, `UPDATE pending SET anonymous = anonymous - 'org_id', submitter_org_id = 0
		WHERE community_id = $1 AND anonymous IS NOT NULL`, communityID); err != nil {
		return dbError(err, "erase pending sealed records", "Pending submissions")
	}
	return nil
}

// Community returns the community with the slug, or ENOTFOUND.
func (db *DB) Community(ctx context.Context, slug string) (*isachub.Community, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+communityColumns+` FROM communities WHERE slug = $1`, slug)
	c, err := pgx.CollectExactlyOneRow(rows, scanCommunity)
	return c, dbError(err, "community", "Community "+quote(slug))
}

// Communities returns every community, ordered by slug.
func (db *DB) Communities(ctx context.Context) ([]*isachub.Community, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+communityColumns+` FROM communities ORDER BY slug`)
	cs, err := pgx.CollectRows(rows, scanCommunity)
	return cs, dbError(err, "communities", "Communities")
}

// DeleteCommunity removes the community and everything in it.
func (db *DB) DeleteCommunity(ctx context.Context, slug string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM communities WHERE slug = $1`, slug)
	if err != nil {
		return dbError(err, "delete community", "Community "+quote(slug))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Community %q not found.", slug)
	}
	return nil
}

func scanCommunity(row pgx.CollectableRow) (*isachub.Community, error) {
	var c isachub.Community
	err := row.Scan(&c.ID, &c.Slug, &c.Title, &c.Description, &c.Sector, &c.IdentityID, &c.MaxContentLength,
		&c.SubmitterRecord, &c.AnonSecret, &c.SightingK, &c.CreatedAt)
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, err
}

// now returns the current time truncated to PostgreSQL's microseconds, so
// that a value set on a struct equals the one read back.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
