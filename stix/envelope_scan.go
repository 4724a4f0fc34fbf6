package stix

import (
	"bytes"
	"errors"
	"strconv"
)

// ErrTooManyElements is returned by SplitObjects when the array holds more
// elements than allowed.
var ErrTooManyElements = errors.New("too many elements")

// Member is one member of a JSON object: its key and its raw value.
type Member struct {
	Key   string
	Value []byte
}

// Members returns the members of the JSON object data, in order, without
// copying their values. data must be one JSON object that json.Valid
// accepts; ok is false when it is another kind of value.
func Members(data []byte) (members []Member, ok bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}
	eachMember(data, 0, func(key string, val []byte) { members = append(members, Member{key, val}) })
	return members, true
}

// SplitObjects parses every element of the JSON array raw that is a JSON
// object, as ParseObject would, with path base[i]; an element that is not
// an object gets its error instead. raw must be valid JSON (json.Valid),
// which spares the syntax check of each element: a TAXII envelope is
// checked once, as a whole. More than max elements is ErrTooManyElements,
// returned before the rest is parsed.
func SplitObjects(raw []byte, base string, max int) ([]Item, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, &PathError{Path: base, Msg: "expected an array of STIX objects, found " + jsonKind(raw)}
	}
	var items []Item
	tooMany := false
	eachElementUntil(raw, 0, func(val []byte) bool {
		if len(items) >= max {
			tooMany = true
			return false
		}
		path := base + "[" + strconv.Itoa(len(items)) + "]"
		obj, err := parseObject(val, path)
		items = append(items, Item{Path: path, Object: obj, Err: err})
		return true
	})
	if tooMany {
		return nil, ErrTooManyElements
	}
	return items, nil
}

// eachElementUntil is eachElement that stops when fn returns false.
func eachElementUntil(data []byte, i int, fn func(val []byte) bool) {
	i = skipWS(data, i+1) // past '['
	for i < len(data) && data[i] != ']' {
		vEnd := skipValue(data, i)
		if !fn(data[i:vEnd]) {
			return
		}
		i = skipWS(data, vEnd)
		if i < len(data) && data[i] == ',' {
			i = skipWS(data, i+1)
		}
	}
}
