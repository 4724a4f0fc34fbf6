package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// maxRuleSIDs bounds the indicator ids of one RuleSIDs call.
const maxRuleSIDs = 10000

// feedColumns are the columns scanFeed reads, from feeds f joined with the
// owner's row of orgs o.
const feedColumns = `f.id, f.community_id, f.org_id, o.staff, f.title, f.description, f.preset, f.filter,
	f.created_at, f.updated_at`

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
		return fmt.Errorf("postgres: encode feed filter: %w", err)
	}
	id := f.ID
	if id == "" {
		id = newUUID()
	}
	at := now()
	var staff bool
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT staff FROM orgs WHERE id = $1 AND community_id = $2`,
			f.OrgID, f.CommunityID).Scan(&staff)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d is not a member of this community.", f.OrgID)
		case err != nil:
			return dbError(err, "read feed organisation", "Organisation "+itoa(f.OrgID))
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM collections WHERE id = $1`, id).Scan(&n); err != nil {
			return dbError(err, "check feed id", "Feed "+quote(id))
		}
		if n > 0 {
			return isachub.Errorf(isachub.ECONFLICT, "A collection with the id %q already exists.", id)
		}
		_, err = tx.Exec(ctx, `INSERT INTO feeds
			(id, community_id, org_id, title, description, preset, filter, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			id, f.CommunityID, f.OrgID, f.Title, f.Description, f.Preset, string(filter), at)
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A feed with the id %q already exists.", id)
		case isForeignKey(err):
			return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d is not a member of this community.", f.OrgID)
		case err != nil:
			return dbError(err, "create feed", "Feed "+quote(id))
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.ID, f.Everyone = id, staff
	f.CreatedAt, f.UpdatedAt = at, at
	return nil
}

// Feed returns the community's feed with the id, or ENOTFOUND.
func (db *DB) Feed(ctx context.Context, communityID int64, id string) (*isachub.Feed, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds f JOIN orgs o ON o.id = f.org_id
		WHERE f.community_id = $1 AND f.id = $2`, communityID, id)
	f, err := pgx.CollectExactlyOneRow(rows, scanFeed)
	return f, dbError(err, "feed", "Feed "+quote(id))
}

// Feeds returns the community's feeds, ordered by title, then id.
func (db *DB) Feeds(ctx context.Context, communityID int64) ([]*isachub.Feed, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds f JOIN orgs o ON o.id = f.org_id
		WHERE f.community_id = $1 ORDER BY f.title, f.id`, communityID)
	fs, err := pgx.CollectRows(rows, scanFeed)
	if fs == nil && err == nil {
		fs = []*isachub.Feed{}
	}
	return fs, dbError(err, "feeds", "Feeds")
}

// DeleteFeed removes the community's feed with the id and, by the foreign
// key of tokens.feed_id, the tokens bound to it, or returns ENOTFOUND.
func (db *DB) DeleteFeed(ctx context.Context, communityID int64, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM feeds WHERE community_id = $1 AND id = $2`, communityID, id)
	if err != nil {
		return dbError(err, "delete feed", "Feed "+quote(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Feed %q not found.", id)
	}
	return nil
}

func scanFeed(row pgx.CollectableRow) (*isachub.Feed, error) {
	var f isachub.Feed
	var filter string
	err := row.Scan(&f.ID, &f.CommunityID, &f.OrgID, &f.Everyone, &f.Title, &f.Description, &f.Preset, &filter,
		&f.CreatedAt, &f.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &f.Filter); err != nil {
		return nil, fmt.Errorf("decode feed filter: %w", err)
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// ruleSIDsLock keys the transaction advisory lock that serialises the
// writers of rule_sids in the current schema, so that new numbers follow
// the largest without gaps.
const ruleSIDsLock = `hashtext('isachub.rule_sids.' || coalesce(current_schema(), ''))`

// RuleSIDs returns, for each indicator id, its rule number: a number from
// 0 given to each id the first time it is asked for and kept for ever.
// Numbers are dense and hub-wide: ids not yet numbered take the numbers
// after the largest, in the order given, in one transaction that holds a
// transaction advisory lock, so that concurrent callers (and replicas)
// neither collide nor leave gaps. A call whose ids are all numbered
// takes no lock. More than maxRuleSIDs ids is EINVALID.
func (db *DB) RuleSIDs(ctx context.Context, indicatorIDs []string) (map[string]int64, error) {
	if len(indicatorIDs) > maxRuleSIDs {
		return nil, isachub.Errorf(isachub.EINVALID, "At most %d indicator ids are numbered at once.", maxRuleSIDs)
	}
	sids := make(map[string]int64, len(indicatorIDs))
	if len(indicatorIDs) == 0 {
		return sids, nil
	}
	// READ COMMITTED whatever the database's default: the reads after the
	// lock must see what the caller that held it before committed.
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		clear(sids)
		if err := readRuleSIDs(ctx, tx, indicatorIDs, sids); err != nil {
			return err
		}
		missing := missingRuleSIDs(indicatorIDs, sids)
		if len(missing) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+ruleSIDsLock+`)`); err != nil {
			return dbError(err, "lock rule sids", "Rule numbers")
		}
		// Another caller may have numbered some of them while this one
		// waited for the lock: under READ COMMITTED, this read sees it.
		if err := readRuleSIDs(ctx, tx, missing, sids); err != nil {
			return err
		}
		if missing = missingRuleSIDs(missing, sids); len(missing) == 0 {
			return nil
		}
		rows, _ := tx.Query(ctx, `INSERT INTO rule_sids (indicator_id, n)
			SELECT id, (SELECT coalesce(max(n) + 1, 0) FROM rule_sids) + i - 1
			FROM unnest($1::text[]) WITH ORDINALITY AS u (id, i)
			RETURNING indicator_id, n`, missing)
		return collectRuleSIDs(rows, sids, "number rule sids")
	})
	if err != nil {
		return nil, err
	}
	return sids, nil
}

// readRuleSIDs adds to sids the numbers the ids already have.
func readRuleSIDs(ctx context.Context, tx pgx.Tx, ids []string, sids map[string]int64) error {
	rows, _ := tx.Query(ctx, `SELECT indicator_id, n FROM rule_sids WHERE indicator_id = ANY($1)`, ids)
	return collectRuleSIDs(rows, sids, "read rule sids")
}

// collectRuleSIDs adds the (indicator_id, n) rows to sids.
func collectRuleSIDs(rows pgx.Rows, sids map[string]int64, op string) error {
	var id string
	var n int64
	_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		sids[id] = n
		return nil
	})
	return dbError(err, op, "Rule numbers")
}

// missingRuleSIDs returns the ids without a number in sids, in their
// order, each once.
func missingRuleSIDs(ids []string, sids map[string]int64) []string {
	var missing []string
	seen := make(map[string]bool)
	for _, id := range ids {
		if _, ok := sids[id]; !ok && !seen[id] {
			seen[id] = true
			missing = append(missing, id)
		}
	}
	return missing
}
