package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/isachub/isachub"
)

// CreateUser stores u, setting u.ID and u.CreatedAt.
func (db *DB) CreateUser(ctx context.Context, u *isachub.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.nowMicros()
	return db.write(ctx, func(tx *sql.Tx) error { return insertUser(ctx, tx, u, now) })
}

// insertUser inserts u within tx, setting u.ID and u.CreatedAt.
func insertUser(ctx context.Context, tx *sql.Tx, u *isachub.User, now int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO users (org_id, username, role, hub_admin, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, u.OrgID, u.Username, string(u.Role), boolInt(u.HubAdmin), u.PasswordHash, now)
	switch {
	case isUnique(err):
		return isachub.Errorf(isachub.ECONFLICT, "The username %q is taken.", u.Username)
	case isForeignKey(err):
		return notFound("Organisation %d not found.", u.OrgID)
	case isCheck(err):
		return isachub.Errorf(isachub.EINVALID, "The user %q is invalid.", u.Username)
	case err != nil:
		return internal("insert user", err)
	}
	u.ID, err = res.LastInsertId()
	u.CreatedAt = fromMicros(now)
	return internal("insert user", err)
}

// UpdateUser stores the user's role, hub-operator flag and password hash,
// ending their sessions when the hash changes.
func (db *DB) UpdateUser(ctx context.Context, u *isachub.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND
			(SELECT password_hash FROM users WHERE id = ?) IS NOT ?`, u.ID, u.ID, u.PasswordHash); err != nil {
			return internal("end sessions", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, hub_admin = ?, password_hash = ? WHERE id = ?`,
			string(u.Role), boolInt(u.HubAdmin), u.PasswordHash, u.ID)
		switch {
		case isCheck(err):
			return isachub.Errorf(isachub.EINVALID, "The user %q is invalid.", u.Username)
		case err != nil:
			return internal("update user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("User %d not found.", u.ID)
		}
		return nil
	})
}

const userCols = `id, org_id, username, role, hub_admin, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (*isachub.User, error) {
	var u isachub.User
	var role string
	var created int64
	err := row.Scan(&u.ID, &u.OrgID, &u.Username, &role, &u.HubAdmin, &u.PasswordHash, &created)
	u.Role = isachub.Role(role)
	u.CreatedAt = fromMicros(created)
	return &u, err
}

// User returns the user with the username, or ENOTFOUND.
func (db *DB) User(ctx context.Context, username string) (*isachub.User, error) {
	u, err := scanUser(db.rd.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User %q not found.", username)
	}
	return u, internal("read user", err)
}

// UserByID returns the user with the id, or ENOTFOUND.
func (db *DB) UserByID(ctx context.Context, id int64) (*isachub.User, error) {
	u, err := scanUser(db.rd.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User %d not found.", id)
	}
	return u, internal("read user", err)
}

// Users returns the organisation's users, ordered by username.
func (db *DB) Users(ctx context.Context, orgID int64) ([]*isachub.User, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE org_id = ? ORDER BY username`, orgID)
	if err != nil {
		return nil, internal("list users", err)
	}
	defer rows.Close()
	us := []*isachub.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, internal("list users", err)
		}
		us = append(us, u)
	}
	return us, internal("list users", rows.Err())
}

// DeleteUser removes the user and their tokens.
func (db *DB) DeleteUser(ctx context.Context, username string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE username = ?`, username)
		if err != nil {
			return internal("delete user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("User %q not found.", username)
		}
		return nil
	})
}
