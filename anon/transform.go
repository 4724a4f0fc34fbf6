package anon

import (
	"strconv"
	"strings"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// transform applies rules 3 to 6 to one kept object.
func (a *anonymiser) transform(o *stix.Object) (*stix.Object, error) {
	orig := o.ID()
	cls, ok := a.class[orig]
	if !ok {
		cls = classOf(o)
	}
	known := wellKnown(orig)
	pub := a.newID[orig]
	v, _ := o.Value()
	ctx := &objContext{a: a, pubID: pub, sco: cls == stix.ClassSCO, noRedact: cls == stix.ClassSCO || known, wellKnown: known}
	w, err := ctx.walk(v, "", "", false)
	if err != nil {
		return nil, err
	}
	m, _ := w.(map[string]any)
	if m == nil {
		return nil, isachub.Errorf(isachub.EINVALID, "Object %s is not a JSON object.", orig)
	}
	if pub != "" {
		m["id"] = pub
	}
	if cls != stix.ClassSCO && !known { // rule 4
		m["created_by_ref"] = a.cfg.CommunityIdentity
	}
	data, err := encode(m)
	if err != nil {
		return nil, isachub.Errorf(isachub.EINVALID, "Object %s cannot be encoded after anonymisation: %v.", orig, err)
	}
	out, err := stix.ParseObject(data)
	if err != nil {
		return nil, isachub.Errorf(isachub.EINVALID, "Object %s cannot be parsed after anonymisation: %v.", orig, err)
	}
	if in := pattern.Validate(o); in.Valid() {
		if res := pattern.Validate(out); !res.Valid() {
			is := res.Errors[0]
			return nil, isachub.Errorf(isachub.EINVALID,
				"Anonymising object %s would make it invalid: %s %s. Take your declared item out of that property, or publish this object under your own name.",
				orig, pathOrObject(is.Path), is.Message)
		}
	}
	return out, nil
}

func pathOrObject(p string) string {
	if p == "" {
		return "the object"
	}
	return p
}

// objContext is the walk over one object's properties.
type objContext struct {
	a         *anonymiser
	pubID     string
	sco       bool // the object is an observation: its properties are facts
	noRedact  bool // SCOs and well-known TLP objects are not redacted
	wellKnown bool // no warnings about references of well-known objects
	quiet     bool // no warnings at all (while SCO ids are computed)
}

// walk rewrites v (rules 3 and 5). key is the property that holds v (the
// list's property for its elements) and protected says that v lies in a
// value that is published as is (hashes, observed-data objects).
func (c *objContext) walk(v any, path, key string, protected bool) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for _, k := range sortedKeys(v) {
			nk := c.key(k)
			if _, dup := out[nk]; dup {
				return nil, isachub.Errorf(isachub.EINVALID, "Two properties of object %s at %s become the same name, %q, when identifiers are replaced.", c.pubID, pathOrObject(path), nk)
			}
			p := joinPath(path, nk)
			if m, ok := c.a.rules.first(nk); ok {
				c.warn(p, "the property name "+nk+" contains your declared "+m.kind+" "+m.item+"; property names are published as is")
			}
			prot := protected || k == "hashes" || (path == "" && k == "objects")
			e, err := c.walk(v[k], p, k, prot)
			if err != nil {
				return nil, err
			}
			out[nk] = e
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(v))
		for i, e := range v {
			w, err := c.walk(e, path+"["+strconv.Itoa(i)+"]", key, protected)
			if err != nil {
				return nil, err
			}
			out = append(out, w)
		}
		if strings.HasSuffix(key, "_refs") {
			out = dedupeStrings(out)
		}
		return out, nil
	case string:
		return c.str(v, path, key, protected), nil
	}
	return v, nil
}

