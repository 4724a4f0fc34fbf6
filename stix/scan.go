package stix

import (
	"encoding/json"
	"unicode/utf8"
)

// A small scanner and decoder for JSON that json.Valid has already
// accepted. It splits objects and arrays without copying and decodes values
// into the same Go values as encoding/json with UseNumber, at a fraction of
// the cost; the differential fuzz test holds it to encoding/json's results.

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string that starts at data[i].
func skipString(data []byte, i int) int {
	for i++; i < len(data); {
		switch data[i] {
		case '\\':
			i += 2
		case '"':
			return i + 1
		default:
			i++
		}
	}
	return i
}

// skipValue returns the index just past the value that starts at data[i].
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// decodeString decodes the JSON string data[i:end], end being the index
// just past its closing quote.
func decodeString(s []byte) string {
	body := s[1 : len(s)-1]
	for _, c := range body {
		if c == '\\' || c < 0x20 {
			return decodeStringSlow(s)
		}
	}
	if !utf8.Valid(body) { // encoding/json replaces invalid UTF-8 with U+FFFD
		return decodeStringSlow(s)
	}
	return string(body)
}

// decodeKey is decodeString for an object's key: the property names of
// STIX 2.1 are returned from a table instead of allocated anew, for every
// property of every object parsed.
func decodeKey(s []byte) string {
	if k, ok := knownKeys[string(s[1:len(s)-1])]; ok {
		return k
	}
	return decodeString(s)
}

// knownKeys holds every property name the type definitions know.
var knownKeys = func() map[string]string {
	keys := map[string]string{}
	add := func(ps props) {
		for k := range ps {
			keys[k] = k
		}
	}
	for _, d := range registry {
		add(d.all)
		for _, ext := range d.extensions {
			add(ext)
		}
	}
	for _, ps := range []props{sdoCommon, scoCommon, externalReference, killChainPhase, granularMarking} {
		add(ps)
	}
	return keys
}()

func decodeStringSlow(s []byte) string {
	var out string
	_ = json.Unmarshal(s, &out)
	return out
}

// eachMember calls fn with the key and raw value of every member of the
// object that starts at data[i]; it returns the index past the object.
func eachMember(data []byte, i int, fn func(key string, val []byte)) int {
	i = skipWS(data, i+1) // past '{'
	for i < len(data) && data[i] != '}' {
		kEnd := skipString(data, i)
		key := decodeKey(data[i:kEnd])
		i = skipWS(data, kEnd)
		i = skipWS(data, i+1) // past ':'
		vEnd := skipValue(data, i)
		fn(key, data[i:vEnd])
		i = skipWS(data, vEnd)
		if i < len(data) && data[i] == ',' {
			i = skipWS(data, i+1)
		}
	}
	return i + 1
}

// eachElement calls fn with every raw element of the array that starts at
// data[i]; it returns the index past the array.
func eachElement(data []byte, i int, fn func(val []byte)) int {
	i = skipWS(data, i+1) // past '['
	for i < len(data) && data[i] != ']' {
		vEnd := skipValue(data, i)
		fn(data[i:vEnd])
		i = skipWS(data, vEnd)
		if i < len(data) && data[i] == ',' {
			i = skipWS(data, i+1)
		}
	}
	return i + 1
}

// decodeValue decodes the valid JSON value v like encoding/json with
// UseNumber: map[string]any, []any, string, json.Number, bool or nil.
// Duplicate keys keep the last value, as encoding/json does.
func decodeValue(v []byte) any {
	switch v[0] {
	case '{':
		m := make(map[string]any)
		eachMember(v, 0, func(key string, val []byte) { m[key] = decodeValue(val) })
		return m
	case '[':
		a := make([]any, 0, 4)
		eachElement(v, 0, func(val []byte) { a = append(a, decodeValue(val)) })
		return a
	case '"':
		return decodeString(v)
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	}
	return json.Number(string(v))
}
