package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/isachub/isachub"
)

// CreateOrg stores o, setting o.ID and o.CreatedAt.
func (db *DB) CreateOrg(ctx context.Context, o *isachub.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	redaction, err := json.Marshal(o.Redaction)
	if err != nil {
		return internal("encode redaction", err)
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error { return insertOrg(ctx, tx, o, string(redaction), now) })
}

// insertOrg inserts o within tx, setting o.ID and o.CreatedAt.
func insertOrg(ctx context.Context, tx *sql.Tx, o *isachub.Org, redaction string, now int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO orgs (community_id, slug, name, identity_id, staff, redaction, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, o.CommunityID, o.Slug, o.Name, o.IdentityID, boolInt(o.Staff), redaction, now)
	switch {
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "An organisation with the slug %q already exists in this community.", o.Slug)
	case isForeignKey(err):
		return notFound("Community %d not found.", o.CommunityID)
	case err != nil:
		return internal("insert organisation", err)
	}
	o.ID, err = res.LastInsertId()
	o.CreatedAt = fromMicros(now)
	return internal("insert organisation", err)
}

// UpdateOrg stores the name, identity id, staff flag and redaction rules of
// the organisation with o.ID; its slug and community are kept.
func (db *DB) UpdateOrg(ctx context.Context, o *isachub.Org) error {
	if err := o.Validate(); err != nil {
		return err
	}
	redaction, err := json.Marshal(o.Redaction)
	if err != nil {
		return internal("encode redaction", err)
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE orgs SET name = ?, identity_id = ?, staff = ?, redaction = ? WHERE id = ?`,
			o.Name, o.IdentityID, boolInt(o.Staff), string(redaction), o.ID)
		if err != nil {
			return internal("update organisation", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Organisation %d not found.", o.ID)
		}
		return nil
	})
}

const orgCols = `id, community_id, slug, name, identity_id, staff, redaction, created_at`

func scanOrg(row interface{ Scan(...any) error }) (*isachub.Org, error) {
	var o isachub.Org
	var created int64
	var redaction string
	if err := row.Scan(&o.ID, &o.CommunityID, &o.Slug, &o.Name, &o.IdentityID, &o.Staff, &redaction, &created); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMicros(created)
	if err := json.Unmarshal([]byte(redaction), &o.Redaction); err != nil {
		return nil, internal("decode redaction", err)
	}
	return &o, nil
}

// Org returns the organisation with the slug in the community, or ENOTFOUND.
func (db *DB) Org(ctx context.Context, communityID int64, slug string) (*isachub.Org, error) {
	o, err := scanOrg(db.rd.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE community_id = ? AND slug = ?`, communityID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Organisation %q not found.", slug)
	}
	return o, internal("read organisation", err)
}

// OrgByID returns the organisation with the id, or ENOTFOUND.
func (db *DB) OrgByID(ctx context.Context, id int64) (*isachub.Org, error) {
	o, err := scanOrg(db.rd.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Organisation %d not found.", id)
	}
	return o, internal("read organisation", err)
}

// Orgs returns the community's organisations, ordered by slug.
func (db *DB) Orgs(ctx context.Context, communityID int64) ([]*isachub.Org, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE community_id = ? ORDER BY slug`, communityID)
	if err != nil {
		return nil, internal("list organisations", err)
	}
	defer rows.Close()
	os := []*isachub.Org{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, internal("list organisations", err)
		}
		os = append(os, o)
	}
	return os, internal("list organisations", rows.Err())
}

// DeleteOrg removes the organisation, its users and their tokens. The
// objects it published stay.
func (db *DB) DeleteOrg(ctx context.Context, communityID int64, slug string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM orgs WHERE community_id = ? AND slug = ?`, communityID, slug)
		if err != nil {
			return internal("delete organisation", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Organisation %q not found.", slug)
		}
		return nil
	})
}
