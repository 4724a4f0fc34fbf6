package server

import (
	"strings"
)

// Anonymous publishing (issue 6): a submission is re-issued under the
// community's identity by package anon, and the hub keeps who sent it
// according to the community's policy (isachub.Community.Record). Whether a
// submission is anonymous is isachub.Anonymous; package publish prepares
// and publishes one. This file holds the HTTP side: the headers.

// HeaderAnonymous asks for one submission to be published anonymously
// ("true"), whatever the token and collection say.
const HeaderAnonymous = "X-Isachub-Anonymous"

// HeaderWithdrawalHandle carries, in the answer to an anonymous POST, the
// secret handle with which the submitter can withdraw what it published.
// It is shown once and kept by the hub only as a SHA-256 hash.
const HeaderWithdrawalHandle = "X-Isachub-Withdrawal-Handle"

// requestedAnonymous reports whether the request asks for anonymity with
// HeaderAnonymous.
func requestedAnonymous(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes":
		return true
	}
	return false
}
