package stix1

import (
	"slices"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// topObservable converts an Observable of stix:Observables. It becomes
// observed-data (STIX 2.1 section 4.14) with its SCOs unless an indicator
// uses it as its pattern; both are made now, and the observed-data waits
// for the end of the input.
func (c *conv) topObservable(parent *cctx, n *node) {
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "observable", "")
	id := n.attr("id")
	ce := &cached{}
	c.topID = id
	defer func() { c.topID = "" }()
	ce.entries = c.collect(func() {
		if e := c.obsExpr(ctx, n); e != nil {
			if text, compound, ok, wait := c.render(e, false, &renderState{}); ok && !wait {
				ce.expr = paren(text, compound)
			}
		}
	})
	if id != "" {
		size := len(id) + len(ce.expr) + exprOverhead
		for _, e := range ce.entries {
			size += len(e.path) + 64
		}
		if c.cached+size <= maxCache {
			c.cache[id] = ce
			c.cached += size
		}
	}
	ce.path, ce.pkg = n.path(), ctx.pkg
	unuse(n)
	ce.instEntries = c.collect(func() { ce.objs = c.observedData(ctx, n, key) })
	if len(ce.objs) == 0 {
		c.replay(ce.instEntries)
		ce.instEntries = nil
		return
	}
	ce.held = true
	for _, o := range ce.objs {
		ce.size += len(o)
	}
	c.heldQ = append(c.heldQ, ce)
	c.heldBytes += ce.size
	for c.heldBytes > maxHeld {
		if !c.sendOldest() {
			break
		}
	}
}

// unuse clears the read marks of a subtree, to read it a second time.
func unuse(n *node) {
	n.used = false
	for _, k := range n.kids {
		unuse(k)
	}
}

// sendOldest sends the observed data held longest.
func (c *conv) sendOldest() bool {
	for c.heldHead < len(c.heldQ) {
		ce := c.heldQ[c.heldHead]
		c.heldQ[c.heldHead] = nil
		c.heldHead++
		if ce.held {
			c.sendHeld(ce)
			return true
		}
	}
	return false
}

// flushObservables sends the observed data of every top-level observable
// that no indicator used, in the order read.
func (c *conv) flushObservables() {
	for c.sendOldest() {
	}
	c.heldQ, c.heldHead = nil, 0
}

func (c *conv) sendHeld(ce *cached) {
	ce.held = false
	ce.sent = true
	c.heldBytes -= ce.size
	c.replay(ce.instEntries)
	for _, o := range ce.objs {
		c.emit(o, ce.path, "observable", ce.pkg)
	}
	c.count("observable")
	ce.objs, ce.instEntries = nil, nil
}

// consume marks a cached expression used by an indicator: its report is
// written, and a top-level observable's observed-data is not sent.
func (c *conv) consume(ce *cached) {
	if !ce.used {
		ce.used = true
		c.replay(ce.entries)
		ce.entries = nil
	}
	switch {
	case ce.held:
		ce.held = false
		c.heldBytes -= ce.size
		ce.objs, ce.instEntries = nil, nil
	case ce.sent && ce.path != "":
		c.approx(ce.path, "observable", "the observable was sent as observed-data before an indicator used it as its pattern (too much was held back)")
		ce.path = ""
	}
}

// inlineObservable converts an observable inside another construct (an
// incident's Related_Observables) to observed-data now.
func (c *conv) inlineObservable(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kObservable, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "observable", "")
	objs := c.observedData(ctx, n, key)
	if len(objs) == 0 {
		return nil, true
	}
	for _, o := range objs {
		c.emit(o, n.path(), "observable", ctx.pkg)
	}
	c.count("observable")
	return []string{convert.ID("stix1", "observed-data", key)}, true
}

// observedData makes the SCOs of an observable and the observed-data that
// holds them: number_observed 1, first and last observed the package
// time, which a STIX 1.x observable does not give.
func (c *conv) observedData(ctx *cctx, n *node, key string) [][]byte {
	var objs []*cyObj
	var walk func(o *node)
	walk = func(o *node) {
		if isRef(o) {
			c.skip(o.path(), "observable", "an observable or object referenced by idref is not copied into observed-data; not converted")
			return
		}
		if comp := o.kid("Observable_Composition"); comp != nil {
			c.approx(comp.path(), "observable", "observed-data has no composition: the objects of the "+comp.attr("operator")+" composition are observed together")
			for _, k := range comp.all("Observable") {
				walk(k)
			}
			c.rest(comp, "observable")
		}
		if obj := o.kid("Object"); obj != nil {
			c.instanceObject(obj, key, &objs)
		}
		if ev := o.kid("Event"); ev != nil {
			ev.useAll()
			c.skip(ev.path(), "observable", "a CybOX Event has no STIX 2.1 equivalent; not converted")
		}
		c.rest(o, "observable")
	}
	walk(n)
	var raws [][]byte
	var ids []string
	for _, o := range objs {
		c.renderSCO(o.root, ctx, &raws, &ids, o.construct)
	}
	if len(ids) == 0 {
		c.skip(n.path(), "observable", "no STIX 2.1 cyber-observable object could be made of it; not converted")
		return nil
	}
	d := newDraft("observed-data", convert.ID("stix1", "observed-data", key), n.path(), "observable", ctx.pkg)
	c.common(d, ctx)
	first := ctx.pkg.ctx.created
	d.str("first_observed", first)
	d.str("last_observed", first)
	d.set("number_observed", jint(1))
	d.strs("object_refs", ids)
	c.finish(d, ctx)
	raw, _, _ := d.render(true)
	c.approx(n.path(), "observable", "a STIX 1.x observable says neither how often nor when it was observed: number_observed is 1, first_observed and last_observed the package time")
	return append(raws, raw)
}

