package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
)

// maxRuleSIDs bounds the indicator ids of one RuleSIDs call.
const maxRuleSIDs = 10000

// CreateFeed stores f, setting f.ID (a new UUID) when empty, and
// f.CreatedAt and f.UpdatedAt. An id already used by a feed or a
// collection of the hub is ECONFLICT; an organisation not of the community
// is ENOTFOUND.
func (db *DB) CreateFeed(ctx context.Context, f *isachub.Feed) error {
	if err := f.Validate(); err != nil {
		return err
	}
	filter, err := json.Marshal(&f.Filter)
	if err != nil {
		return internal("encode feed filter", err)
	}
	id := f.ID
	if id == "" {
		id = uuid.NewString()
	}
	now := db.nowMicros()
	err = db.write(ctx, func(tx *sql.Tx) error {
		var staff bool
		err := tx.QueryRowContext(ctx, `SELECT staff FROM orgs WHERE id = ? AND community_id = ?`,
			f.OrgID, f.CommunityID).Scan(&staff)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return notFound("Organisation %d is not a member of this community.", f.OrgID)
		case err != nil:
			return internal("read feed organisation", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM collections WHERE id = ?`, id).Scan(&n); err != nil {
			return internal("check feed id", err)
		}
		if n > 0 {
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the id %q already exists.", id)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO feeds
			(id, community_id, org_id, title, description, preset, filter, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, f.CommunityID, f.OrgID, f.Title, f.Description, f.Preset, string(filter), now, now)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A feed with the id %q already exists.", id)
		case isForeignKey(err):
			return notFound("Organisation %d is not a member of this community.", f.OrgID)
		case err != nil:
			return internal("insert feed", err)
		}
		f.Everyone = staff
		return nil
	})
	if err != nil {
		return err
	}
	f.ID = id
	f.CreatedAt, f.UpdatedAt = fromMicros(now), fromMicros(now)
	return nil
}

// feedCols are the columns scanFeed reads, from feeds f joined with the
// owner's row of orgs o.
const feedCols = `f.id, f.community_id, f.org_id, o.staff, f.title, f.description, f.preset, f.filter,
	f.created_at, f.updated_at`

func scanFeed(row interface{ Scan(...any) error }) (*isachub.Feed, error) {
	var f isachub.Feed
	var filter string
	var created, updated int64
	err := row.Scan(&f.ID, &f.CommunityID, &f.OrgID, &f.Everyone, &f.Title, &f.Description, &f.Preset, &filter,
		&created, &updated)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &f.Filter); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &f, nil
}

// Feed returns the community's feed with the id, or ENOTFOUND.
func (db *DB) Feed(ctx context.Context, communityID int64, id string) (*isachub.Feed, error) {
	f, err := scanFeed(db.rd.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds f JOIN orgs o ON o.id = f.org_id
		WHERE f.community_id = ? AND f.id = ?`, communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Feed %q not found.", id)
	}
	return f, internal("read feed", err)
}

// Feeds returns the community's feeds, ordered by title, then id.
func (db *DB) Feeds(ctx context.Context, communityID int64) ([]*isachub.Feed, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+feedCols+` FROM feeds f JOIN orgs o ON o.id = f.org_id
		WHERE f.community_id = ? ORDER BY f.title, f.id`, communityID)
	if err != nil {
		return nil, internal("list feeds", err)
	}
	defer rows.Close()
	fs := []*isachub.Feed{}
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, internal("list feeds", err)
		}
		fs = append(fs, f)
	}
	return fs, internal("list feeds", rows.Err())
}

// DeleteFeed removes the community's feed with the id and, by the foreign
// key of tokens.feed_id, the tokens bound to it, or returns ENOTFOUND.
func (db *DB) DeleteFeed(ctx context.Context, communityID int64, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE community_id = ? AND id = ?`, communityID, id)
		if err != nil {
			return internal("delete feed", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Feed %q not found.", id)
		}
		return nil
	})
}

// RuleSIDs returns, for each indicator id, its rule number: a number from
// 0 given to each id the first time it is asked for and kept for ever.
// Numbers are dense and hub-wide: new ids take the numbers after the
// largest, in the order given, in one write transaction (the single
// writer serialises callers). More than maxRuleSIDs ids is EINVALID.
func (db *DB) RuleSIDs(ctx context.Context, indicatorIDs []string) (map[string]int64, error) {
	if len(indicatorIDs) > maxRuleSIDs {
		return nil, isachub.Errorf(isachub.EINVALID, "At most %d indicator ids are numbered at once.", maxRuleSIDs)
	}
	sids := make(map[string]int64, len(indicatorIDs))
	if len(indicatorIDs) == 0 {
		return sids, nil
	}
	// Most calls (every export after the first) find every id numbered:
	// they read without taking the writer.
	if err := readRuleSIDs(ctx, db.rd, indicatorIDs, sids); err != nil {
		return nil, err
	}
	if allIn(sids, indicatorIDs) {
		return sids, nil
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		clear(sids)
		if err := readRuleSIDs(ctx, tx, indicatorIDs, sids); err != nil {
			return err
		}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(n) + 1, 0) FROM rule_sids`).Scan(&next); err != nil {
			return internal("read rule sids", err)
		}
		for _, id := range indicatorIDs {
			if _, ok := sids[id]; ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rule_sids (indicator_id, n) VALUES (?, ?)`, id, next); err != nil {
				return internal("insert rule sid", err)
			}
			sids[id] = next
			next++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sids, nil
}

// readRuleSIDs adds to sids the numbers the ids already have.
func readRuleSIDs(ctx context.Context, tx querier, ids []string, sids map[string]int64) error {
	const chunk = 500
	for len(ids) > 0 {
		part := ids[:min(chunk, len(ids))]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `SELECT indicator_id, n FROM rule_sids WHERE indicator_id IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return internal("read rule sids", err)
		}
		for rows.Next() {
			var id string
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return internal("read rule sids", err)
			}
			sids[id] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return internal("read rule sids", err)
		}
	}
	return nil
}

// allIn reports whether every id has a number in sids.
func allIn(sids map[string]int64, ids []string) bool {
	for _, id := range ids {
		if _, ok := sids[id]; !ok {
			return false
		}
	}
	return true
}
