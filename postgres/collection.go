package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/isachub/isachub"
)

// A group's collection takes its readers and writers from the group's
// members.
const collectionColumns = `id, community_id, title, description, coalesce(alias, ''),
	read_all,
	CASE WHEN group_id IS NULL THEN readers
		ELSE ARRAY(SELECT org_id FROM group_members m WHERE m.group_id = collections.group_id ORDER BY org_id) END,
	write_all,
	CASE WHEN group_id IS NULL THEN writers
		ELSE ARRAY(SELECT org_id FROM group_members m WHERE m.group_id = collections.group_id ORDER BY org_id) END,
	default_tlp, created_at, coalesce(group_id, 0), anonymous, moderated`

// CreateCollection stores c, setting c.CreatedAt and, when empty, c.ID. Its
// readers and writers must be organisations of the same community.
func (db *DB) CreateCollection(ctx context.Context, c *isachub.Collection) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = newUUID()
	}
	var alias *string
	if c.Alias != "" {
		alias = &c.Alias
	}
	at := now()
	readers, writers := orgSet(c.Readers), orgSet(c.Writers)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := checkMembers(ctx, tx, c.CommunityID, readers, writers); err != nil {
			return err
		}
		var n int
		var group *int64
		if c.GroupID != 0 {
			group = &c.GroupID
			err := tx.QueryRow(ctx, `SELECT count(*) FROM sharing_groups WHERE id = $1 AND community_id = $2`,
				c.GroupID, c.CommunityID).Scan(&n)
			if err != nil {
				return dbError(err, "check sharing group", "Sharing group")
			}
			if n == 0 {
				return isachub.Errorf(isachub.ENOTFOUND, "Sharing group %d not found in this community.", c.GroupID)
			}
		}
		// A feed is served as a collection with its id: no collection
		// may take one.
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM feeds WHERE id = $1`, c.ID).Scan(&n); err != nil {
			return dbError(err, "check collection id", "Collection")
		}
		if n > 0 {
			return isachub.Errorf(isachub.ECONFLICT, "A feed with the id %q already exists.", c.ID)
		}
		_, err := tx.Exec(ctx, `INSERT INTO collections
			(id, community_id, title, description, alias, read_all, readers, write_all, writers, default_tlp, created_at, group_id,
				anonymous, moderated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			c.ID, c.CommunityID, c.Title, c.Description, alias, c.ReadAll, readers, c.WriteAll, writers, c.DefaultTLP, at, group,
			c.Anonymous, c.Moderated)
		var pe *pgconn.PgError
		switch {
		case isForeignKey(err):
			return isachub.Errorf(isachub.ENOTFOUND, "Community %d not found.", c.CommunityID)
		case isUnique(err) && errors.As(err, &pe) && strings.Contains(pe.ConstraintName, "alias"):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the alias %q already exists in this community.", c.Alias)
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the id %q already exists.", c.ID)
		case err != nil:
			return dbError(err, "create collection", "Collection "+quote(c.ID))
		}
		c.CreatedAt = at
		if c.GroupID != 0 {
			rows, _ := tx.Query(ctx, `SELECT org_id FROM group_members WHERE group_id = $1 ORDER BY org_id`, c.GroupID)
			members, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return dbError(err, "read group members", "Sharing group")
			}
			c.Readers, c.Writers = members, members
		}
		return nil
	})
}