// instanceObject reads a cybox:Object and its Related_Objects as SCOs.
func (c *conv) instanceObject(obj *node, key string, out *[]*cyObj) {
	if isRef(obj) {
		c.skip(obj.path(), "observable", "an object referenced by idref is not copied into observed-data; not converted")
		return
	}
	c.saw(obj.attr("id"))
	o := c.readObject(obj, true, key+"/"+obj.path())
	if o != nil {
		*out = append(*out, o)
		c.count(o.construct)
	}
	if rel := obj.kid("Related_Objects"); rel != nil {
		for _, r := range rel.all("Related_Object") {
			if o != nil && o.consumed[r] {
				continue
			}
			c.approx(r.path(), "observable", "the relationship "+quoteText(vocabText(r.kid("Relationship")))+" between related objects is lost: the related object is one more object of the observed-data")
			c.instanceObject(r, key, out)
		}
		c.rest(rel, "observable")
	}
	c.rest(obj, "observable")
}

// renderSCO writes the SCO s after the SCOs it refers to (whose ids it
// needs), appending each valid one to raws and its id to ids, and returns
// the id of s, or "" when it is not made. Ids are deterministic (STIX 2.1
// section 2.9, stix.DeterministicID); for types without ID contributing
// properties (process) they derive from the observable's id.
func (c *conv) renderSCO(s *sco, ctx *cctx, raws *[][]byte, ids *[]string, construct string) string {
	if s == nil || s.typ == "" {
		return ""
	}
	body, ok := c.scoBody(s.m, ctx, raws, ids, construct)
	if !ok || body == nil {
		c.skip(s.path, construct, "the "+s.typ+" has no property left; not made")
		return ""
	}
	head := func(id string) []byte {
		b := append([]byte(nil), `{"type":`...)
		b = convert.AppendString(b, s.typ)
		b = append(b, `,"spec_version":"2.1","id":`...)
		b = convert.AppendString(b, id)
		b = append(b, ',')
		b = append(b, body[1:len(body)-1]...)
		if refs := ctx.marks.refs(); len(refs) > 0 {
			b = append(b, `,"object_marking_refs":`...)
			b = append(b, jstrs(refs)...)
		}
		return append(b, '}')
	}
	id := ""
	if o, err := stix.ParseObject(head(s.typ + "--00000000-0000-4000-8000-000000000000")); err == nil {
		if det, ok, err := stix.DeterministicID(o); err == nil && ok {
			id = det
		}
	}
	if id == "" {
		id = convert.ID("stix1", s.typ, s.seed)
	}
	raw := head(id)
	o, err := stix.ParseObject(raw)
	if err != nil {
		return ""
	}
	if res := pattern.Validate(o); !res.Valid() {
		e := res.Errors[0]
		c.skip(s.path, construct, "the STIX 2.1 "+s.typ+" made from it would not be valid ("+e.Path+": "+e.Message+"); not made")
		return ""
	}
	if !slices.Contains(*ids, id) {
		*raws = append(*raws, raw)
		*ids = append(*ids, id)
	}
	return id
}

// scoBody writes the properties of an SCO (or a dictionary in it) as a
// JSON object, rendering the SCOs it refers to first; nil when empty.
func (c *conv) scoBody(m *jmap, ctx *cctx, raws *[][]byte, ids *[]string, construct string) ([]byte, bool) {
	var o jobj
	n := 0
	for i, k := range m.keys {
		v := c.scoValue(m.vals[i], ctx, raws, ids, construct)
		if v == nil {
			continue
		}
		o.raw(k, v)
		n++
	}
	if n == 0 {
		return nil, true
	}
	return o.bytes(), true
}

func (c *conv) scoValue(v any, ctx *cctx, raws *[][]byte, ids *[]string, construct string) []byte {
	switch v := v.(type) {
	case string:
		return jstr(v)
	case jsonNumber:
		return []byte(v)
	case bool:
		return jbool(v)
	case *jmap:
		b, _ := c.scoBody(v, ctx, raws, ids, construct)
		return b
	case *sco:
		if id := c.renderSCO(v, ctx, raws, ids, construct); id != "" {
			return jstr(id)
		}
		return nil
	case []any:
		var items [][]byte
		for _, e := range v {
			if b := c.scoValue(e, ctx, raws, ids, construct); b != nil {
				items = append(items, b)
			}
		}
		if len(items) == 0 {
			return nil
		}
		return jlist(items)
	}
	return nil
}
