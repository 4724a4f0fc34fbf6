package pattern

import (
	"encoding/json"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// This file turns literals and observed values into the keys the index
// looks up. Keys are deliberately coarser than the matcher's equality (a
// string '443' and the number 443 share a key, 443 and 443.0 too): a key
// hit only makes an indicator a candidate, and the matcher decides. The
// one rule is that whenever the matcher would find a value equal to a
// literal, both give the same key.

// ixLiteralKey returns the exact-lookup key of a literal, or false when
// the literal kind is not indexed (timestamps, hex and binary literals
// compare by value, not by text).
func ixLiteralKey(l Literal) (string, bool) {
	switch l.Kind {
	case KindString:
		return l.Str, true
	case KindInt:
		return ixFloatKey(float64(l.Int)), true
	case KindFloat:
		return ixFloatKey(l.Float), true
	case KindBool:
		return strconv.FormatBool(l.Bool), true
	}
	return "", false
}

// ixValueKey returns the exact-lookup key of an observed value, or false
// for values no literal can equal (objects, lists, null).
func ixValueKey(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return ixNumberKey(string(v)), true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return ixFloatKey(v), true
	case int:
		return ixFloatKey(float64(v)), true
	case int64:
		return ixFloatKey(float64(v)), true
	}
	return "", false
}

// ixNumberKey canonicalises a JSON number through float64, as the matcher
// compares an integer with a float: 443, 443.0 and 4.43e2 share a key, and
// so do integers beyond 2^53 that round to the same float.
func ixNumberKey(s string) string {
	if ixPlainInt(s) {
		return s // the common case, without allocating
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return s
	}
	return ixFloatKey(f)
}

// ixPlainInt reports whether s is a small non-negative decimal integer
// written canonically (no sign, no leading zero): its key is itself.
func ixPlainInt(s string) bool {
	if len(s) == 0 || len(s) > 15 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ixFloatKey writes integral floats as integers, so that 443.0 and 443
// share a key.
func ixFloatKey(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ixPrefix parses an IP address or CIDR block into a masked prefix; an
// IPv4-mapped IPv6 address stays IPv6, as its text differs. Zones are
// refused.
func ixPrefix(s string) (netip.Prefix, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// ixIsAddressValue reports whether an object path is ipv4-addr:value or
// ipv6-addr:value, whose keys are CIDR prefixes.
func ixIsAddressValue(p ObjectPath) bool {
	return (p.ObjectType == "ipv4-addr" || p.ObjectType == "ipv6-addr") &&
		len(p.Steps) == 1 && p.Steps[0].Kind == StepKey && p.Steps[0].Key == "value"
}

// ixPathName renders a path as an internal field name.
func ixPathName(p ObjectPath) string {
	var b strings.Builder
	b.WriteString(p.ObjectType)
	for _, s := range p.Steps {
		switch s.Kind {
		case StepKey:
			b.WriteString("\x00")
			b.WriteString(s.Key)
		case StepIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case StepAny:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// ixIndexablePath reports whether values under the path can be keyed.
// Properties ending in _hex or _bin hold binary data the matcher decodes
// before comparing, so their text is no key.
func ixIndexablePath(p ObjectPath) bool {
	for _, s := range p.Steps {
		if s.Kind == StepKey && (strings.HasSuffix(s.Key, "_hex") || strings.HasSuffix(s.Key, "_bin")) {
			return false
		}
	}
	return true
}

// ixResolve appends to out every value the path's steps select from v,
// following _ref and _refs through the observation's objects like the
// matcher does. It is more generous than the matcher (a list at the end
// of the path gives its elements, a negative index gives every element),
// which only adds candidates.
func ixResolve(o *Observation, v any, steps []PathStep, out []any) []any {
	for len(steps) > 0 {
		st := steps[0]
		steps = steps[1:]
		switch st.Kind {
		case StepKey:
			m, ok := v.(map[string]any)
			if !ok {
				return out
			}
			next, ok := m[st.Key]
			if !ok {
				return out
			}
			switch {
			case strings.HasSuffix(st.Key, "_ref"):
				id, _ := next.(string)
				obj, ok := o.Objects[id]
				if !ok {
					return out
				}
				next = obj
			case strings.HasSuffix(st.Key, "_refs"):
				ids, _ := next.([]any)
				objs := make([]any, 0, len(ids))
				for _, x := range ids {
					id, _ := x.(string)
					if obj, ok := o.Objects[id]; ok {
						objs = append(objs, obj)
					}
				}
				next = objs
			}
			v = next
		case StepIndex:
			list, ok := v.([]any)
			if !ok {
				return out
			}
			i := st.Index
			if i < 0 {
				i += len(list)
			}
			if i < 0 || i >= len(list) {
				return out
			}
			v = list[i]
		case StepAny:
			list, ok := v.([]any)
			if !ok {
				return out
			}
			for _, x := range list {
				out = ixResolve(o, x, steps, out)
			}
			return out
		}
	}
	if list, ok := v.([]any); ok {
		return append(out, list...)
	}
	return append(out, v)
}
