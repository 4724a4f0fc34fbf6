package stix1

import (
	"strconv"
	"unicode/utf8"
)

// The objects are written by hand, property by property, so that their
// order is fixed and the same input gives the same bytes.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 (which the XML
// decoder never passes on) becomes U+FFFD; nothing is HTML-escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jstr returns s as a JSON string.
func jstr(s string) []byte { return appendString(nil, s) }

// jint returns n as a JSON number.
func jint(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

// jbool returns a JSON boolean.
func jbool(v bool) []byte {
	if v {
		return []byte("true")
	}
	return []byte("false")
}

// jstrs returns a JSON array of strings.
func jstrs(ss []string) []byte {
	b := []byte{'['}
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// jobj builds a JSON object with its members in the order added.
type jobj struct{ b []byte }

func (o *jobj) raw(key string, v []byte) *jobj {
	if len(o.b) == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.b = appendString(o.b, key)
	o.b = append(o.b, ':')
	o.b = append(o.b, v...)
	return o
}

func (o *jobj) str(key, v string) *jobj { return o.raw(key, jstr(v)) }

// bytes returns the object written so far, closed.
func (o *jobj) bytes() []byte {
	if len(o.b) == 0 {
		return []byte("{}")
	}
	return append(append([]byte(nil), o.b...), '}')
}

// jlist builds a JSON array of raw values.
func jlist(items [][]byte) []byte {
	b := []byte{'['}
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}
