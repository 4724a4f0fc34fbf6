package pattern

import (
	"encoding/json"
	"strings"
)

// A fast path for the common shape of ECS events: one JSON object of
// objects, strings, numbers, booleans, nulls and arrays of scalars, with
// ASCII strings without \u escapes. It flattens while it scans, without
// building the nested maps encoding/json would. On anything else (\u escapes,
// non-ASCII text, arrays of objects, a key or field given twice, deep nesting,
// invalid JSON) it gives up and ParseECS takes the encoding/json path, so
// results and error messages are those of that path; FuzzECSFastPath
// holds the two to the same results.

// ecsFast is the state of one fast scan.
type ecsFast struct {
	data   []byte
	i      int
	f      ecsFields
	groups uint32
	name   []byte // the dotted name being built
}

// ecsFastFlatten returns the flattened fields of data, or ok=false when
// the input needs the general path.
func ecsFastFlatten(data []byte) (f ecsFields, groups uint32, ok bool) {
	s := &ecsFast{data: data, f: make(ecsFields, 32)}
	s.ws()
	if !s.object(0) {
		return nil, 0, false
	}
	s.ws()
	if s.i != len(s.data) {
		return nil, 0, false
	}
	return s.f, s.groups, true
}

func (s *ecsFast) ws() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object scans an object whose members are named s.name + key.
func (s *ecsFast) object(depth int) bool {
	if depth > maxECSDepth || s.i >= len(s.data) || s.data[s.i] != '{' {
		return false
	}
	s.i++
	s.ws()
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		return true
	}
	base := len(s.name)
	var buf [16]string
	keys := buf[:0] // of this object: encoding/json keeps the last of equal keys
	for {
		s.ws()
		key, ok := s.str()
		if !ok || len(keys) >= 256 {
			return false
		}
		for _, k := range keys {
			if k == key {
				return false
			}
		}
		keys = append(keys, key)
		if depth == 0 {
			head, _, _ := strings.Cut(key, ".")
			s.groups |= ecsGroupBits[head]
		}
		s.name = s.name[:base]
		if base > 0 {
			s.name = append(s.name, '.')
		}
		s.name = append(s.name, key...)
		s.ws()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if s.i < len(s.data) && s.data[s.i] == '{' {
			if !s.object(depth + 1) {
				return false
			}
		} else {
			v, ok := s.scalarOrList()
			if !ok {
				return false
			}
			name := string(s.name)
			if _, dup := s.f[name]; dup {
				return false
			}
			s.f[name] = v
		}
		s.ws()
		if s.i >= len(s.data) {
			return false
		}
		switch s.data[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			s.name = s.name[:base]
			return true
		default:
			return false
		}
	}
}

// scalarOrList scans a string, number, literal or array of those.
func (s *ecsFast) scalarOrList() (any, bool) {
	if s.i < len(s.data) && s.data[s.i] == '[' {
		s.i++
		list := []any{}
		s.ws()
		if s.i < len(s.data) && s.data[s.i] == ']' {
			s.i++
			return list, true
		}
		for {
			s.ws()
			v, ok := s.scalar()
			if !ok {
				return nil, false
			}
			list = append(list, v)
			s.ws()
			if s.i >= len(s.data) {
				return nil, false
			}
			switch s.data[s.i] {
			case ',':
				s.i++
			case ']':
				s.i++
				return list, true
			default:
				return nil, false
			}
		}
	}
	return s.scalar()
}

// scalar scans a string, number, true, false or null.
func (s *ecsFast) scalar() (any, bool) {
	if s.i >= len(s.data) {
		return nil, false
	}
	switch c := s.data[s.i]; {
	case c == '"':
		return s.str()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case s.word("true"):
		return true, true
	case s.word("false"):
		return false, true
	case s.word("null"):
		return nil, true
	}
	return nil, false
}

func (s *ecsFast) word(w string) bool {
	if len(s.data)-s.i >= len(w) && string(s.data[s.i:s.i+len(w)]) == w {
		s.i += len(w)
		return true
	}
	return false
}

// str scans a string of ASCII text; of the escapes it decodes only the
// one-letter ones (\\ \" \/ \b \f \n \r \t), not \u.
func (s *ecsFast) str() (string, bool) {
	if s.i >= len(s.data) || s.data[s.i] != '"' {
		return "", false
	}
	start := s.i + 1
	for j := start; j < len(s.data); j++ {
		switch c := s.data[j]; {
		case c == '"':
			s.i = j + 1
			return string(s.data[start:j]), true
		case c == '\\':
			return s.escaped(start)
		case c < 0x20 || c >= 0x80:
			return "", false
		}
	}
	return "", false
}

// escaped scans the rest of a string that has escapes, from its start.
func (s *ecsFast) escaped(start int) (string, bool) {
	buf := make([]byte, 0, 64)
	for j := start; j < len(s.data); j++ {
		c := s.data[j]
		switch {
		case c == '"':
			s.i = j + 1
			return string(buf), true
		case c < 0x20 || c >= 0x80:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			continue
		}
		j++
		if j >= len(s.data) {
			return "", false
		}
		switch s.data[j] {
		case '"', '\\', '/':
			buf = append(buf, s.data[j])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		default:
			return "", false
		}
	}
	return "", false
}

// number scans a JSON number (RFC 8259 grammar) into a json.Number.
func (s *ecsFast) number() (any, bool) {
	d, j := s.data, s.i
	if j < len(d) && d[j] == '-' {
		j++
	}
	switch {
	case j < len(d) && d[j] == '0':
		j++
	case j < len(d) && '1' <= d[j] && d[j] <= '9':
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
	default:
		return nil, false
	}
	if j < len(d) && d[j] == '.' {
		j++
		k := j
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
		j++
		if j < len(d) && (d[j] == '+' || d[j] == '-') {
			j++
		}
		k := j
		for j < len(d) && '0' <= d[j] && d[j] <= '9' {
			j++
		}
		if j == k {
			return nil, false
		}
	}
	n := json.Number(string(d[s.i:j]))
	s.i = j
	return n, true
}
