package pattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// LoadObservations reads observations from JSON in any of the shapes feeds
// send them:
//
//   - a STIX 2.1 bundle (or TAXII envelope, or plain array of objects) whose
//     observed-data objects list their SCOs in object_refs, the SCOs being in
//     the same bundle (STIX 2.1 section 4.1, observed-data);
//   - STIX 2.0-style observed-data with an embedded "objects" dictionary
//     (deprecated in 2.1 but still common), alone or in an array;
//   - a JSON array whose elements are any mix of the above: each bundle is
//     resolved on its own, loose objects are resolved together.
//
// The observations come back in input order. It fails with an error naming
// the observed-data id when first_observed, last_observed or number_observed
// is missing or malformed, or when an object_refs entry is not in the input.
func LoadObservations(data []byte) ([]*Observation, error) {
	doc, err := stix.ParseDocument(data)
	if err != nil {
		return nil, err
	}
	var loose []*stix.Object
	var out []*Observation
	for _, it := range doc.Items {
		if it.Err != nil {
			return nil, it.Err
		}
		if doc.Kind == stix.KindArray && it.Object.Type() == "bundle" {
			inner, err := stix.Parse(it.Object.Raw())
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.Path, err)
			}
			obs, err := ObservationsFromObjects(inner)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.Path, err)
			}
			out = append(out, obs...)
			continue
		}
		loose = append(loose, it.Object)
	}
	if len(loose) > 0 {
		obs, err := ObservationsFromObjects(loose)
		if err != nil {
			return nil, err
		}
		out = append(out, obs...)
	}
	return out, nil
}

// ObservationsFromObjects turns every observed-data in objs into an
// Observation. SCOs named by object_refs are looked up among objs; SCOs that
// those reference in turn (through *_ref and *_refs properties) are added
// too when they are in objs, so that paths such as
// network-traffic:dst_ref.value resolve. An observed-data with an embedded
// "objects" dictionary (STIX 2.0, deprecated in 2.1) uses that instead.
func ObservationsFromObjects(objs []*stix.Object) ([]*Observation, error) {
	pool := make(map[string]*stix.Object, len(objs))
	for _, o := range objs {
		if o.ID() != "" && o.Type() != "observed-data" {
			pool[o.ID()] = o
		}
	}
	var out []*Observation
	for _, o := range objs {
		if o.Type() != "observed-data" {
			continue
		}
		ob, err := observationFrom(o, pool)
		if err != nil {
			return nil, err
		}
		out = append(out, ob)
	}
	return out, nil
}

// observationFrom builds one Observation from an observed-data object.
func observationFrom(o *stix.Object, pool map[string]*stix.Object) (*Observation, error) {
	name := o.ID()
	if name == "" {
		name = "(observed-data without an id)"
	}
	v, err := o.Value()
	if err != nil {
		return nil, fmt.Errorf("observed-data %s: %w", name, err)
	}
	ob := &Observation{ID: o.ID()}
	if ob.FirstObserved, err = timestampProp(v, "first_observed"); err != nil {
		return nil, fmt.Errorf("observed-data %s: %w", name, err)
	}
	if ob.LastObserved, err = timestampProp(v, "last_observed"); err != nil {
		return nil, fmt.Errorf("observed-data %s: %w", name, err)
	}
	if ob.LastObserved.Before(ob.FirstObserved) {
		return nil, fmt.Errorf("observed-data %s: last_observed %s is before first_observed %s",
			name, ob.LastObserved.Format(time.RFC3339Nano), ob.FirstObserved.Format(time.RFC3339Nano))
	}
	if ob.NumberObserved, err = numberObserved(v); err != nil {
		return nil, fmt.Errorf("observed-data %s: %w", name, err)
	}
	if embedded, ok := v["objects"]; ok {
		if ob.Objects, err = embeddedObjects(embedded); err != nil {
			return nil, fmt.Errorf("observed-data %s: %w", name, err)
		}
		return ob, nil
	}
	refsV, ok := v["object_refs"]
	if !ok {
		return nil, fmt.Errorf("observed-data %s: has neither object_refs nor an embedded objects dictionary", name)
	}
	refs, ok := stringList(refsV)
	if !ok || len(refs) == 0 {
		return nil, fmt.Errorf("observed-data %s: object_refs must be a non-empty array of identifiers", name)
	}
	ob.Objects = make(map[string]map[string]any, len(refs))
	var queue []string
	for i, ref := range refs {
		sco, ok := pool[ref]
		if !ok {
			return nil, fmt.Errorf("observed-data %s: object_refs[%d] %q is not in the input", name, i, ref)
		}
		m, err := sco.Value()
		if err != nil {
			return nil, fmt.Errorf("observed-data %s: object %s: %w", name, ref, err)
		}
		ob.Objects[ref] = m
		queue = append(queue, refTargets(m)...)
	}
	// Follow *_ref and *_refs to SCOs that object_refs did not list.
	for len(queue) > 0 {
		ref := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if _, done := ob.Objects[ref]; done {
			continue
		}
		sco, ok := pool[ref]
		if !ok {
			continue // a dangling reference simply does not resolve
		}
		m, err := sco.Value()
		if err != nil {
			return nil, fmt.Errorf("observed-data %s: object %s: %w", name, ref, err)
		}
		ob.Objects[ref] = m
		queue = append(queue, refTargets(m)...)
	}
	return ob, nil
}

