// Package rawjson keeps a list of JSON values byte for byte in one JSON
// array, as the stores keep the objects of a submission waiting for
// moderation: what a client submitted comes back exactly as it was sent.
package rawjson

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/isachub/isachub"
)

// Join joins the objects into one JSON array whose elements are their
// exact bytes (json.Marshal would compact and re-escape them). Whitespace
// around an element is valid JSON and kept, as part of it. An element that
// is not valid JSON is EINVALID.
func Join(objs []json.RawMessage) ([]byte, error) {
	n := 2
	for i, o := range objs {
		if !json.Valid(o) {
			return nil, isachub.Errorf(isachub.EINVALID, "Object %d of the pending submission is not valid JSON.", i)
		}
		n += len(o) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, o := range objs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, o...)
	}
	return append(b, ']'), nil
}

// Split splits what Join joined back into the exact bytes of each
// element: everything between the delimiters of the array.
func Split(b []byte) ([]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, errors.New("the stored objects are not a JSON array")
	}
	objs := []json.RawMessage{}
	start := dec.InputOffset() // just after '[' or the previous ','
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		end := int(dec.InputOffset()) // just after the value
		for end < len(b) && isSpace(b[end]) {
			end++
		}
		if end == len(b) || b[end] != ',' && b[end] != ']' {
			return nil, errors.New("the stored objects are not a JSON array")
		}
		objs = append(objs, json.RawMessage(bytes.Clone(b[start:end])))
		start = int64(end) + 1
	}
	return objs, nil
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