// UpdateCollection stores c's title, description, alias, readers,
// writers, default TLP and flags over the community's collection c.ID.
func (db *DB) UpdateCollection(ctx context.Context, c *isachub.Collection) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var alias *string
	if c.Alias != "" {
		alias = &c.Alias
	}
	readers, writers := orgSet(c.Readers), orgSet(c.Writers)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := checkMembers(ctx, tx, c.CommunityID, readers, writers); err != nil {
			return err
		}
		var group int64
		err := tx.QueryRow(ctx, `SELECT coalesce(group_id, 0), created_at FROM collections
			WHERE community_id = $1 AND id = $2 FOR UPDATE`, c.CommunityID, c.ID).Scan(&group, &c.CreatedAt)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return isachub.Errorf(isachub.ENOTFOUND, "Collection %q not found.", c.ID)
		case err != nil:
			return dbError(err, "read collection", "Collection "+quote(c.ID))
		case group != c.GroupID:
			return isachub.Errorf(isachub.EINVALID, "A collection's sharing group cannot change: create a new collection instead.")
		}
		c.CreatedAt = c.CreatedAt.UTC()
		_, err = tx.Exec(ctx, `UPDATE collections SET title = $3, description = $4, alias = $5, read_all = $6, readers = $7,
			write_all = $8, writers = $9, default_tlp = $10, anonymous = $11, moderated = $12
			WHERE community_id = $1 AND id = $2`,
			c.CommunityID, c.ID, c.Title, c.Description, alias, c.ReadAll, readers, c.WriteAll, writers, c.DefaultTLP,
			c.Anonymous, c.Moderated)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the alias %q already exists in this community.", c.Alias)
		case err != nil:
			return dbError(err, "update collection", "Collection "+quote(c.ID))
		}
		if c.GroupID != 0 {
			return groupCollectionMembers(ctx, tx, c)
		}
		return nil
	})
}

// checkMembers refuses readers and writers that are not organisations of
// the community.
func checkMembers(ctx context.Context, tx pgx.Tx, communityID int64, readers, writers []int64) error {
	members := orgSet(append(slices.Clone(readers), writers...))
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM orgs WHERE community_id = $1 AND id = ANY($2)`,
		communityID, members).Scan(&n)
	if err != nil {
		return dbError(err, "check collection members", "Collection members")
	}
	if n != len(members) {
		return isachub.Errorf(isachub.ENOTFOUND, "An organisation among the readers and writers is not a member of this community.")
	}
	return nil
}

// groupCollectionMembers fills c's readers and writers from its sharing
// group's members.
func groupCollectionMembers(ctx context.Context, tx pgx.Tx, c *isachub.Collection) error {
	rows, _ := tx.Query(ctx, `SELECT org_id FROM group_members WHERE group_id = $1 ORDER BY org_id`, c.GroupID)
	members, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return dbError(err, "read group members", "Sharing group")
	}
	c.Readers, c.Writers = members, members
	return nil
}

// Collection returns the community's collection with the id or alias, or
// ENOTFOUND.
func (db *DB) Collection(ctx context.Context, communityID int64, idOrAlias string) (*isachub.Collection, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+collectionColumns+` FROM collections
		WHERE community_id = $1 AND (id = $2 OR alias = $2)
		ORDER BY id = $2 DESC LIMIT 1`, communityID, idOrAlias)
	c, err := pgx.CollectExactlyOneRow(rows, scanCollection)
	return c, dbError(err, "collection", "Collection "+quote(idOrAlias))
}

// Collections returns the community's collections, ordered by title.
func (db *DB) Collections(ctx context.Context, communityID int64) ([]*isachub.Collection, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+collectionColumns+` FROM collections
		WHERE community_id = $1 ORDER BY title, id`, communityID)
	cs, err := pgx.CollectRows(rows, scanCollection)
	return cs, dbError(err, "collections", "Collections")
}

// DeleteCollection removes the collection and its objects.
func (db *DB) DeleteCollection(ctx context.Context, communityID int64, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM collections WHERE community_id = $1 AND id = $2`, communityID, id)
	if err != nil {
		return dbError(err, "delete collection", "Collection "+quote(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Collection %q not found.", id)
	}
	return nil
}

func scanCollection(row pgx.CollectableRow) (*isachub.Collection, error) {
	var c isachub.Collection
	err := row.Scan(&c.ID, &c.CommunityID, &c.Title, &c.Description, &c.Alias,
		&c.ReadAll, &c.Readers, &c.WriteAll, &c.Writers, &c.DefaultTLP, &c.CreatedAt, &c.GroupID, &c.Anonymous, &c.Moderated)
	c.CreatedAt = c.CreatedAt.UTC()
	if len(c.Readers) == 0 {
		c.Readers = nil
	}
	if len(c.Writers) == 0 {
		c.Writers = nil
	}
	return &c, err
}

// orgSet returns the ids sorted and without duplicates, never nil (for a
// NOT NULL array column).
func orgSet(ids []int64) []int64 {
	set := slices.Compact(slices.Sorted(slices.Values(ids)))
	if set == nil {
		return []int64{}
	}
	return set
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
