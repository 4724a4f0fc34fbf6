package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/isachub/isachub"
)

// CreateGroup stores g, setting g.ID and g.CreatedAt. Its members must be
// organisations of the community.
func (db *DB) CreateGroup(ctx context.Context, g *isachub.SharingGroup) error {
	if err := g.Validate(); err != nil {
		return err
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sharing_groups (community_id, slug, name, created_at)
			VALUES (?, ?, ?, ?)`, g.CommunityID, g.Slug, g.Name, now)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A sharing group with the slug %q already exists in this community.", g.Slug)
		case isForeignKey(err):
			return notFound("Community %d not found.", g.CommunityID)
		case err != nil:
			return internal("insert sharing group", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return internal("insert sharing group", err)
		}
		for _, org := range g.Members {
			if err := addMember(ctx, tx, id, g.CommunityID, org); err != nil {
				return err
			}
		}
		if g.Members, err = groupMembers(ctx, tx, id); err != nil {
			return err
		}
		g.ID, g.CreatedAt = id, fromMicros(now)
		return nil
	})
}

// addMember adds an organisation of the community to the group.
func addMember(ctx context.Context, tx *sql.Tx, groupID, communityID, org int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM orgs WHERE id = ? AND community_id = ?`, org, communityID).Scan(&n); err != nil {
		return internal("read organisation", err)
	}
	if n == 0 {
		return isachub.Errorf(isachub.EINVALID, "Organisation %d is not a member of this community.", org)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO group_members (group_id, org_id) VALUES (?, ?)`, groupID, org); err != nil {
		return internal("insert group member", err)
	}
	return nil
}

// groupMembers returns the organisation ids of the group, ascending.
func groupMembers(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, groupID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT org_id FROM group_members WHERE group_id = ? ORDER BY org_id`, groupID)
	if err != nil {
		return nil, internal("read group members", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal("read group members", err)
		}
		ids = append(ids, id)
	}
	return ids, internal("read group members", rows.Err())
}

const groupCols = `id, community_id, slug, name, created_at`

func (db *DB) scanGroup(ctx context.Context, row interface{ Scan(...any) error }) (*isachub.SharingGroup, error) {
	var g isachub.SharingGroup
	var created int64
	if err := row.Scan(&g.ID, &g.CommunityID, &g.Slug, &g.Name, &created); err != nil {
		return nil, err
	}
	g.CreatedAt = fromMicros(created)
	var err error
	g.Members, err = groupMembers(ctx, db.rd, g.ID)
	return &g, err
}

// Group returns the community's group with the slug, or ENOTFOUND.
func (db *DB) Group(ctx context.Context, communityID int64, slug string) (*isachub.SharingGroup, error) {
	g, err := db.scanGroup(ctx, db.rd.QueryRowContext(ctx, `SELECT `+groupCols+` FROM sharing_groups
		WHERE community_id = ? AND slug = ?`, communityID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Sharing group %q not found.", slug)
	}
	return g, internal("read sharing group", err)
}

// Groups returns the community's groups that the reader may know of,
// ordered by slug.
func (db *DB) Groups(ctx context.Context, communityID int64, r isachub.Reader) ([]*isachub.SharingGroup, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+groupCols+` FROM sharing_groups
		WHERE community_id = ? ORDER BY slug`, communityID)
	if err != nil {
		return nil, internal("list sharing groups", err)
	}
	var ids []int64
	all := map[int64]*isachub.SharingGroup{}
	for rows.Next() {
		var g isachub.SharingGroup
		var created int64
		if err := rows.Scan(&g.ID, &g.CommunityID, &g.Slug, &g.Name, &created); err != nil {
			rows.Close()
			return nil, internal("list sharing groups", err)
		}
		g.CreatedAt = fromMicros(created)
		ids = append(ids, g.ID)
		all[g.ID] = &g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("list sharing groups", err)
	}
	gs := []*isachub.SharingGroup{}
	for _, id := range ids {
		g := all[id]
		if g.Members, err = groupMembers(ctx, db.rd, id); err != nil {
			return nil, err
		}
		if r.HubOperator || r.CommunityID == communityID && slices.Contains(g.Members, r.OrgID) {
			gs = append(gs, g)
		}
	}
	return gs, nil
}

// groupID returns the id of the community's group with the slug.
func groupID(ctx context.Context, tx *sql.Tx, communityID int64, slug string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM sharing_groups WHERE community_id = ? AND slug = ?`, communityID, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("Sharing group %q not found.", slug)
	}
	return id, internal("read sharing group", err)
}

// AddGroupMember adds an organisation of the community to the group.
func (db *DB) AddGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		return addMember(ctx, tx, id, communityID, orgID)
	})
}

// RemoveGroupMember removes an organisation from the group.
func (db *DB) RemoveGroupMember(ctx context.Context, communityID int64, slug string, orgID int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = ? AND org_id = ?`, id, orgID)
		if err != nil {
			return internal("remove group member", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Organisation %d is not a member of sharing group %q.", orgID, slug)
		}
		return nil
	})
}

// DeleteGroup removes the group and its collections with their objects.
func (db *DB) DeleteGroup(ctx context.Context, communityID int64, slug string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		id, err := groupID(ctx, tx, communityID, slug)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM collections WHERE group_id = ?`, id); err != nil {
			return internal("delete group collections", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sharing_groups WHERE id = ?`, id); err != nil {
			return internal("delete sharing group", err)
		}
		return nil
	})
}
