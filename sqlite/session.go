package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/isachub/isachub"
)

// CreateSession stores s, setting s.ID, s.CreatedAt and s.LastSeenAt.
func (db *DB) CreateSession(ctx context.Context, s *isachub.Session) error {
	if len(s.Hash) == 0 || s.CSRFToken == "" || s.ExpiresAt.IsZero() {
		return isachub.Errorf(isachub.EINVALID, "A session needs a hash, a CSRF token and an expiry.")
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sessions (user_id, hash, csrf_token, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, s.UserID, s.Hash, s.CSRFToken, now, now, micros(s.ExpiresAt))
		switch {
		case isUnique(err):
			return isachub.Errorf(isachub.ECONFLICT, "A session with the same secret already exists.")
		case isForeignKey(err):
			return notFound("User %d not found.", s.UserID)
		case err != nil:
			return internal("insert session", err)
		}
		s.ID, err = res.LastInsertId()
		s.CreatedAt, s.LastSeenAt = fromMicros(now), fromMicros(now)
		return internal("insert session", err)
	})
}

// SessionByHash returns the session whose hash is hash, or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (*isachub.Session, error) {
	var s isachub.Session
	var created, seen, expires int64
	err := db.rd.QueryRowContext(ctx, `SELECT id, user_id, hash, csrf_token, created_at, last_seen_at, expires_at
		FROM sessions WHERE hash = ?`, hash).Scan(&s.ID, &s.UserID, &s.Hash, &s.CSRFToken, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Session not found.")
	} else if err != nil {
		return nil, internal("read session", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return &s, nil
}

// TouchSession sets the session's LastSeenAt.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	return db.changeSession(ctx, "touch session", `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, micros(at), id)
}

// DeleteSession removes the session.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	return db.changeSession(ctx, "delete session", `DELETE FROM sessions WHERE id = ?`, id)
}

// changeSession runs a statement on one session (its id the last
// argument), ENOTFOUND when it changed no row.
func (db *DB) changeSession(ctx context.Context, what, q string, args ...any) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return internal(what, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Session %d not found.", args[len(args)-1])
		}
		return nil
	})
}

// DeleteSessions removes the sessions expired before now or idle since
// before idleSince.
func (db *DB) DeleteSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`, micros(now), micros(idleSince))
		if err != nil {
			return internal("delete sessions", err)
		}
		n, err = res.RowsAffected()
		return internal("delete sessions", err)
	})
	return n, err
}
