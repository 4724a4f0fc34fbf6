package postgres

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/isachub/isachub"
)

// dbError translates a driver error into an *isachub.Error, with what naming
// the resource for the user-facing message ("community \"x\""). Errors that
// are not the caller's fault are wrapped with op and stay internal.
func dbError(err error, op, what string) error {
	if err == nil {
		return nil
	}
	var ie *isachub.Error
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return isachub.Errorf(isachub.ENOTFOUND, "%s not found.", what)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return isachub.Errorf(isachub.ECONFLICT, "%s already exists.", what)
		case pe.Code == "23503": // foreign_key_violation: a parent is missing
			return isachub.Errorf(isachub.ENOTFOUND, "%s refers to something that does not exist.", what)
		case strings.HasPrefix(pe.Code, "22"), strings.HasPrefix(pe.Code, "23"):
			return isachub.Errorf(isachub.EINVALID, "%s is invalid.", what)
		case pe.Code == "53100": // disk_full
			return fmt.Errorf("postgres: %s: %v: %w", op, err, isachub.ErrNoSpace)
		}
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// isForeignKey reports whether err is a foreign key violation: a row refers
// to a parent that does not exist.
func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// isUnique reports whether err is a unique violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// quote returns s in double quotes, for messages.
func quote(s string) string { return fmt.Sprintf("%q", s) }

// itoa formats an id for messages.
func itoa(id int64) string { return fmt.Sprint(id) }
