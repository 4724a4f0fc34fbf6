package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/isachub/isachub"
)

// CreateToken stores t, setting t.ID and t.CreatedAt. A feed token's feed
// must be one of its user's community (else ENOTFOUND).
func (db *DB) CreateToken(ctx context.Context, t *isachub.Token) error {
	if len(t.Hash) == 0 {
		return isachub.Errorf(isachub.EINVALID, "The token hash is empty.")
	}
	var feed any
	if t.FeedID != "" {
		feed = t.FeedID
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		if t.FeedID != "" {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds f JOIN orgs o ON o.community_id = f.community_id
				JOIN users u ON u.org_id = o.id WHERE f.id = ? AND u.id = ?`, t.FeedID, t.UserID).Scan(&n)
			if err != nil {
				return internal("read token feed", err)
			}
			if n == 0 {
				return notFound("Feed %q not found in the community of user %d.", t.FeedID, t.UserID)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO tokens (user_id, name, hash, anonymous, feed_id, created_at, last_used_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.UserID, t.Name, t.Hash, boolInt(t.Anonymous), feed, now, micros(t.LastUsedAt))
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A token with the same secret already exists.")
		case isForeignKey(err):
			return notFound("User %d not found.", t.UserID)
		case err != nil:
			return internal("insert token", err)
		}
		t.ID, err = res.LastInsertId()
		t.CreatedAt = fromMicros(now)
		return internal("insert token", err)
	})
}

const tokenCols = `id, user_id, name, hash, anonymous, coalesce(feed_id, ''), created_at, last_used_at`

func scanToken(row interface{ Scan(...any) error }) (*isachub.Token, error) {
	var t isachub.Token
	var created, used int64
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Anonymous, &t.FeedID, &created, &used)
	t.CreatedAt, t.LastUsedAt = fromMicros(created), fromMicros(used)
	return &t, err
}

// TokenByHash returns the token whose hash is hash, or ENOTFOUND.
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (*isachub.Token, error) {
	t, err := scanToken(db.rd.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Token not found.")
	}
	return t, internal("read token", err)
}

// Tokens returns the user's tokens, oldest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]*isachub.Token, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, internal("list tokens", err)
	}
	defer rows.Close()
	ts := []*isachub.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, internal("list tokens", err)
		}
		ts = append(ts, t)
	}
	return ts, internal("list tokens", rows.Err())
}

// DeleteToken removes the token.
func (db *DB) DeleteToken(ctx context.Context, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, id)
		if err != nil {
			return internal("delete token", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Token %d not found.", id)
		}
		return nil
	})
}
