package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
)

// CreateCollection stores c, setting c.CreatedAt and, when empty, c.ID. Its
// readers and writers must be organisations of the same community.
func (db *DB) CreateCollection(ctx context.Context, c *isachub.Collection) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	var alias any
	if c.Alias != "" {
		alias = c.Alias
	}
	var group any
	if c.GroupID != 0 {
		group = c.GroupID
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		if c.GroupID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sharing_groups WHERE id = ? AND community_id = ?`,
				c.GroupID, c.CommunityID).Scan(&n); err != nil {
				return internal("read sharing group", err)
			}
			if n == 0 {
				return notFound("Sharing group %d not found in this community.", c.GroupID)
			}
		}
		// A feed is served as a collection with its id: no collection
		// may take one.
		var feeds int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE id = ?`, c.ID).Scan(&feeds); err != nil {
			return internal("check collection id", err)
		}
		if feeds > 0 {
			return isachub.Errorf(isachub.ECONFLICT, "A feed with the id %q already exists.", c.ID)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO collections
			(id, community_id, title, description, alias, read_all, write_all, default_tlp, created_at, group_id,
				anonymous, moderated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.CommunityID, c.Title, c.Description, alias, boolInt(c.ReadAll), boolInt(c.WriteAll), c.DefaultTLP, now, group,
			boolInt(c.Anonymous), boolInt(c.Moderated))
		switch {
		case isUnique(err) && strings.Contains(err.Error(), "alias"):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the alias %q already exists in this community.", c.Alias)
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the id %q already exists.", c.ID)
		case isForeignKey(err):
			return notFound("Community %d not found.", c.CommunityID)
		case err != nil:
			return internal("insert collection", err)
		}
		pk, err := res.LastInsertId()
		if err != nil {
			return internal("insert collection", err)
		}
		if err := setCollectionMembers(ctx, tx, pk, c); err != nil {
			return err
		}
		c.CreatedAt = fromMicros(now)
		if c.GroupID != 0 {
			members, err := groupMembers(ctx, tx, c.GroupID)
			if err != nil {
				return err
			}
			c.Readers, c.Writers = members, members
		}
		return nil
	})
}

// setCollectionMembers stores c's reader and writer lists for the
// collection with the primary key pk, replacing those it had.
func setCollectionMembers(ctx context.Context, tx *sql.Tx, pk int64, c *isachub.Collection) error {
	for _, t := range []struct {
		table string
		orgs  []int64
	}{{"collection_readers", c.Readers}, {"collection_writers", c.Writers}} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE coll = ?`, pk); err != nil {
			return internal("replace collection members", err)
		}
		for _, org := range t.orgs {
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO `+t.table+` (coll, org_id)
				SELECT ?, id FROM orgs WHERE id = ? AND community_id = ?`, pk, org, c.CommunityID)
			if err != nil {
				return internal("insert collection members", err)
			}
			if n, _ := res.RowsAffected(); n == 0 && !hasOrg(ctx, tx, pk, t.table, org) {
				return notFound("Organisation %d is not a member of this community.", org)
			}
		}
	}
	return nil
}

// UpdateCollection stores c's title, description, alias, readers,
// writers, default TLP and flags over the community's collection c.ID.
func (db *DB) UpdateCollection(ctx context.Context, c *isachub.Collection) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var alias any
	if c.Alias != "" {
		alias = c.Alias
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		var pk, group int64
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT pk, coalesce(group_id, 0), created_at FROM collections
			WHERE community_id = ? AND id = ?`, c.CommunityID, c.ID).Scan(&pk, &group, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return notFound("Collection %q not found.", c.ID)
		case err != nil:
			return internal("read collection", err)
		case group != c.GroupID:
			return isachub.Errorf(isachub.EINVALID, "A collection's sharing group cannot change: create a new collection instead.")
		}
		_, err = tx.ExecContext(ctx, `UPDATE collections SET title = ?, description = ?, alias = ?, read_all = ?,
			write_all = ?, default_tlp = ?, anonymous = ?, moderated = ? WHERE pk = ?`,
			c.Title, c.Description, alias, boolInt(c.ReadAll), boolInt(c.WriteAll), c.DefaultTLP,
			boolInt(c.Anonymous), boolInt(c.Moderated), pk)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the alias %q already exists in this community.", c.Alias)
		case err != nil:
			return internal("update collection", err)
		}
		if err := setCollectionMembers(ctx, tx, pk, c); err != nil {
			return err
		}
		c.CreatedAt = fromMicros(created)
		if c.GroupID != 0 {
			members, err := groupMembers(ctx, tx, c.GroupID)
			if err != nil {
				return err
			}
			c.Readers, c.Writers = members, members
		}
		return nil
	})
}

// hasOrg reports whether org is already listed in the membership table
// (a duplicate in the caller's list is not an error).
func hasOrg(ctx context.Context, tx *sql.Tx, pk int64, table string, org int64) bool {
	var n int
	tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE coll = ? AND org_id = ?`, pk, org).Scan(&n)
	return n > 0
}