// embeddedObjects checks the shape of a STIX 2.0 "objects" dictionary.
func embeddedObjects(v any) (map[string]map[string]any, error) {
	dict, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New(`"objects" must be a dictionary of cyber-observable objects`)
	}
	if len(dict) == 0 {
		return nil, errors.New(`"objects" is empty`)
	}
	out := make(map[string]map[string]any, len(dict))
	for k, sv := range dict {
		sco, ok := sv.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("objects[%q] is not a JSON object", k)
		}
		if t, _ := sco["type"].(string); t == "" {
			return nil, fmt.Errorf("objects[%q] has no type", k)
		}
		out[k] = sco
	}
	return out, nil
}

// refTargets lists the string values of the *_ref and *_refs properties of
// an SCO, at the top level and inside extensions and other dictionaries.
func refTargets(m map[string]any) []string {
	var out []string
	for k, v := range m {
		switch {
		case strings.HasSuffix(k, "_ref"):
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		case strings.HasSuffix(k, "_refs"):
			if ss, ok := stringList(v); ok {
				out = append(out, ss...)
			}
		default:
			if sub, ok := v.(map[string]any); ok {
				out = append(out, refTargets(sub)...)
			}
		}
	}
	return out
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// timestampProp reads a required RFC 3339 timestamp property.
func timestampProp(v map[string]any, name string) (time.Time, error) {
	raw, ok := v[name]
	if !ok {
		return time.Time{}, fmt.Errorf("%s is missing", name)
	}
	s, ok := raw.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%s must be a timestamp string, found %s", name, describe(raw))
	}
	t, err := parseRFC3339(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 timestamp such as 2024-05-01T10:00:00Z", name, s)
	}
	return t, nil
}

// parseRFC3339 parses an RFC 3339 timestamp with optional fractional
// seconds.
func parseRFC3339(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

// numberObserved reads number_observed: an integer from 1 to 999,999,999
// (STIX 2.1 section 4.14).
func numberObserved(v map[string]any) (int, error) {
	raw, ok := v["number_observed"]
	if !ok {
		return 0, errors.New("number_observed is missing")
	}
	n, ok := raw.(json.Number)
	if !ok {
		return 0, fmt.Errorf("number_observed must be an integer, found %s", describe(raw))
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return 0, fmt.Errorf("number_observed must be an integer, found %s", n)
		}
		i = int64(f)
	}
	if i < 1 || i > 999_999_999 {
		return 0, fmt.Errorf("number_observed must be between 1 and 999999999, found %d", i)
	}
	return int(i), nil
}

// describe names the JSON type of a decoded value, for messages.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// decodeJSON decodes one JSON value with json.Number for numbers and fails
// on trailing data.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}
