package isachub

import (
	"context"
	"time"
)

// Role is what a user may do within their organisation.
type Role string

// The roles of a user.
const (
	RoleAdmin   Role = "admin"   // administers their organisation, and may publish
	RoleAnalyst Role = "analyst" // may publish
	RoleReader  Role = "reader"  // may only read
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleAnalyst || r == RoleReader
}

// CanPublish reports whether the role may write objects.
func (r Role) CanPublish() bool { return r == RoleAdmin || r == RoleAnalyst }

// User is a person or machine account of one organisation.
type User struct {
	ID       int64
	OrgID    int64
	Username string // unique across the hub
	Role     Role
	// HubAdmin marks the hub operator, who administers every community.
	HubAdmin bool
	// PasswordHash is an argon2id hash in PHC string form; "" means the user
	// can only authenticate with API tokens.
	PasswordHash string
	CreatedAt    time.Time
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser stores u, setting u.ID and u.CreatedAt. A duplicate username
	// is ECONFLICT; an unknown organisation is ENOTFOUND.
	CreateUser(ctx context.Context, u *User) error
	// User returns the user with the username, or ENOTFOUND.
	User(ctx context.Context, username string) (*User, error)
	// UserByID returns the user with the id, or ENOTFOUND.
	UserByID(ctx context.Context, id int64) (*User, error)
	// Users returns the organisation's users, ordered by username.
	Users(ctx context.Context, orgID int64) ([]*User, error)
	// UpdateUser stores the role, hub-operator flag and password hash of
	// the user with u.ID (username and organisation are kept), or returns
	// ENOTFOUND. When the password hash changes, the user's web sessions
	// end in the same transaction: a reset password signs out everywhere.
	UpdateUser(ctx context.Context, u *User) error
	// DeleteUser removes the user, their tokens and their sessions.
	DeleteUser(ctx context.Context, username string) error
}
