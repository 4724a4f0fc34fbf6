package stix

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Text: STIX 2.1 content is JSON (section 1.6), and JSON exchanged between
// systems MUST be UTF-8 (RFC 8259 section 8.1). encoding/json accepts
// invalid bytes inside strings (and decodes them as U+FFFD), so an object
// can parse and still not be UTF-8; the hub returns objects exactly as
// sent, so such an object would reach every reader as a document that is
// not valid JSON. An escaped lone surrogate ("\ud800") is valid JSON
// syntax, but it names no Unicode character (RFC 8259 section 8.2 leaves
// its meaning unpredictable, and I-JSON, RFC 7493 section 2.1, forbids
// it): decoders disagree on it, so it is refused as well. TextIssue is the
// rule; Validate applies it to every object.

// TextIssue reports the first string of the JSON value raw (already valid
// JSON syntax) that is not a sequence of Unicode characters in UTF-8: its
// path (as Validate's paths, relative to the value) and what is wrong. ok
// is true when there is none.
func TextIssue(raw []byte) (path, problem string, ok bool) {
	if utf8.Valid(raw) && !bytes.Contains(raw, []byte(`\u`)) {
		return "", "", true // the common case: nothing to decode
	}
	path, problem = textIssue(raw, "")
	return path, problem, problem == ""
}

// textIssue walks the value that starts raw and returns the path and
// problem of its first bad string, or "" for the problem.
func textIssue(raw []byte, path string) (string, string) {
	i := skipWS(raw, 0)
	if i >= len(raw) {
		return "", ""
	}
	switch raw[i] {
	case '"':
		if msg := stringIssue(raw[i:skipString(raw, i)]); msg != "" {
			return path, msg
		}
	case '{':
		// eachMember, with the raw key checked before it is decoded.
		i = skipWS(raw, i+1)
		for i < len(raw) && raw[i] != '}' {
			kEnd := skipString(raw, i)
			if msg := stringIssue(raw[i:kEnd]); msg != "" {
				return path, "has a property name that " + msg
			}
			key := decodeString(raw[i:kEnd])
			i = skipWS(raw, skipWS(raw, kEnd)+1) // past ':'
			vEnd := skipValue(raw, i)
			if p, msg := textIssue(raw[i:vEnd], join(path, key)); msg != "" {
				return p, msg
			}
			i = skipWS(raw, vEnd)
			if i < len(raw) && raw[i] == ',' {
				i = skipWS(raw, i+1)
			}
		}
	case '[':
		var badPath, bad string
		n := 0
		eachElement(raw, i, func(val []byte) {
			if bad == "" {
				badPath, bad = textIssue(val, at(path, n))
			}
			n++
		})
		return badPath, bad
	}
	return "", ""
}

// stringIssue checks one raw JSON string, quotes included.
func stringIssue(s []byte) string {
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body) && body[i+1] == 'u' && i+6 <= len(body):
			r := hex4(body[i+2 : i+6])
			i += 6
			switch {
			case utf16.IsSurrogate(r) && r < 0xDC00:
				// A high surrogate must be followed by a low one.
				if i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
					if lo := hex4(body[i+2 : i+6]); lo >= 0xDC00 && lo <= 0xDFFF {
						i += 6
						continue
					}
				}
				return "holds the escape \\u" + string(body[i-4:i]) + ", a lone UTF-16 surrogate that is no Unicode character (RFC 8259 section 8.2)"
			case utf16.IsSurrogate(r):
				return "holds the escape \\u" + string(body[i-4:i]) + ", a lone UTF-16 surrogate that is no Unicode character (RFC 8259 section 8.2)"
			}
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size == 1 {
				return "is not valid UTF-8: byte 0x" + strconv.FormatUint(uint64(c), 16) + " at byte " + strconv.Itoa(i) +
					" of the string (JSON text must be UTF-8, RFC 8259 section 8.1)"
			}
			i += size
		}
	}
	return ""
}

// hex4 decodes four hexadecimal digits (valid JSON escapes have them).
func hex4(b []byte) rune {
	n, err := strconv.ParseUint(string(b), 16, 16)
	if err != nil {
		return -1
	}
	return rune(n)
}
