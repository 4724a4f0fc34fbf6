package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Kind says what shape of JSON document was parsed.
type Kind int

// The document shapes Parse accepts.
const (
	KindObject   Kind = iota + 1 // a single STIX object
	KindArray                    // a JSON array of STIX objects
	KindBundle                   // a STIX bundle (section 8)
	KindEnvelope                 // a TAXII 2.1 envelope: {"objects": [...]}
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindObject:
		return "object"
	case KindArray:
		return "array"
	case KindBundle:
		return "bundle"
	case KindEnvelope:
		return "envelope"
	}
	return "unknown"
}

// Document is the result of ParseDocument: every element of the input with
// its location, including elements that are not JSON objects.
type Document struct {
	Kind Kind
	// Bundle is the bundle wrapper itself when Kind is KindBundle (its
	// "objects" stay in Items), and nil otherwise.
	Bundle *Object
	Items  []Item
}

// Item is one element of a Document: the object, or why it is not one.
type Item struct {
	Path   string  // JSONPath of the element in the input, for example "$.objects[3]"
	Object *Object // nil when Err is set
	Err    error   // the element is not a JSON object
}

// Objects returns the parsed objects of d, skipping elements that failed.
func (d *Document) Objects() []*Object {
	objs := make([]*Object, 0, len(d.Items))
	for _, it := range d.Items {
		if it.Object != nil {
			objs = append(objs, it.Object)
		}
	}
	return objs
}

// Parse parses STIX 2.1 JSON in any of the shapes a producer sends: one
// object, an array of objects, a bundle, or a TAXII 2.1 envelope. It returns
// the objects in order, or an error that names the first element that is not
// a JSON object. Parse checks JSON syntax and shape only; Validate checks the
// STIX rules.
func Parse(data []byte) ([]*Object, error) {
	doc, err := ParseDocument(data)
	if err != nil {
		return nil, err
	}
	objs := make([]*Object, 0, len(doc.Items))
	for _, it := range doc.Items {
		if it.Err != nil {
			return nil, it.Err
		}
		objs = append(objs, it.Object)
	}
	return objs, nil
}

// ParseDocument is like Parse but keeps going past elements that are not
// JSON objects, recording each one's error in its Item. The error is non-nil
// only when data is not JSON or not a JSON object or array.
func ParseDocument(data []byte) (*Document, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, &PathError{Path: "$", Msg: "the input is empty; expected a STIX object, an array, a bundle or a TAXII envelope"}
	}
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	switch data[0] {
	case '[':
		return &Document{Kind: KindArray, Items: parseItems("$", splitArray(data))}, nil
	case '{':
		obj, err := parseObject(data, "$")
		if err != nil {
			return nil, err
		}
		elemsRaw, hasObjects := obj.prop("objects")
		switch {
		case obj.typ == "bundle":
			doc := &Document{Kind: KindBundle, Bundle: obj}
			if !hasObjects || isNull(elemsRaw) {
				return doc, nil // an empty bundle; Validate reports nothing missing
			}
			elems, err := rawArray(elemsRaw, "$.objects")
			if err != nil {
				return nil, err
			}
			doc.Items = parseItems("$.objects", elems)
			return doc, nil
		case !obj.Has("type") && hasObjects:
			elems, err := rawArray(elemsRaw, "$.objects")
			if err != nil {
				return nil, err
			}
			return &Document{Kind: KindEnvelope, Items: parseItems("$.objects", elems)}, nil
		}
		return &Document{Kind: KindObject, Items: []Item{{Path: "$", Object: obj}}}, nil
	}
	return nil, &PathError{Path: "$", Msg: "expected a JSON object or array at the top level"}
}

// ParseObject parses one JSON object. It fails when data is not valid JSON or
// not a JSON object.
func ParseObject(data []byte) (*Object, error) {
	data = bytes.TrimSpace(data)
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	return parseObject(data, "$")
}

func parseItems(base string, elems []json.RawMessage) []Item {
	items := make([]Item, len(elems))
	for i, raw := range elems {
		path := base + "[" + strconv.Itoa(i) + "]"
		obj, err := parseObject(raw, path)
		items[i] = Item{Path: path, Object: obj, Err: err}
	}
	return items
}

// parseObject reads the top-level properties of a syntactically valid JSON
// value, keeping their order and the raw bytes of each value.
func parseObject(data []byte, path string) (*Object, error) {
	if len(data) == 0 || data[0] != '{' {
		return nil, &PathError{Path: path, Msg: "expected a JSON object, found " + jsonKind(data)}
	}
	o := &Object{raw: bytes.Clone(data), members: make([]Member, 0, 16)}
	eachMember(o.raw, 0, func(key string, val []byte) {
		o.members = append(o.members, Member{key, val})
	})
	o.keys = make([]string, 0, len(o.members))
	var seen map[string]bool // for objects too large to compare pairwise
	if len(o.members) > 32 {
		seen = make(map[string]bool, len(o.members))
	}
	for i, m := range o.members {
		dup := false
		if seen != nil {
			dup = seen[m.Key]
			seen[m.Key] = true
		} else {
			for _, prev := range o.members[:i] {
				if prev.Key == m.Key {
					dup = true
					break
				}
			}
		}
		if dup {
			o.dupKeys = append(o.dupKeys, m.Key)
		} else {
			o.keys = append(o.keys, m.Key)
		}
	}
	o.typ, _ = rawString(o.get("type"))
	o.id, _ = rawString(o.get("id"))
	o.specVersion, _ = rawString(o.get("spec_version"))
	o.created, _ = rawString(o.get("created"))
	o.modified, _ = rawString(o.get("modified"))
	o.createdByRef, _ = rawString(o.get("created_by_ref"))
	o.revoked = bytes.Equal(o.get("revoked"), []byte("true"))
	o.objectMarkingRefs = rawStrings(o.get("object_marking_refs"))
	return o, nil
}

func rawArray(raw json.RawMessage, path string) ([]json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '[' {
		return nil, &PathError{Path: path, Msg: "expected an array of STIX objects, found " + jsonKind(raw)}
	}
	return splitArray(raw), nil
}

// splitArray returns the elements of a valid JSON array.
func splitArray(data []byte) []json.RawMessage {
	var elems []json.RawMessage
	eachElement(data, 0, func(val []byte) { elems = append(elems, val) })
	return elems
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// checkSyntax reports the first JSON syntax error with its line and column.
func checkSyntax(data []byte) error {
	if !json.Valid(data) {
		var v any
		return syntaxError(data, json.Unmarshal(data, &v))
	}
	return nil
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return &PathError{Path: "$", Msg: fmt.Sprintf("invalid JSON at line %d, column %d (byte %d): %s", line, col, se.Offset, se.Error())}
	}
	if err == nil {
		err = errors.New("invalid JSON")
	}
	return &PathError{Path: "$", Msg: "invalid JSON: " + err.Error()}
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// jsonKind names the JSON type of a raw value, for messages.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// PathError is a problem at one place in a JSON document: Path is a JSONPath
// such as "$.objects[2].created" and Msg says what is wrong there.
type PathError struct {
	Path string
	Msg  string
}

// Error implements the error interface.
func (e *PathError) Error() string { return e.Path + ": " + e.Msg }
