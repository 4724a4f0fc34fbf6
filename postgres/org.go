package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

const orgColumns = `id, community_id, slug, name, identity_id, staff, redaction, created_at`

// CreateOrg stores o, setting o.ID and o.CreatedAt.
func (db *DB) CreateOrg(ctx context.Context, o *isachub.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	redaction, err := json.Marshal(o.Redaction)
	if err != nil {
		return dbError(err, "encode redaction", "Organisation "+quote(o.Slug))
	}
	return insertOrg(ctx, db.pool, o, string(redaction), now())
}

// queryRower is a pool or a transaction.
type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// insertOrg inserts o through q, setting o.ID and o.CreatedAt.
func insertOrg(ctx context.Context, q queryRower, o *isachub.Org, redaction string, at time.Time) error {
	err := q.QueryRow(ctx, `INSERT INTO orgs (community_id, slug, name, identity_id, staff, redaction, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		o.CommunityID, o.Slug, o.Name, o.IdentityID, o.Staff, redaction, at).Scan(&o.ID)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", o.CommunityID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "An organisation with the slug %q already exists in this community.", o.Slug)
	} else if err != nil {
		return dbError(err, "create org", "Organisation "+quote(o.Slug))
	}
	o.CreatedAt = at
	return nil
}

// Org returns the organisation with the slug in the community, or ENOTFOUND.
func (db *DB) Org(ctx context.Context, communityID int64, slug string) (*isachub.Org, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+orgColumns+` FROM orgs WHERE community_id = $1 AND slug = $2`, communityID, slug)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrg)
	return o, dbError(err, "org", "Organisation "+quote(slug))
}

// OrgByID returns the organisation with the id, or ENOTFOUND.
func (db *DB) OrgByID(ctx context.Context, id int64) (*isachub.Org, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = $1`, id)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrg)
	return o, dbError(err, "org by id", "Organisation "+itoa(id))
}

// Orgs returns the community's organisations, ordered by slug.
func (db *DB) Orgs(ctx context.Context, communityID int64) ([]*isachub.Org, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+orgColumns+` FROM orgs WHERE community_id = $1 ORDER BY slug`, communityID)
	os, err := pgx.CollectRows(rows, scanOrg)
	return os, dbError(err, "orgs", "Organisations")
}

// UpdateOrg stores the name, identity id, staff flag and redaction rules of
// the organisation with o.ID; its slug and community are kept.
func (db *DB) UpdateOrg(ctx context.Context, o *isachub.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	redaction, err := json.Marshal(o.Redaction)
	if err != nil {
		return dbError(err, "encode redaction", "Organisation "+quote(o.Slug))
	}
	tag, err := db.pool.Exec(ctx, `UPDATE orgs SET name = $2, identity_id = $3, staff = $4, redaction = $5 WHERE id = $1`,
		o.ID, o.Name, o.IdentityID, o.Staff, string(redaction))
	if err != nil {
		return dbError(err, "update org", "Organisation "+quote(o.Slug))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d not found.", o.ID)
	}
	return nil
}

// DeleteOrg removes the organisation, its users and their tokens.
func (db *DB) DeleteOrg(ctx context.Context, communityID int64, slug string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM orgs WHERE community_id = $1 AND slug = $2`, communityID, slug)
	if err != nil {
		return dbError(err, "delete org", "Organisation "+quote(slug))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Organisation %q not found.", slug)
	}
	return nil
}

func scanOrg(row pgx.CollectableRow) (*isachub.Org, error) {
	var o isachub.Org
	var redaction string
	if err := row.Scan(&o.ID, &o.CommunityID, &o.Slug, &o.Name, &o.IdentityID, &o.Staff, &redaction, &o.CreatedAt); err != nil {
		return nil, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(redaction), &o.Redaction); err != nil {
		return nil, fmt.Errorf("decode redaction: %w", err)
	}
	return &o, nil
}
