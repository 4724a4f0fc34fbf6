package stix

import (
	"encoding/json"
	"slices"
)

// Object is one STIX object exactly as it was received. It keeps the original
// bytes, so that writing it back gives the same properties and values
// (custom properties, extensions and timestamp strings included), and offers
// typed access to the common properties of STIX 2.1 section 3.2.
//
// An Object is immutable after parsing and safe for concurrent readers.
type Object struct {
	raw json.RawMessage
	// members are the top-level properties as received, duplicates
	// included (the last one counts, as with encoding/json). A slice, not
	// a map: objects have a few dozen properties at most, a scan finds one
	// as fast, and parsing, which runs for every object posted, allocates
	// one slice instead of a map.
	members []Member
	keys    []string // property names in the order they were received

	typ, id, specVersion string
	created, modified    string
	createdByRef         string
	revoked              bool
	objectMarkingRefs    []string
	dupKeys              []string // property names that appeared more than once
}

// Raw returns the object's bytes as received. Callers must not modify them.
func (o *Object) Raw() json.RawMessage { return o.raw }

// MarshalJSON returns the object's bytes as received.
func (o *Object) MarshalJSON() ([]byte, error) { return o.raw, nil }

// UnmarshalJSON parses one JSON object into o. It fails when data is not a
// JSON object; it does not validate STIX rules (see Validate).
func (o *Object) UnmarshalJSON(data []byte) error {
	p, err := ParseObject(data)
	if err != nil {
		return err
	}
	*o = *p
	return nil
}

// Type returns the "type" property, or "" when it is absent or not a string.
func (o *Object) Type() string { return o.typ }

// ID returns the "id" property, or "" when it is absent or not a string.
func (o *Object) ID() string { return o.id }

// SpecVersion returns the "spec_version" property. STIX 2.0 objects, which
// lack it, return "".
func (o *Object) SpecVersion() string { return o.specVersion }

// Created returns the "created" timestamp exactly as received.
func (o *Object) Created() string { return o.created }

// Modified returns the "modified" timestamp exactly as received.
func (o *Object) Modified() string { return o.modified }

// Version returns the string that identifies this version of the object
// (TAXII 2.1 section 3.4.1): modified, else created, else "" (for SCOs and
// other unversioned objects).
func (o *Object) Version() string {
	if o.modified != "" {
		return o.modified
	}
	return o.created
}

// CreatedByRef returns the "created_by_ref" property.
func (o *Object) CreatedByRef() string { return o.createdByRef }

// Revoked reports whether the object carries "revoked": true.
func (o *Object) Revoked() bool { return o.revoked }

// ObjectMarkingRefs returns the "object_marking_refs" property. Callers must
// not modify the slice.
func (o *Object) ObjectMarkingRefs() []string { return o.objectMarkingRefs }

// Has reports whether the object has the named top-level property.
func (o *Object) Has(name string) bool {
	_, ok := o.prop(name)
	return ok
}

// Property returns the raw JSON of a top-level property.
func (o *Object) Property(name string) (json.RawMessage, bool) {
	return o.prop(name)
}

// prop returns the raw value of the last member with the name.
func (o *Object) prop(name string) (json.RawMessage, bool) {
	for i := len(o.members) - 1; i >= 0; i-- {
		if o.members[i].Key == name {
			return o.members[i].Value, true
		}
	}
	return nil, false
}

// get is prop without ok.
func (o *Object) get(name string) json.RawMessage {
	v, _ := o.prop(name)
	return v
}

// String returns a top-level property that is a JSON string, or "" when it
// is absent or of another JSON type.
func (o *Object) String(name string) string {
	s, _ := rawString(o.get(name))
	return s
}

// Strings returns a top-level property that is a JSON array of strings, or
// nil when it is absent or of another shape.
func (o *Object) Strings(name string) []string {
	return rawStrings(o.get(name))
}

// Keys returns the names of the top-level properties in the order they were
// received.
func (o *Object) Keys() []string { return slices.Clone(o.keys) }

// Decode decodes the whole object into v with encoding/json.
func (o *Object) Decode(v any) error { return json.Unmarshal(o.raw, v) }

// Value decodes the whole object into generic Go values: map[string]any,
// []any, string, bool, nil, and json.Number for every number, so that large
// integers keep their precision.
func (o *Object) Value() (map[string]any, error) {
	m, _ := decodeValue(o.raw).(map[string]any)
	return m, nil
}

// rawString decodes a raw JSON string; ok is false for any other JSON type.
func rawString(raw json.RawMessage) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	return decodeString(raw), true
}

// rawStrings decodes a raw JSON array of strings; nil for any other shape.
func rawStrings(raw json.RawMessage) []string {
	if len(raw) == 0 || raw[0] != '[' {
		return nil
	}
	var ss []string
	ok := true
	eachElement(raw, 0, func(val []byte) {
		s, isString := rawString(val)
		ok = ok && isString
		ss = append(ss, s)
	})
	if !ok {
		return nil
	}
	return ss
}
