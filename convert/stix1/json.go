package stix1

import (
	"strconv"

	"github.com/isachub/isachub/convert"
)

// The objects are written by hand, property by property, so that their
// order is fixed and the same input gives the same bytes.

// jstr returns s as a JSON string.
func jstr(s string) []byte { return convert.AppendString(nil, s) }

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
		b = convert.AppendString(b, s)
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
	o.b = convert.AppendString(o.b, key)
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
