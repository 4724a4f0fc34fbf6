package stix

import "strings"

// SplitID splits a STIX identifier (section 2.9) "<type>--<UUID>" into its
// type and UUID parts. ok is false when s has no "--" separator.
func SplitID(s string) (typ, uuid string, ok bool) {
	i := strings.LastIndex(s, "--")
	if i <= 0 {
		return "", "", false
	}
	return s[:i], s[i+2:], true
}

// IDType returns the type part of a STIX identifier, or "" when s is not
// of the form "<type>--<UUID>".
func IDType(s string) string {
	t, _, _ := SplitID(s)
	return t
}

// checkID reports what is wrong with s as a STIX identifier, or "" when it
// is well formed: a valid type name, "--", and an RFC 4122 UUID in lowercase
// or uppercase hex with the RFC 4122 variant bits.
func checkID(s string) string {
	typ, u, ok := SplitID(s)
	if !ok {
		return "is not an identifier of the form <object-type>--<UUID>"
	}
	if msg := checkTypeName(typ); msg != "" {
		return "has a type part " + quote(typ) + " that " + msg
	}
	if !isUUID(u) {
		return "has a UUID part " + quote(u) + " that is not an RFC 4122 UUID (8-4-4-4-12 hex digits with the RFC 4122 variant)"
	}
	return ""
}

// isUUID reports whether s is an 8-4-4-4-12 hex UUID with RFC 4122 variant
// bits (10xx), as section 2.9 requires. The nil UUID is rejected with it.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexDigit(c) {
				return false
			}
		}
	}
	switch s[19] { // the variant nibble
	case '8', '9', 'a', 'b', 'A', 'B':
		return true
	}
	return false
}

// uuidVersion returns the version nibble of a well-formed UUID.
func uuidVersion(s string) byte { return s[14] }

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// checkTypeName reports what is wrong with an object type name (section
// 2.9 and 11.2): 3-250 characters of a-z, 0-9 and '-', starting with a
// letter, not ending with '-', and no "--". It returns "" when it is valid.
func checkTypeName(t string) string {
	if len(t) < 3 || len(t) > 250 {
		return "must be 3 to 250 characters long"
	}
	if t[0] < 'a' || t[0] > 'z' {
		return "must start with a lowercase letter a-z"
	}
	if t[len(t)-1] == '-' {
		return "must not end with '-'"
	}
	if strings.Contains(t, "--") {
		return "must not contain \"--\""
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return "may contain only a-z, 0-9 and '-'"
		}
	}
	return ""
}

// checkPropertyName reports what is wrong with a property name (section
// 3.1): 3-250 characters of a-z, 0-9 and '_', starting with a letter. It
// returns "" when it is valid. The spec's own "id" is the one exception.
func checkPropertyName(n string) string {
	if n == "id" {
		return ""
	}
	if len(n) < 3 || len(n) > 250 {
		return "must be 3 to 250 characters long"
	}
	if n[0] < 'a' || n[0] > 'z' {
		return "must start with a lowercase letter a-z"
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return "may contain only a-z, 0-9 and '_'"
		}
	}
	return ""
}

// quote quotes s for a message, shortening it so that a huge value never
// makes a huge message.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// CheckID returns what is wrong with s as a STIX identifier (section 2.9),
// or "" when it is well formed.
func CheckID(s string) string { return checkID(s) }

// CheckTypeName returns what is wrong with t as an object type name
// (sections 2.9 and 11.2), or "" when it is valid.
func CheckTypeName(t string) string { return checkTypeName(t) }
