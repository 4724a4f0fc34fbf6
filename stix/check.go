package stix

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// checker collects the issues of one object while its properties are
// checked. Property checks are plain functions over decoded JSON values.
type checker struct {
	res *Result
}

func (c *checker) errorf(path, format string, args ...any) {
	c.res.Errors = append(c.res.Errors, Issue{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) warnf(path, format string, args ...any) {
	c.res.Warnings = append(c.res.Warnings, Issue{Path: path, Message: fmt.Sprintf(format, args...)})
}

// check validates one JSON value v found at path.
type check func(c *checker, path string, v any)

// prop is one property of an object or of a nested type.
type prop struct {
	check    check
	required bool
}

func req(ch check) prop { return prop{check: ch, required: true} }
func opt(ch check) prop { return prop{check: ch} }

// props maps property names to their checks.
type props map[string]prop

// merge returns a new props with the entries of every argument.
func merge(ps ...props) props {
	out := props{}
	for _, p := range ps {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

func join(path, key string) string {
	if !isPlainKey(key) {
		key = "[" + strconv.Quote(key) + "]"
		if path == "" {
			return key
		}
		return path + key
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func at(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// kindOf names the JSON type of a decoded value, for messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (c *checker) wrongType(path, want string, v any) {
	c.errorf(path, "must be %s, not %s", want, kindOf(v))
}

// checkProps checks the properties of a nested object against ps: required
// ones present, known ones valid. Unknown names are reported by unknown.
func (c *checker) checkProps(path string, m map[string]any, ps props, unknown func(path, name string)) {
	c.checkSortedProps(path, m, ps, sortedKeys(ps), unknown)
}

// checkSortedProps is checkProps with the names of ps sorted: for the
// checks that run for every object, computed once rather than each time.
func (c *checker) checkSortedProps(path string, m map[string]any, ps props, names []string, unknown func(path, name string)) {
	for _, name := range names {
		p := ps[name]
		v, ok := m[name]
		if !ok {
			if p.required {
				c.errorf(join(path, name), "is required")
			}
			continue
		}
		p.check(c, join(path, name), v)
	}
	if unknown == nil {
		return
	}
	// Most objects have no unknown property: sort (to report them in a
	// stable order) only when there is one.
	for name := range m {
		if _, known := ps[name]; !known {
			for _, name := range sortedKeys(m) {
				if _, known := ps[name]; !known {
					unknown(join(path, name), name)
				}
			}
			return
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// --- primitive checks ------------------------------------------------------

func tString(c *checker, path string, v any) {
	if _, ok := v.(string); !ok {
		c.wrongType(path, "a string", v)
	}
}

func tBool(c *checker, path string, v any) {
	if _, ok := v.(bool); !ok {
		c.wrongType(path, "true or false", v)
	}
}

// tTrue accepts only true: properties whose absence means false.
func tTrue(c *checker, path string, v any) {
	if b, ok := v.(bool); !ok || !b {
		c.errorf(path, "must be true when present (omit the property for false)")
	}
}

// tAny accepts any JSON value.
func tAny(*checker, string, any) {}

func tTimestamp(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a timestamp string", v)
		return
	}
	if msg := checkTimestamp(s, 0); msg != "" {
		c.errorf(path, "%s %s", quote(s), msg)
	}
}

// tTimestampMs checks created and modified, which section 3.2 requires to
// be precise to the millisecond.
func tTimestampMs(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a timestamp string", v)
		return
	}
	if msg := checkTimestamp(s, 3); msg != "" {
		c.errorf(path, "%s %s", quote(s), msg)
	}
}

// tInteger accepts a JSON integer within [lo, hi].
func tInteger(lo, hi int64) check {
	return func(c *checker, path string, v any) {
		n, ok := v.(json.Number)
		if !ok {
			c.wrongType(path, "an integer", v)
			return
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			c.errorf(path, "must be a whole number between %d and %d, not %s", lo, hi, quote(string(n)))
			return
		}
		if i < lo || i > hi {
			c.errorf(path, "must be between %d and %d, not %d", lo, hi, i)
		}
	}
}

// tFloat accepts a JSON number within [lo, hi].
func tFloat(lo, hi float64) check {
	return func(c *checker, path string, v any) {
		n, ok := v.(json.Number)
		if !ok {
			c.wrongType(path, "a number", v)
			return
		}
		f, err := n.Float64()
		if err != nil || f < lo || f > hi {
			c.errorf(path, "must be a number between %g and %g, not %s", lo, hi, quote(string(n)))
		}
	}
}

var tNonNegInt = tInteger(0, 1<<63-1)

// tRef accepts an identifier whose type is one of types (any type when none
// is given).
func tRef(types ...string) check {
	return func(c *checker, path string, v any) {
		s, ok := v.(string)
		if !ok {
			c.wrongType(path, "an identifier string", v)
			return
		}
		if msg := checkID(s); msg != "" {
			c.errorf(path, "%s %s", quote(s), msg)
			return
		}
		if len(types) > 0 && !allowedRef(IDType(s), types) {
			c.errorf(path, "%s must refer to an object of type %s", quote(s), orList(types))
		}
	}
}

// Groups usable in tRef: any SCO, any SDO.
const (
	anySCO = "(any SCO)"
	anySDO = "(any SDO)"
)

func allowedRef(typ string, types []string) bool {
	for _, t := range types {
		switch {
		case t == typ:
			return true
		case t == anySCO && (isSCOType(typ) || !isKnownType(typ)):
			return true
		case t == anySDO && (isSDOType(typ) || !isKnownType(typ)):
			return true
		}
	}
	return false
}

func orList(types []string) string {
	names := make([]string, len(types))
	for i, t := range types {
		if strings.HasPrefix(t, "(") {
			names[i] = strings.Trim(t, "()")
		} else {
			names[i] = strconv.Quote(t)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func tRefs(types ...string) check { return tList(tRef(types...)) }

// tList accepts a non-empty JSON array whose elements pass elem (section
// 3.1: empty lists are prohibited).
func tList(elem check) check {
	return func(c *checker, path string, v any) {
		a, ok := v.([]any)
		if !ok {
			c.wrongType(path, "a list", v)
			return
		}
		if len(a) == 0 {
			c.errorf(path, "must not be an empty list (omit the property instead)")
			return
		}
		for i, e := range a {
			elem(c, at(path, i), e)
		}
	}
}

var tStrings = tList(tString)

// tEnum accepts one of a closed set of strings.
func tEnum(vals ...string) check {
	return func(c *checker, path string, v any) {
		s, ok := v.(string)
		if !ok {
			c.wrongType(path, "a string", v)
			return
		}
		if !slices.Contains(vals, s) {
			c.errorf(path, "%s is not allowed: use one of %s", quote(s), strings.Join(vals, ", "))
		}
	}
}

// tVocab accepts a string; a value outside the named open vocabulary is a
// warning, never an error (section 10).
func tVocab(name string) check {
	return func(c *checker, path string, v any) {
		s, ok := v.(string)
		if !ok {
			c.wrongType(path, "a string", v)
			return
		}
		if vals, known := vocabularies[name]; known && !slices.Contains(vals, s) {
			c.warnf(path, "%s is not in the open vocabulary %s; consumers may not understand it", quote(s), name)
		}
	}
}

func tVocabs(name string) check { return tList(tVocab(name)) }

// tDict accepts a non-empty JSON object whose keys follow section 3.1's
// dictionary rules and whose values pass elem.
func tDict(elem check) check {
	return func(c *checker, path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, "a dictionary (JSON object)", v)
			return
		}
		if len(m) == 0 {
			c.errorf(path, "must not be an empty dictionary (omit the property instead)")
			return
		}
		for _, k := range sortedKeys(m) {
			if len(k) == 0 || len(k) > 250 {
				c.errorf(join(path, k), "dictionary keys must be 1 to 250 characters long")
			}
			elem(c, join(path, k), m[k])
		}
	}
}

// tObject accepts a JSON object with the given properties; unknown names
// are warnings unless they are valid custom property names.
func tObject(ps props) check {
	names := sortedKeys(ps)
	return func(c *checker, path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			c.wrongType(path, "an object", v)
			return
		}
		c.checkSortedProps(path, m, ps, names, c.customProperty)
	}
}

// customProperty reports a property that the spec does not define at path.
func (c *checker) customProperty(path, name string) {
	if msg := checkPropertyName(name); msg != "" {
		c.errorf(path, "custom property name %s %s (section 11.1)", quote(name), msg)
	}
}

func tHex(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a hex string", v)
		return
	}
	if len(s)%2 != 0 || !allHex(s) {
		c.errorf(path, "must be an even number of hex digits")
	}
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

func tBinary(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a base64 string", v)
		return
	}
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		c.errorf(path, "must be base64 (RFC 4648 section 4): %v", err)
	}
}

func tURL(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a URL string", v)
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		c.errorf(path, "%s is not an absolute URL (RFC 3986)", quote(s))
	}
}
