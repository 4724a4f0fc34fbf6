package postgres

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// groupColumns are the columns scanGroup reads, members included.
const groupColumns = `id, community_id, slug, name, created_at,
	ARRAY(SELECT org_id FROM group_members m WHERE m.group_id = sharing_groups.id ORDER BY org_id)`

func scanGroup(row pgx.CollectableRow) (*isachub.SharingGroup, error) {
	var g isachub.SharingGroup
	err := row.Scan(&g.ID, &g.CommunityID, &g.Slug, &g.Name, &g.CreatedAt, &g.Members)
	g.CreatedAt = g.CreatedAt.UTC()
	if len(g.Members) == 0 {
		g.Members = nil
	}
	return &g, err
}

// CreateGroup stores g, setting g.ID and g.CreatedAt. Its members must be
// organisations of the community.
func (db *DB) CreateGroup(ctx context.Context, g *isachub.SharingGroup) error {
	if err := g.Validate(); err != nil {
		return err
	}
	at := now()
	members := orgSet(g.Members)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM orgs WHERE community_id = $1 AND id = ANY($2)`,
			g.CommunityID, members).Scan(&n); err != nil {
			return dbError(err, "check group members", "Sharing group members")
		}
		if n != len(members) {
			return isachub.Errorf(isachub.EINVALID, "An organisation among the members is not a member of this community.")
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO sharing_groups (community_id, slug, name, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, g.CommunityID, g.Slug, g.Name, at).Scan(&id)
		switch {
		case isForeignKey(err):
			return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", g.CommunityID)
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A sharing group with the slug %q already exists in this community.", g.Slug)
		case err != nil:
			return dbError(err, "create sharing group", "Sharing group "+quote(g.Slug))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO group_members (group_id, org_id) SELECT $1, unnest($2::bigint[])`, id, members); err != nil {
			return dbError(err, "add group members", "Sharing group "+quote(g.Slug))
		}
		g.ID, g.CreatedAt = id, at
		g.Members = nil
		if len(members) > 0 {
			g.Members = members
		}
		return nil
	})
}

// Group returns the community's group with the slug, or ENOTFOUND.
func (db *DB) Group(ctx context.Context, communityID int64, slug string) (*isachub.SharingGroup, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+groupColumns+` FROM sharing_groups WHERE community_id = $1 AND slug = $2`, communityID, slug)
	g, err := pgx.CollectExactlyOneRow(rows, scanGroup)
	return g, dbError(err, "sharing group", "Sharing group "+quote(slug))
}

// Groups returns the community's groups that the reader may know of,
// ordered by slug.
func (db *DB) Groups(ctx context.Context, communityID int64, r isachub.Reader) ([]*isachub.SharingGroup, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+groupColumns+` FROM sharing_groups WHERE community_id = $1 ORDER BY slug`, communityID)
	all, err := pgx.CollectRows(rows, scanGroup)
	if err != nil {
		return nil, dbError(err, "sharing groups", "Sharing groups")
	}
	gs := []*isachub.SharingGroup{}
	for _, g := range all {
		if r.HubOperator || r.CommunityID == communityID && slices.Contains(g.Members, r.OrgID) {
			gs = append(gs, g)
		}
	}
	return gs, nil
}

// groupID returns the id of the community's group with the slug.
func groupID(ctx context.Context, tx pgx.Tx, communityID int64, slug string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM sharing_groups WHERE community_id = $1 AND slug = $2`, communityID, slug).Scan(&id)
	return id, dbError(err, "sharing group", "Sharing group "+quote(slug))
}

// AddGroupMember adds an organisation of the community to the group.
func (db *DB) AddGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM orgs WHERE id = $1 AND community_id = $2`, orgID, communityID).Scan(&n); err != nil {
			return dbError(err, "check group member", "Organisation "+itoa(orgID))
		}
		if n == 0 {
			return isachub.Errorf(isachub.EINVALID, "Organisation %d is not a member of this community.", orgID)
		}
		_, err = tx.Exec(ctx, `INSERT INTO group_members (group_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, orgID)
		return dbError(err, "add group member", "Sharing group "+quote(slug))
	})
}

// RemoveGroupMember removes an organisation from the group.
func (db *DB) RemoveGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM group_members WHERE group_id = $1 AND org_id = $2`, id, orgID)
		if err != nil {
			return dbError(err, "remove group member", "Sharing group "+quote(slug))
		}
		if tag.RowsAffected() == 0 {
			return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d is not a member of sharing group %q.", orgID, slug)
		}
		return nil
	})
}

// DeleteGroup removes the group and its collections with their objects.
func (db *DB) DeleteGroup(ctx context.Context, communityID int64, slug string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM collections WHERE group_id = $1`, id); err != nil {
			return dbError(err, "delete group collections", "Sharing group "+quote(slug))
		}
		_, err = tx.Exec(ctx, `DELETE FROM sharing_groups WHERE id = $1`, id)
		return dbError(err, "delete sharing group", "Sharing group "+quote(slug))
	})
}
