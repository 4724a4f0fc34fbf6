package pattern

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ecsFields is an ECS event flattened to dotted field names:
// {"source":{"ip":"1.2.3.4"}} and {"source.ip":"1.2.3.4"} both give
// fields["source.ip"] = "1.2.3.4". Arrays stay values.
type ecsFields map[string]any

// flattenECS flattens a decoded JSON object. The same field given twice
// with different values (once dotted, once nested) is an error. groups
// has the bit of each field set (ecsGroupBits) that the event uses, so
// that mappings of absent field sets are skipped.
func flattenECS(m map[string]any) (f ecsFields, groups uint32, err error) {
	f = make(ecsFields, 32)
	for k := range m {
		head, _, _ := strings.Cut(k, ".")
		groups |= ecsGroupBits[head]
	}
	if err := f.add("", m, 0); err != nil {
		return nil, 0, err
	}
	return f, groups, nil
}

// The ECS field sets the mapping reads, one bit each.
const (
	ecsSource uint32 = 1 << iota
	ecsDestination
	ecsNetworkSet
	ecsHostSet
	ecsDNSSet
	ecsURLSet
	ecsFileSet
	ecsProcessSet
	ecsEmailSet
	ecsUserSet
	ecsRegistrySet
	ecsTLSSet
	ecsClient
	ecsServer
)

var ecsGroupBits = map[string]uint32{
	"source": ecsSource, "destination": ecsDestination, "network": ecsNetworkSet,
	"host": ecsHostSet, "dns": ecsDNSSet, "url": ecsURLSet, "file": ecsFileSet,
	"process": ecsProcessSet, "email": ecsEmailSet, "user": ecsUserSet,
	"registry": ecsRegistrySet, "tls": ecsTLSSet, "client": ecsClient, "server": ecsServer,
}

// maxECSDepth bounds nesting so hostile input cannot exhaust the stack.
const maxECSDepth = 32

func (f ecsFields) add(prefix string, m map[string]any, depth int) error {
	if depth > maxECSDepth {
		return fmt.Errorf("field %s: objects nested more than %d deep", prefix, maxECSDepth)
	}
	for k, v := range m {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			if err := f.add(name, sub, depth+1); err != nil {
				return err
			}
			continue
		}
		if old, dup := f[name]; dup && !sameJSON(old, v) {
			return fmt.Errorf("field %s is given twice with different values (once dotted, once nested)", name)
		}
		f[name] = v
	}
	return nil
}

func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// str returns a field that is a string (or the first string of an array of
// strings); ok is false when absent or empty. Numbers are accepted and
// turned into their decimal text. Other types are an error.
func (f ecsFields) str(name string) (string, bool, error) {
	v, ok := f[name]
	if !ok || v == nil {
		return "", false, nil
	}
	switch v := v.(type) {
	case string:
		return v, v != "", nil
	case json.Number:
		return v.String(), true, nil
	case []any:
		ss, err := f.strs(name)
		if err != nil || len(ss) == 0 {
			return "", false, err
		}
		return ss[0], true, nil
	}
	return "", false, fmt.Errorf("field %s must be a string, found %s", name, describe(v))
}

// strs returns a field that is a string or an array of strings, skipping
// empty strings.
func (f ecsFields) strs(name string) ([]string, error) {
	v, ok := f[name]
	if !ok || v == nil {
		return nil, nil
	}
	var list []any
	switch v := v.(type) {
	case []any:
		list = v
	default:
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		switch e := e.(type) {
		case string:
			if e != "" {
				out = append(out, e)
			}
		case json.Number:
			out = append(out, e.String())
		case nil:
		default:
			return nil, fmt.Errorf("field %s[%d] must be a string, found %s", name, i, describe(e))
		}
	}
	return out, nil
}

// integer returns a field that is a non-negative integer, given as a JSON
// number or as a decimal string ("443").
func (f ecsFields) integer(name string) (json.Number, bool, error) {
	v, ok := f[name]
	if !ok || v == nil {
		return "", false, nil
	}
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
		if s == "" {
			return "", false, nil
		}
	default:
		return "", false, fmt.Errorf("field %s must be an integer, found %s", name, describe(v))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return "", false, fmt.Errorf("field %s must be a non-negative integer, found %q", name, s)
	}
	if ixPlainInt(s) {
		return json.Number(s), true, nil // already canonical: no new string
	}
	return json.Number(strconv.FormatInt(n, 10)), true, nil
}

// errNotObject is returned for ECS input that is not a JSON object.
var errNotObject = errors.New("an ECS event must be a JSON object")
