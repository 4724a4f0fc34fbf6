package isachub

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. server/error.go alone maps them to HTTP
// status codes and to the TAXII error resource.
const (
	ECONFLICT     = "conflict"     // the action conflicts with existing data
	EINTERNAL     = "internal"     // an unexpected failure; details are logged, never shown
	EINVALID      = "invalid"      // the input is malformed or breaks a rule
	ENOTFOUND     = "not_found"    // the resource does not exist or may not be seen
	EFORBIDDEN    = "forbidden"    // the caller is known but may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not authenticated
	ETOOLARGE     = "too_large"    // the request exceeds a size limit
	// EUNPROCESSABLE: well-formed input that cannot be acted on as a
	// whole, such as an anonymous submission with an invalid object.
	EUNPROCESSABLE = "unprocessable"
	// ENOSPACE: the database has no room left on its disk; nothing of the
	// write was stored, and the operator must free space or grow the disk.
	ENOSPACE = "no_space"
)

// ErrNoSpace is the error of a write that did not fit: the database's disk
// is full. Every store returns it (ErrorCode ENOSPACE) for that case.
var ErrNoSpace = Errorf(ENOSPACE, "The hub's database has no space left on its disk: nothing of this request was stored. Try again later; the hub's operator must free space.")

// Error is an application error with a machine-readable Code and a Message
// that is safe to show to the user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("isachub error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil,
// and EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or a generic message for any other error so that internal details
// never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
