package misp

import (
	"bytes"
	"slices"
	"sort"
	"strconv"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// object is one STIX 2.1 object under construction. Its JSON is written in
// a fixed order (type, spec_version, id, created_by_ref, created, modified,
// the type's own properties in the order set, labels, external_references,
// object_marking_refs), so that converting the same input twice gives the
// same bytes.
type object struct {
	typ, id           string
	sco               bool
	createdBy         string
	created, modified string
	props             []prop
	labels            []string
	extRefs           []extRef
	tlp               stix.TLP // written as object_marking_refs (section 7.2.1)
}

type prop struct {
	key string
	val any // string, int64, bool, []string, []any, map[string]any, []killChain
}

// extRef is an external reference (STIX 2.1 section 2.5).
type extRef struct {
	source, description, url, externalID string
}

// killChain is a kill-chain phase (section 2.8).
type killChain struct{ chain, phase string }

// set sets property key, replacing an earlier value.
func (o *object) set(key string, val any) {
	for i := range o.props {
		if o.props[i].key == key {
			o.props[i].val = val
			return
		}
	}
	o.props = append(o.props, prop{key, val})
}

// get returns property key.
func (o *object) get(key string) (any, bool) {
	for _, p := range o.props {
		if p.key == key {
			return p.val, true
		}
	}
	return nil, false
}

// merge folds a second making of the same object (same id) into o: the
// stricter TLP wins, so an SCO that two attributes share is marked as the
// more restricted of them; an SCO gains the properties and references only
// the second had (a domain-name from a domain attribute and from a
// domain|ip attribute gets the resolves_to_refs of the latter); labels are
// united.
func (o *object) merge(n *object) {
	o.tlp = max(o.tlp, n.tlp)
	for _, l := range n.labels {
		if !slices.Contains(o.labels, l) {
			o.labels = append(o.labels, l)
		}
	}
	if !o.sco {
		return
	}
	for _, p := range n.props {
		if old, ok := o.get(p.key); ok {
			o.set(p.key, mergeValue(old, p.val))
		} else {
			o.props = append(o.props, p)
		}
	}
}

// mergeValue unites two values of one SCO property: dictionaries key by
// key, lists element by element; for anything else the first stays.
func mergeValue(a, b any) any {
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			out := make(map[string]any, len(a)+len(b))
			for k, v := range a {
				out[k] = v
			}
			for k, v := range b {
				if old, ok := out[k]; ok {
					out[k] = mergeValue(old, v)
				} else {
					out[k] = v
				}
			}
			return out
		}
	case []any:
		if b, ok := b.([]any); ok {
			out := slices.Clone(a)
			for _, e := range b {
				if s, isStr := e.(string); isStr {
					if !slices.ContainsFunc(out, func(x any) bool { return x == s }) {
						out = append(out, s)
					}
				}
			}
			return out
		}
	}
	return a
}

// marshal writes the object's JSON to b.
func (o *object) marshal(b *bytes.Buffer) {
	b.WriteString(`{"type":`)
	writeString(b, o.typ)
	b.WriteString(`,"spec_version":"2.1"`)
	if o.id != "" {
		b.WriteString(`,"id":`)
		writeString(b, o.id)
	}
	if o.createdBy != "" {
		b.WriteString(`,"created_by_ref":`)
		writeString(b, o.createdBy)
	}
	if !o.sco {
		b.WriteString(`,"created":`)
		writeString(b, o.created)
		b.WriteString(`,"modified":`)
		writeString(b, o.modified)
	}
	for _, p := range o.props {
		b.WriteByte(',')
		writeString(b, p.key)
		b.WriteByte(':')
		writeValue(b, p.val)
	}
	if len(o.labels) > 0 {
		b.WriteString(`,"labels":`)
		writeValue(b, o.labels)
	}
	if len(o.extRefs) > 0 {
		b.WriteString(`,"external_references":[`)
		for i, r := range o.extRefs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"source_name":`)
			writeString(b, r.source)
			for _, kv := range [][2]string{{"description", r.description}, {"url", r.url}, {"external_id", r.externalID}} {
				if kv[1] != "" {
					b.WriteString(`,"` + kv[0] + `":`)
					writeString(b, kv[1])
				}
			}
			b.WriteByte('}')
		}
		b.WriteByte(']')
	}
	if id := stix.TLPMarkingID(o.tlp); id != "" {
		b.WriteString(`,"object_marking_refs":[`)
		writeString(b, id)
		b.WriteByte(']')
	}
	b.WriteByte('}')
}

// writeValue writes one property value as JSON; dictionaries with their
// keys sorted.
func writeValue(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case string:
		writeString(b, v)
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case int:
		b.WriteString(strconv.Itoa(v))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case []string:
		b.WriteByte('[')
		for i, s := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, s)
		}
		b.WriteByte(']')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeValue(b, v[k])
		}
		b.WriteByte('}')
	case []killChain:
		b.WriteByte('[')
		for i, k := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"kill_chain_name":`)
			writeString(b, k.chain)
			b.WriteString(`,"phase_name":`)
			writeString(b, k.phase)
			b.WriteByte('}')
		}
		b.WriteByte(']')
	default:
		b.WriteString("null")
	}
}

// writeString writes s as a JSON string (convert.AppendString).
func writeString(b *bytes.Buffer, s string) { b.Write(convert.AppendString(b.AvailableBuffer(), s)) }
