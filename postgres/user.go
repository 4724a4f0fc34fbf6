package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/isachub/isachub"
)

const userColumns = `id, org_id, username, role, hub_admin, password_hash, created_at`

// CreateUser stores u, setting u.ID and u.CreatedAt.
func (db *DB) CreateUser(ctx context.Context, u *isachub.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return insertUser(ctx, db.pool, u, now())
}

// insertUser inserts u through q, setting u.ID and u.CreatedAt.
func insertUser(ctx context.Context, q queryRower, u *isachub.User, at time.Time) error {
	err := q.QueryRow(ctx, `INSERT INTO users (org_id, username, role, hub_admin, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		u.OrgID, u.Username, string(u.Role), u.HubAdmin, u.PasswordHash, at).Scan(&u.ID)
	if isForeignKey(err) {
		return isachub.Errorf(isachub.ENOTFOUND, "Organisation %d not found.", u.OrgID)
	} else if isUnique(err) {
		return isachub.Errorf(isachub.ECONFLICT, "The username %q is taken.", u.Username)
	} else if err != nil {
		return dbError(err, "create user", "User "+quote(u.Username))
	}
	u.CreatedAt = at
	return nil
}

// UpdateUser stores the user's role, hub-operator flag and password hash,
// ending their sessions when the hash changes.
func (db *DB) UpdateUser(ctx context.Context, u *isachub.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND
			(SELECT password_hash FROM users WHERE id = $1) IS DISTINCT FROM $2`, u.ID, u.PasswordHash); err != nil {
			return dbError(err, "end sessions", "User "+quote(u.Username))
		}
		tag, err := tx.Exec(ctx, `UPDATE users SET role = $1, hub_admin = $2, password_hash = $3 WHERE id = $4`,
			string(u.Role), u.HubAdmin, u.PasswordHash, u.ID)
		if err != nil {
			return dbError(err, "update user", "User "+quote(u.Username))
		}
		if tag.RowsAffected() == 0 {
			return isachub.Errorf(isachub.ENOTFOUND, "User %d not found.", u.ID)
		}
		return nil
	})
}

// User returns the user with the username, or ENOTFOUND.
func (db *DB) User(ctx context.Context, username string) (*isachub.User, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`, username)
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, dbError(err, "user", "User "+quote(username))
}

// UserByID returns the user with the id, or ENOTFOUND.
func (db *DB) UserByID(ctx context.Context, id int64) (*isachub.User, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, dbError(err, "user by id", "User "+itoa(id))
}

// Users returns the organisation's users, ordered by username.
func (db *DB) Users(ctx context.Context, orgID int64) ([]*isachub.User, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = $1 ORDER BY username`, orgID)
	us, err := pgx.CollectRows(rows, scanUser)
	return us, dbError(err, "users", "Users")
}

// DeleteUser removes the user and their tokens.
func (db *DB) DeleteUser(ctx context.Context, username string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM users WHERE username = $1`, username)
	if err != nil {
		return dbError(err, "delete user", "User "+quote(username))
	}
	if tag.RowsAffected() == 0 {
		return isachub.Errorf(isachub.ENOTFOUND, "User %q not found.", username)
	}
	return nil
}

func scanUser(row pgx.CollectableRow) (*isachub.User, error) {
	var u isachub.User
	var role string
	err := row.Scan(&u.ID, &u.OrgID, &u.Username, &role, &u.HubAdmin, &u.PasswordHash, &u.CreatedAt)
	u.Role = isachub.Role(role)
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, err
}
