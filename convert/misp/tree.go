package misp

import (
	"encoding/json"
	"strings"
)

// The decoded input is a tree of map[string]any, []any, string,
// json.Number, bool and nil. MISP is loose about types (a timestamp may be
// a string or a number, to_ids a boolean or "1"), so these accessors accept
// every spelling MISP instances write and report anything else as absent;
// the callers turn an absent required member into a report entry.

// asObject returns v as a JSON object.
func asObject(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	return m, ok
}

// items returns the elements of a list member: a JSON array, or a single
// object (the MISP core format's samples write "Attribute": {...} for one
// attribute). ok is false for anything else; a missing or null member is
// an empty list.
func items(v any) (list []any, ok bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case []any:
		return v, true
	case map[string]any:
		return []any{v}, true
	}
	return nil, false
}

// text returns a string or number member as text, trimmed of surrounding
// white space.
func text(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return string(v)
	}
	return ""
}

// raw returns a string member exactly as given (values keep their white
// space), or a number as text.
func raw(m map[string]any, key string) (string, bool) {
	switch v := m[key].(type) {
	case string:
		return v, true
	case json.Number:
		return string(v), true
	}
	return "", false
}

// flag reads a boolean member: true, "1", "true" or 1.
func flag(m map[string]any, key string) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		return v == "1" || strings.EqualFold(v, "true")
	case json.Number:
		return v == "1"
	}
	return false
}

// strs returns a member that is a string or a list of strings (galaxy
// cluster meta values are either).
func strs(m map[string]any, key string) []string {
	switch v := m[key].(type) {
	case string:
		if s := strings.TrimSpace(v); s != "" {
			return []string{s}
		}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
		return out
	}
	return nil
}

// kindOf names the JSON type of v for a report entry.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value"
}
