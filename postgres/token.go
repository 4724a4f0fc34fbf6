package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/isachub/isachub"
)

const tokenColumns = `id, user_id, name, hash, anonymous, coalesce(feed_id, ''), created_at, last_used_at`

// CreateToken stores t, setting t.ID and t.CreatedAt. A feed token's feed
// must be one of its user's community (else ENOTFOUND).
func (db *DB) CreateToken(ctx context.Context, t *isachub.Token) error {
	if len(t.Hash) == 0 {
		return isachub.Errorf(isachub.EINVALID, "The token hash is empty.")
	}
	at := now()
	var lastUsed *time.Time
	if !t.LastUsedAt.IsZero() {
		lastUsed = &t.LastUsedAt
	}
	var feed *string
	if t.FeedID != "" {
		feed = &t.FeedID
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if feed != nil {
			var n int
			err := tx.QueryRow(ctx, `SELECT count(*) FROM feeds f JOIN orgs o ON o.community_id = f.community_id
				JOIN users u ON u.org_id = o.id WHERE f.id = $1 AND u.id = $2`, t.FeedID, t.UserID).Scan(&n)
			if err != nil {
				return dbError(err, "check token feed", "Feed "+quote(t.FeedID))
			}
			if n == 0 {
				return isachub.Errorf(isachub.ENOTFOUND, "Feed %q not found in the community of user %d.", t.FeedID, t.UserID)
			}
		}
		return tx.QueryRow(ctx, `INSERT INTO tokens (user_id, name, hash, anonymous, feed_id, created_at, last_used_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.UserID, t.Name, t.Hash, t.Anonymous, feed, at, lastUsed).Scan(&t.ID)
	})
	var ie *isachub.Error
	var pe *pgconn.PgError
	if errors.As(err, &ie) {
		return err
	} else if isForeignKey(err) && errors.As(err, &pe) && strings.Contains(pe.ConstraintName, "feed") {
		// The feed was deleted between the check and the insert.
		return isachub.Errorf(isachub.ENOTFOUND, "Feed %q not found.", t.FeedID)
	} else if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "User %d not found.", t.UserID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "A token with the same secret already exists.")
	} else if err != nil {
		return dbError(err, "create token", "Token")
	}
	t.CreatedAt = at
	return nil
}

// TokenByHash returns the token whose hash is hash, or ENOTFOUND.
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (*isachub.Token, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash)
	t, err := pgx.CollectExactlyOneRow(rows, scanToken)
	return t, dbError(err, "token by hash", "Token")
}

// Tokens returns the user's tokens, oldest first.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]*isachub.Token, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE user_id = $1 ORDER BY created_at, id`, userID)
	ts, err := pgx.CollectRows(rows, scanToken)
	return ts, dbError(err, "tokens", "Tokens")
}

// DeleteToken removes the token.
func (db *DB) DeleteToken(ctx context.Context, id int64) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM tokens WHERE id = $1`, id)
	if err != nil {
		return dbError(err, "delete token", "Token "+itoa(id))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Token %d not found.", id)
	}
	return nil
}

func scanToken(row pgx.CollectableRow) (*isachub.Token, error) {
	var t isachub.Token
	var lastUsed *time.Time
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Anonymous, &t.FeedID, &t.CreatedAt, &lastUsed)
	t.CreatedAt = t.CreatedAt.UTC()
	if lastUsed != nil {
		t.LastUsedAt = lastUsed.UTC()
	}
	return &t, err
}
