package misp

import (
	"sort"
	"strings"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// scoNode is one SCO while an observable is turned into objects: its
// fields hold plain values, dictionaries (map[string]any), lists ([]any)
// and the SCOs its _ref and _refs properties point at (*scoNode).
type scoNode struct {
	typ    string
	fields map[string]any
}

func newNode(typ string) *scoNode { return &scoNode{typ: typ, fields: map[string]any{}} }

// nodes places every assertion of o on a tree of SCOs. An assertion that
// contradicts what the tree holds (a second value for the same property)
// starts another root SCO of the same type.
func (o *observable) nodes() []*scoNode {
	roots := []*scoNode{newNode(o.root)}
	for _, a := range o.as {
		placed := false
		for _, r := range roots {
			if place(r.fields, a.steps, a.val) {
				placed = true
				break
			}
		}
		if !placed {
			r := newNode(o.root)
			place(r.fields, a.steps, a.val)
			roots = append(roots, r)
		}
	}
	return roots
}

// place sets the value at steps below m, creating what is missing. It
// returns false, changing nothing, when a property on the way already
// holds another value.
func place(m map[string]any, steps []step, v value) bool {
	s := steps[0]
	if len(steps) == 1 {
		jv := v.json()
		if s.list {
			l, _ := m[s.name].([]any)
			for _, e := range l {
				if e == jv {
					return true
				}
			}
			m[s.name] = append(l, jv)
			return true
		}
		if old, ok := m[s.name]; ok {
			return isScalar(old) && old == jv
		}
		m[s.name] = jv
		return true
	}
	var child any
	if s.list {
		l, _ := m[s.name].([]any)
		if s.idx < len(l) {
			child = l[s.idx]
		} else {
			child = newChild(s)
			m[s.name] = append(l, child)
		}
	} else if old, ok := m[s.name]; ok {
		child = old
	} else {
		child = newChild(s)
		m[s.name] = child
	}
	switch c := child.(type) {
	case *scoNode:
		return c.typ == s.ref && place(c.fields, steps[1:], v)
	case map[string]any:
		return place(c, steps[1:], v)
	}
	return false
}

func newChild(s step) any {
	if s.ref != "" {
		return newNode(s.ref)
	}
	return map[string]any{}
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, int64, bool:
		return true
	}
	return false
}

// materialize adds the SCOs of o to the conversion, marked tlp, and
// returns their ids, each root before the SCOs it refers to. key names the
// MISP construct, for the ids of SCOs that have no ID contributing
// properties. dropped counts roots that could not be valid SCOs (a second
// network-traffic holding only a port).
func (c *converter) materialize(o *observable, key string, tlp stix.TLP) (ids []string, dropped int) {
	for _, r := range o.nodes() {
		if r.typ == "network-traffic" && r.fields["src_ref"] == nil && r.fields["dst_ref"] == nil {
			dropped++
			continue
		}
		var refs []string
		ids = append(ids, c.emitNode(r, key, tlp, &refs))
		ids = append(ids, refs...)
	}
	return dedupe(ids), dropped
}

// emitNode adds the SCO of n (and first those it refers to, appending
// their ids to refs) and returns its id.
func (c *converter) emitNode(n *scoNode, key string, tlp stix.TLP, refs *[]string) string {
	names := make([]string, 0, len(n.fields))
	for k := range n.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	o := &object{typ: n.typ, sco: true}
	for _, k := range names {
		o.props = append(o.props, prop{k, c.resolve(n.fields[k], key, tlp, refs)})
	}
	finish(o)
	o.id = c.scoID(o, key)
	o.tlp = tlp
	return c.add(o).id
}

// resolve replaces the SCO nodes inside v by their ids.
func (c *converter) resolve(v any, key string, tlp stix.TLP, refs *[]string) any {
	switch v := v.(type) {
	case *scoNode:
		id := c.emitNode(v, key, tlp, refs)
		*refs = append(*refs, id)
		return id
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = c.resolve(e, key, tlp, refs)
		}
		return out
	case map[string]any:
		names := make([]string, 0, len(v))
		for k := range v {
			names = append(names, k)
		}
		sort.Strings(names)
		out := make(map[string]any, len(v))
		for _, k := range names {
			out[k] = c.resolve(v[k], key, tlp, refs)
		}
		return out
	}
	return v
}

// finish adds the properties an SCO type requires that the assertions do
// not give: a network-traffic's protocols (section 6.12; from the address
// types of its ends, else tcp) and an email-message's is_multipart
// (section 6.6).
func finish(o *object) {
	switch o.typ {
	case "network-traffic":
		if _, ok := o.get("protocols"); ok {
			return
		}
		var protos []any
		for _, end := range []string{"src_ref", "dst_ref"} {
			v, _ := o.get(end)
			id, _ := v.(string)
			switch {
			case strings.HasPrefix(id, "ipv4-addr--") && !containsAny(protos, "ipv4"):
				protos = append(protos, "ipv4")
			case strings.HasPrefix(id, "ipv6-addr--") && !containsAny(protos, "ipv6"):
				protos = append(protos, "ipv6")
			}
		}
		if len(protos) == 0 {
			protos = []any{"tcp"}
		}
		o.set("protocols", protos)
	case "email-message":
		_, multi := o.get("body_multipart")
		o.set("is_multipart", multi)
	}
}

func containsAny(l []any, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// scoID returns the id of an SCO: the deterministic UUIDv5 of its ID
// contributing properties (STIX 2.1 section 2.9), computed by
// stix.DeterministicID so that the rule lives in one place, or, for an SCO
// without any (an email-message holding only recipients), a UUIDv5 of the
// MISP construct and the SCO's content.
func (c *converter) scoID(o *object, key string) string {
	c.buf.Reset()
	o.marshal(&c.buf)
	content := c.buf.String()
	if id, ok := c.scoIDs[content]; ok {
		return id
	}
	if so, err := stix.ParseObject(c.buf.Bytes()); err == nil {
		if id, ok, err := stix.DeterministicID(so); err == nil && ok {
			c.scoIDs[content] = id
			return id
		}
	}
	return convert.ID(format, o.typ, key+"\x00"+content)
}

// dedupe removes repeated strings, keeping the first of each.
func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
