package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

const tokenColumns = `id, user_id, name, hash, anonymous, created_at, last_used_at`

// CreateToken stores t, setting t.ID and t.CreatedAt.
func (db *DB) CreateToken(ctx context.Context, t *isachub.Token) error {
	if len(t.Hash) == 0 {
		return isachub.Errorf(isachub.EINVALID, "The token hash is empty.")
	}
	at := now()
	var lastUsed *time.Time
	if !t.LastUsedAt.IsZero() {
		lastUsed = &t.LastUsedAt
	}
	err := db.pool.QueryRow(ctx, `INSERT INTO tokens (user_id, name, hash, anonymous, created_at, last_used_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		t.UserID, t.Name, t.Hash, t.Anonymous, at, lastUsed).Scan(&t.ID)
	if isForeignKey(err) {
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
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Anonymous, &t.CreatedAt, &lastUsed)
	t.CreatedAt = t.CreatedAt.UTC()
	if lastUsed != nil {
		t.LastUsedAt = lastUsed.UTC()
	}
	return &t, err
}
