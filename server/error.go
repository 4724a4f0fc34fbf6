package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/taxii"
)

// Error codes that only HTTP has, used with isachub.Errorf inside this
// package and mapped below with the shared ones.
const (
	eNotAcceptable    = "not_acceptable"       // the Accept header admits no TAXII 2.1 response
	eUnsupportedMedia = "unsupported_media"    // a POST body that is not application/taxii+json;version=2.1
	eUnprocessable    = isachub.EUNPROCESSABLE // a body that is JSON but not a TAXII envelope
	eMethodNotAllowed = "method_not_allowed"
	eTooManyRequests  = "too_many_requests" // password guessing is throttled, or a client is over its rate
	eUnavailable      = "unavailable"       // the hub is at its bound of concurrent requests
)

// errorStatus maps an error code to its HTTP status (TAXII 2.1 section 3.6).
var errorStatus = map[string]int{
	isachub.EINVALID:      http.StatusBadRequest,
	isachub.EUNAUTHORIZED: http.StatusUnauthorized,
	isachub.EFORBIDDEN:    http.StatusForbidden,
	isachub.ENOTFOUND:     http.StatusNotFound,
	isachub.ECONFLICT:     http.StatusConflict,
	isachub.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	isachub.EINTERNAL:     http.StatusInternalServerError,
	eNotAcceptable:        http.StatusNotAcceptable,
	eUnsupportedMedia:     http.StatusUnsupportedMediaType,
	eUnprocessable:        http.StatusUnprocessableEntity,
	eMethodNotAllowed:     http.StatusMethodNotAllowed,
	eTooManyRequests:      http.StatusTooManyRequests,
	eUnavailable:          http.StatusServiceUnavailable,
	isachub.ENOSPACE:      http.StatusInsufficientStorage,
}

// errorTitle is the error resource's title for each status.
var errorTitle = map[int]string{
	http.StatusBadRequest:            "Bad request",
	http.StatusUnauthorized:          "Authentication required",
	http.StatusForbidden:             "Forbidden",
	http.StatusNotFound:              "Not found",
	http.StatusConflict:              "Conflict",
	http.StatusRequestEntityTooLarge: "Request entity too large",
	http.StatusInternalServerError:   "Internal server error",
	http.StatusNotAcceptable:         "Not acceptable",
	http.StatusUnsupportedMediaType:  "Unsupported media type",
	http.StatusUnprocessableEntity:   "Unprocessable entity",
	http.StatusMethodNotAllowed:      "Method not allowed",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusServiceUnavailable:    "Service unavailable",
	http.StatusInsufficientStorage:   "Insufficient storage",
}

// writeError writes err as the TAXII error message resource (section
// 3.6.1). An *isachub.Error shows its message; anything else is a 500 with a
// generic message and is logged in full.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var qe *taxii.QueryError
	if errors.As(err, &qe) {
		err = isachub.Errorf(isachub.EINVALID, "%s", qe.Error())
	}
	err = s.asUnavailable(w, r, err)
	code := isachub.ErrorCode(err)
	status, ok := errorStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInsufficientStorage {
		s.log.Error("the database's disk is full", slog.String("method", r.Method), slog.String("path", loggedPath(r.URL.Path)),
			slog.String("request_id", requestID(r)), slog.Any("err", err))
	}
	if status == http.StatusInternalServerError {
		if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
			// The client went away (a tool stopped, a proxy timed out):
			// nothing failed on this side, and no one waits for the answer.
			s.log.Info("request abandoned by the client", slog.String("method", r.Method), slog.String("path", loggedPath(r.URL.Path)),
				slog.String("request_id", requestID(r)))
			return
		}
		s.log.Error("request failed", slog.String("method", r.Method), slog.String("path", loggedPath(r.URL.Path)),
			slog.String("request_id", requestID(r)), slog.Any("err", err))
	}
	msg := isachub.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		msg = "The server failed to answer this request; the failure is logged."
	}
	body := taxii.Error{
		Title:       errorTitle[status],
		Description: msg,
		ErrorCode:   code,
		HTTPStatus:  strconv.Itoa(status),
	}
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="isachub"`)
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(err)))
	}
	writeTAXII(w, status, body)
}

// asUnavailable turns a failure to reach the database, while the client
// still waits, into the 503 it may retry (Retry-After: 5), logging it as
// a warning; any other error is returned as it is.
func (s *Server) asUnavailable(w http.ResponseWriter, r *http.Request, err error) error {
	if isachub.ErrorCode(err) != isachub.EINTERNAL || r.Context().Err() != nil || !databaseUnreachable(err) {
		return err
	}
	s.log.Warn("the database is unreachable", slog.String("method", r.Method), slog.String("path", loggedPath(r.URL.Path)),
		slog.String("request_id", requestID(r)), slog.Any("err", err))
	w.Header().Set("Retry-After", "5")
	return isachub.Errorf(eUnavailable, "The hub cannot reach its database just now; try again in a few seconds.")
}

// databaseUnreachable reports whether err comes from a connection to the
// database that could not be made or broke (PostgreSQL restarted, its host
// unreachable): the request may succeed when retried, so it answers 503
// with Retry-After rather than 500.
func databaseUnreachable(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
