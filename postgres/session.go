package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

// CreateSession stores s, setting s.ID, s.CreatedAt and s.LastSeenAt.
func (db *DB) CreateSession(ctx context.Context, s *isachub.Session) error {
	if len(s.Hash) == 0 || s.CSRFToken == "" || s.ExpiresAt.IsZero() {
		return isachub.Errorf(isachub.EINVALID, "A session needs a hash, a CSRF token and an expiry.")
	}
	at := now()
	err := db.pool.QueryRow(ctx, `INSERT INTO sessions (user_id, hash, csrf_token, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $4, $5) RETURNING id`, s.UserID, s.Hash, s.CSRFToken, at, s.ExpiresAt.UTC()).Scan(&s.ID)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "User %d not found.", s.UserID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "A session with the same secret already exists.")
	} else if err != nil {
		return dbError(err, "create session", "Session")
	}
	s.CreatedAt, s.LastSeenAt = at, at
	return nil
}

// SessionByHash returns the session whose hash is hash, or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (*isachub.Session, error) {
	rows, _ := db.pool.Query(ctx, `SELECT id, user_id, hash, csrf_token, created_at, last_seen_at, expires_at
		FROM sessions WHERE hash = $1`, hash)
	s, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (*isachub.Session, error) {
		var s isachub.Session
		err := row.Scan(&s.ID, &s.UserID, &s.Hash, &s.CSRFToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
		return &s, err
	})
	return s, dbError(err, "session by hash", "Session")
}

// TouchSession sets the session's LastSeenAt.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	return db.changeSession(ctx, "touch session", `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, at.UTC(), id)
}

// DeleteSession removes the session.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	return db.changeSession(ctx, "delete session", `DELETE FROM sessions WHERE id = $1`, id)
}

// changeSession runs a statement on one session (its id the last
// argument), ENOTFOUND when it changed no row.
func (db *DB) changeSession(ctx context.Context, what, q string, args ...any) error {
	tag, err := db.pool.Exec(ctx, q, args...)
	if err != nil {
		return dbError(err, what, "Session")
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "Session %d not found.", args[len(args)-1])
	}
	return nil
}

// DeleteSessions removes the sessions expired before now or idle since
// before idleSince.
func (db *DB) DeleteSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2`, now.UTC(), idleSince.UTC())
	if err != nil {
		return 0, dbError(err, "delete sessions", "Sessions")
	}
	return tag.RowsAffected(), nil
}