// collectionCols are the columns scanCollection reads. A group's
// collection takes its readers and writers from the group's members.
const collectionCols = `c.id, c.community_id, c.title, c.description, coalesce(c.alias, ''),
	c.read_all, c.write_all, c.default_tlp, c.created_at, coalesce(c.group_id, 0), c.anonymous, c.moderated,
	CASE WHEN c.group_id IS NULL
		THEN coalesce((SELECT group_concat(org_id) FROM collection_readers WHERE coll = c.pk), '')
		ELSE coalesce((SELECT group_concat(org_id) FROM group_members WHERE group_id = c.group_id), '') END,
	CASE WHEN c.group_id IS NULL
		THEN coalesce((SELECT group_concat(org_id) FROM collection_writers WHERE coll = c.pk), '')
		ELSE coalesce((SELECT group_concat(org_id) FROM group_members WHERE group_id = c.group_id), '') END`

func scanCollection(row interface{ Scan(...any) error }) (*isachub.Collection, error) {
	var c isachub.Collection
	var created int64
	var readers, writers string
	err := row.Scan(&c.ID, &c.CommunityID, &c.Title, &c.Description, &c.Alias,
		&c.ReadAll, &c.WriteAll, &c.DefaultTLP, &created, &c.GroupID, &c.Anonymous, &c.Moderated, &readers, &writers)
	if err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicros(created)
	if c.Readers, err = parseIDList(readers); err != nil {
		return nil, err
	}
	c.Writers, err = parseIDList(writers)
	return &c, err
}

// parseIDList parses group_concat's comma-separated integers (in the
// primary key order of the WITHOUT ROWID membership tables).
func parseIDList(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var ids []int64
	for f := range strings.SplitSeq(s, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Collection returns the community's collection with the id or alias, or
// ENOTFOUND.
func (db *DB) Collection(ctx context.Context, communityID int64, idOrAlias string) (*isachub.Collection, error) {
	c, err := scanCollection(db.rd.QueryRowContext(ctx, `SELECT `+collectionCols+` FROM collections c
		WHERE c.community_id = ? AND (c.id = ? OR c.alias = ?)
		ORDER BY c.id = ? DESC LIMIT 1`, communityID, idOrAlias, idOrAlias, idOrAlias))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Collection %q not found.", idOrAlias)
	}
	return c, internal("read collection", err)
}

// Collections returns the community's collections, ordered by title.
func (db *DB) Collections(ctx context.Context, communityID int64) ([]*isachub.Collection, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+collectionCols+` FROM collections c
		WHERE c.community_id = ? ORDER BY c.title, c.id`, communityID)
	if err != nil {
		return nil, internal("list collections", err)
	}
	defer rows.Close()
	cs := []*isachub.Collection{}
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			return nil, internal("list collections", err)
		}
		cs = append(cs, c)
	}
	return cs, internal("list collections", rows.Err())
}

// DeleteCollection removes the collection and its objects.
func (db *DB) DeleteCollection(ctx context.Context, communityID int64, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM collections WHERE community_id = ? AND id = ?`, communityID, id)
		if err != nil {
			return internal("delete collection", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Collection %q not found.", id)
		}
		return nil
	})
}
