package pattern

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file evaluates one comparison against the values an object path
// selects (section 9.5 and 9.7), following the rules of the OASIS
// reference matcher (cti-pattern-matcher): values of different types are
// unequal and unordered, numbers compare across integer and float, a
// string compares with binary data when all its code points are below 256,
// and a timestamp literal compares with a JSON string read as a timestamp.

// numKind classifies a JSON value for comparison.
type valKind int

const (
	vOther valKind = iota // null, object, array: equal to nothing
	vInt
	vFloat
	vString
	vBool
	vBytes
)

// value is a JSON value prepared for comparison.
type value struct {
	kind valKind
	i    int64
	f    float64
	s    string
	b    bool
	by   []byte
}

// toValue classifies a decoded JSON value (json.Number for numbers, as the
// loader produces; float64 and int are accepted too).
func toValue(v any) value {
	switch v := v.(type) {
	case string:
		return value{kind: vString, s: v}
	case bool:
		return value{kind: vBool, b: v}
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return value{kind: vInt, i: n}
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			return value{}
		}
		return value{kind: vFloat, f: f}
	case float64:
		return value{kind: vFloat, f: v}
	case int:
		return value{kind: vInt, i: int64(v)}
	case int64:
		return value{kind: vInt, i: v}
	case []byte:
		return value{kind: vBytes, by: v}
	}
	return value{}
}

// latin1 converts a string to bytes when every code point is below 256.
func latin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 256 || r == utf8.RuneError {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

// cmpNum compares two numbers, either of which may be an integer.
func cmpNum(a value, lit Literal) int {
	if a.kind == vInt && lit.Kind == KindInt {
		return cmpInt(a.i, lit.Int)
	}
	x, y := a.f, lit.Float
	if a.kind == vInt {
		x = float64(a.i)
	}
	if lit.Kind == KindInt {
		y = float64(lit.Int)
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	return 2 // NaN: unordered
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare orders v against lit. ok is false when the types do not compare
// (the reference's "no comparison function"); conv is false when a string
// could not be turned into bytes to compare with binary data. A JSON
// string that is not a timestamp, compared with a timestamp literal, is an
// error.
func compare(v value, lit Literal) (c int, ok, conv bool, err error) {
	switch lit.Kind {
	case KindInt, KindFloat:
		if v.kind == vInt || v.kind == vFloat {
			c = cmpNum(v, lit)
			return c, c != 2, true, nil
		}
	case KindString:
		switch v.kind {
		case vString:
			return strings.Compare(v.s, lit.Str), true, true, nil
		case vBytes:
			b, ok := latin1(lit.Str)
			if !ok {
				return 0, true, false, nil
			}
			return bytes.Compare(v.by, b), true, true, nil
		}
	case KindHex, KindBinary:
		switch v.kind {
		case vBytes:
			return bytes.Compare(v.by, lit.Bytes), true, true, nil
		case vString:
			b, ok := latin1(v.s)
			if !ok {
				return 0, true, false, nil
			}
			return bytes.Compare(b, lit.Bytes), true, true, nil
		}
	case KindTimestamp:
		if v.kind == vString {
			t, err := parseTimestamp(v.s)
			if err != nil {
				return 0, false, true, fmt.Errorf("a value compared with a timestamp is not a timestamp: %w", err)
			}
			return t.Compare(lit.Time), true, true, nil
		}
	case KindBool:
		if v.kind == vBool {
			if v.b == lit.Bool {
				return 0, true, true, nil
			}
			return 1, true, true, nil
		}
	}
	return 0, false, true, nil
}

// equal reports whether v equals lit; values of types that do not compare
// are unequal.
func equal(v value, lit Literal) (bool, error) {
	c, ok, conv, err := compare(v, lit)
	if err != nil || !ok || !conv {
		return false, err
	}
	return c == 0, nil
}

// test evaluates one comparison against one selected value.
func (c *Comparison) test(raw any, prep *prepared) (bool, error) {
	v := toValue(raw)
	switch c.Op {
	case OpEqual, OpNotEqual:
		eq, err := equal(v, c.Value)
		if err != nil {
			return false, err
		}
		return eq != (c.Op == OpNotEqual) != c.Negated, nil
	case OpLess, OpLessEqual, OpGreater, OpGreaterEqual:
		r, ok, conv, err := compare(v, c.Value)
		if err != nil || !ok {
			// Types that do not compare give false, NOT or not (as the
			// reference matcher does).
			return false, err
		}
		res := false
		if conv {
			switch c.Op {
			case OpLess:
				res = r < 0
			case OpLessEqual:
				res = r <= 0
			case OpGreater:
				res = r > 0
			case OpGreaterEqual:
				res = r >= 0
			}
		}
		return res != c.Negated, nil
	case OpIn:
		in := false
		for _, lit := range c.Set {
			eq, err := equal(v, lit)
			if err != nil {
				return false, err
			}
			if eq {
				in = true
				break
			}
		}
		return in != c.Negated, nil
	case OpLike:
		s, ok := textOf(v)
		res := ok && likeMatch(nfc(c.Value.Str), nfc(s))
		return res != c.Negated, nil
	case OpMatches:
		res := false
		switch v.kind {
		case vString:
			res = prep.re.MatchString(nfc(v.s))
		case vBytes:
			// Binary data matches byte for byte: each byte is the code
			// point of the same value, as Python's bytes patterns do.
			if _, ok := latin1(c.Value.Str); ok {
				res = prep.re.MatchString(bytesAsRunes(v.by))
			}
		}
		return res != c.Negated, nil
	case OpIsSubset, OpIsSuperset:
		res := false
		if v.kind == vString {
			inner, okIn := parseIPOrCIDR(v.s)
			if !okIn {
				return false, fmt.Errorf("%q is not an IP address or CIDR block", v.s)
			}
			outer := prep.prefix
			if c.Op == OpIsSuperset {
				inner, outer = outer, inner
			}
			res = outer.IsValid() && inner.Addr().BitLen() == outer.Addr().BitLen() &&
				inner.Bits() >= outer.Bits() && outer.Masked().Contains(inner.Addr())
		}
		return res != c.Negated, nil
	}
	return false, fmt.Errorf("operator %s cannot test a value", c.Op)
}

// textOf returns the text LIKE tests: a string, or binary data that is
// valid UTF-8.
func textOf(v value) (string, bool) {
	switch v.kind {
	case vString:
		return v.s, true
	case vBytes:
		if utf8.Valid(v.by) {
			return string(v.by), true
		}
	}
	return "", false
}

func bytesAsRunes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// decodeSuffixed turns the values of properties whose names end in _hex
// or _bin into bytes, as section 9.5 says binary properties compare.
func decodeSuffixed(key string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	switch {
	case strings.HasSuffix(key, "_hex"):
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("property %s is not valid hex", key)
		}
		return b, nil
	case strings.HasSuffix(key, "_bin"):
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("property %s is not valid base64", key)
		}
		return b, nil
	}
	return v, nil
}

// timeOf is used by the observation matcher for error messages.
func timeOf(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