// str rewrites one string value.
func (c *objContext) str(s, path, key string, protected bool) string {
	a := c.a
	if a.submitter[s] {
		if key == "created_by_ref" {
			return a.cfg.CommunityIdentity
		}
		return a.cfg.SectorIdentity
	}
	out, ok := a.newID[s]
	if !ok {
		out = a.rewriteText(s)
		if isRefKey(key) && out == s && !a.own[s] && !wellKnown(s) {
			c.warn(path, "refers to "+s+", which is not in this submission: it is published unchanged and may point at something your organisation published under its own name")
		}
	}
	if isRefKey(key) || structural(key) || isTimestamp(out) {
		return out
	}
	if c.noRedact || protected || notFreeText(key) {
		if m, ok := a.rules.first(out); ok && !c.wellKnown {
			why := "it is not free text"
			if c.sco {
				why = "observations are published as observed; leave the object out if it must not be shared"
			}
			c.warn(path, "the "+pathOrObject(path)+" contains your declared "+m.kind+" "+m.item+"; it is published as is because "+why)
		}
		return out
	}
	red, _ := a.rules.Redact(out)
	return red
}

// key rewrites a property name that is or contains an identifier (the
// extension-definition ids that key extensions, section 7.3).
func (c *objContext) key(k string) string {
	if n, ok := c.a.newID[k]; ok {
		return n
	}
	return c.a.rewriteText(k)
}

func (c *objContext) warn(path, msg string) {
	if c.quiet || c.wellKnown {
		return
	}
	c.a.warnings = append(c.a.warnings, Warning{ObjectID: c.pubID, Path: path, Message: msg})
}

// rewriteText replaces, inside free text, every original id with its
// published id and every submitter identity with "[REDACTED]". A UUID is
// recognised with or without its "<type>--" prefix, in any case.
func (a *anonymiser) rewriteText(s string) string {
	if len(s) < 36 {
		return a.redactOddSubmitters(s)
	}
	var b strings.Builder
	pos := 0
	eachUUID(s, func(i int) {
		if i < pos {
			return // overlaps a UUID already replaced
		}
		lu := asciiLower(s[i : i+36])
		refs := a.byUUID[lu]
		var ref idRef
		found := false
		for _, r := range refs {
			if prefixed(s, i, r.typ) {
				ref, found = r, true
				break
			}
		}
		if types, ok := a.subUUID[lu]; ok && !found {
			start := i
			for _, typ := range types {
				if prefixed(s, i, typ) {
					start = i - len(typ) - 2
					break
				}
			}
			start = max(start, pos)
			b.WriteString(s[pos:start])
			b.WriteString(Redacted)
			pos = i + 36
			return
		}
		if len(refs) == 0 {
			return
		}
		if !found {
			ref = refs[0]
		}
		n := a.newID[ref.id]
		if n == "" {
			return
		}
		_, nu, _ := stix.SplitID(n)
		b.WriteString(s[pos:i])
		b.WriteString(nu)
		pos = i + 36
	})
	if pos == 0 {
		return a.redactOddSubmitters(s)
	}
	b.WriteString(s[pos:])
	return a.redactOddSubmitters(b.String())
}

// redactOddSubmitters redacts the submitter ids that have no UUID to
// recognise them by.
func (a *anonymiser) redactOddSubmitters(s string) string {
	for _, id := range a.oddSubmitters {
		if strings.Contains(s, id) {
			s = strings.ReplaceAll(s, id, Redacted)
		}
	}
	return s
}

func isRefKey(k string) bool { return strings.HasSuffix(k, "_ref") || strings.HasSuffix(k, "_refs") }

// structural names the properties whose values are identifiers, names of
// types or properties, or timestamps: neither redacted nor reported.
func structural(k string) bool {
	switch k {
	case "id", "type", "spec_version", "created", "modified", "selectors":
		return true
	}
	return false
}

// notFreeText names the properties that are published as is, with a
// warning when they hold a declared item.
func notFreeText(k string) bool {
	switch k {
	case "pattern", "pattern_type", "pattern_version":
		return true
	}
	return false
}

// isTimestamp reports whether s is a STIX timestamp (section 3.2).
func isTimestamp(s string) bool {
	if len(s) < 20 || len(s) > 40 || s[len(s)-1] != 'Z' {
		return false
	}
	_, err := stix.ParseTimestamp(s)
	return err == nil
}

func dedupeStrings(list []any) []any {
	seen := map[string]bool{}
	out := list[:0]
	for _, e := range list {
		if s, ok := e.(string); ok {
			if seen[s] {
				continue
			}
			seen[s] = true
		}
		out = append(out, e)
	}
	return out
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
