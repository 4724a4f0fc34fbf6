package stix1

import (
	"slices"
	"strings"
)

// maxExprs bounds the bytes of the pattern expressions kept for idrefs
// to observables, objects and indicators inside other constructs,
// maxCache those of the top-level observables (which idrefs name most),
// and maxHeld those of observed data that waits to the end of the input.
// Each entry is counted with exprOverhead for the map and its strings.
const (
	maxExprs     = 4 << 20
	maxCache     = 32 << 20
	maxHeld      = 32 << 20
	exprOverhead = 160
)

// cached is what an idref to an observable, object or indicator may need
// later: its pattern expression with the report of making it, and for a
// top-level observable the observed-data made of it, which is sent at the
// end of the input unless an indicator uses the observable as its pattern
// (an observable an indicator points at is a pattern, not an observation).
type cached struct {
	expr    string
	entries []rentry // the report of expr, written when an indicator uses it
	used    bool

	path        string
	pkg         *pkgCtx
	objs        [][]byte // the SCOs, then the observed-data
	instEntries []rentry
	held        bool // objs wait to be sent
	sent        bool
	size        int
}

// store keeps the expression of an observable, object or indicator
// inside another construct for later idrefs, within maxExprs.
func (c *conv) store(id, expr string) {
	if id == "" || expr == "" {
		return
	}
	if _, ok := c.exprs[id]; ok {
		return
	}
	size := len(id) + len(expr) + exprOverhead
	if c.exprBytes+size > maxExprs {
		return
	}
	c.exprs[id] = expr
	c.exprBytes += size
}

// pexpr is a pattern expression being made: an observation expression
// already written, an idref whose expression may come later, or a
// composition (AND, OR) of expressions.
type pexpr struct {
	text string
	ref  string
	op   string
	kids []*pexpr
	path string
}

// renderState collects, while a pattern is written, the cached
// expressions it uses.
type renderState struct {
	used []*cached
}

// render writes e. compound is true when the text is a join of several
// expressions that needs parentheses inside another. wait is true when an
// idref has no expression yet and final is false; ok is false when
// nothing could be written.
func (c *conv) render(e *pexpr, final bool, st *renderState) (text string, compound, ok, wait bool) {
	switch {
	case e.text != "":
		return e.text, false, true, false
	case e.ref != "":
		if ce := c.cache[e.ref]; ce != nil && ce.expr != "" {
			st.used = append(st.used, ce)
			return ce.expr, false, true, false // cached texts are parenthesised
		}
		if expr, ok := c.exprs[e.ref]; ok {
			return expr, false, true, false
		}
		if !final {
			return "", false, false, true
		}
		c.skip(e.path, "observable", "the idref "+quoteText(e.ref)+" names no observable, object or indicator whose pattern this input gave; not converted")
		return "", false, false, false
	}
	type done struct {
		text     string
		compound bool
	}
	var parts []done
	for _, k := range e.kids {
		t, comp, ok, wait := c.render(k, final, st)
		if wait {
			return "", false, false, true
		}
		if !ok {
			c.dropped(e, k.path)
			continue
		}
		parts = append(parts, done{t, comp})
	}
	switch len(parts) {
	case 0:
		return "", false, false, false
	case 1:
		return parts[0].text, parts[0].compound, true, false
	}
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.text
		if p.compound {
			texts[i] = "(" + p.text + ")"
		}
	}
	return strings.Join(texts, " "+e.op+" "), true, true, false
}

// dropped reports a part of a composition that could not be converted.
func (c *conv) dropped(e *pexpr, path string) {
	if e.op == "AND" {
		c.approx(path, "observable", "this part of an AND composition is not converted: the pattern matches more than the STIX 1.x observable")
	} else {
		c.approx(path, "observable", "this part of an OR composition is not converted: the pattern matches less than the STIX 1.x observable")
	}
}

// obsExpr reads an Observable (cybox:ObservableType) as a pattern
// expression: an Object is one observation expression with its tests
// joined by AND; an Observable_Composition joins its observables' with
// its operator; an idref waits for the observable it names.
func (c *conv) obsExpr(ctx *cctx, n *node) *pexpr {
	if isRef(n) {
		c.target(n.attr("idref"), kObservable, n.path())
		return &pexpr{ref: n.attr("idref"), path: n.path()}
	}
	if n.attr("negate") == "true" || n.attr("negate") == "1" {
		n.useAll()
		c.skip(n.path(), "observable", "a negated observable has no STIX 2.1 pattern equivalent; not converted")
		return nil
	}
	var e *pexpr
	switch comp, obj, ev := n.kid("Observable_Composition"), n.kid("Object"), n.kid("Event"); {
	case comp != nil:
		e = c.composition(ctx, comp)
	case obj != nil:
		e = c.objectExpr(ctx, obj)
	case ev != nil:
		ev.useAll()
		c.skip(ev.path(), "observable", "a CybOX Event has no STIX 2.1 pattern equivalent; not converted")
	default:
		c.skip(n.path(), "observable", "the observable holds no object to test; not converted")
	}
	c.rest(n, "observable")
	if e != nil {
		c.storeExpr(n.attr("id"), e)
	}
	return e
}

// storeExpr caches the expression of a construct with an id, when it is
// complete.
func (c *conv) storeExpr(id string, e *pexpr) {
	if id == "" || id == c.topID {
		return
	}
	if text, compound, ok, wait := c.render(e, false, &renderState{}); ok && !wait {
		c.store(id, paren(text, compound))
	}
}

// paren parenthesises a compound expression, so that it can be put into
// another one as is.
func paren(text string, compound bool) string {
	if compound {
		return "(" + text + ")"
	}
	return text
}

// composition reads an Observable_Composition.
func (c *conv) composition(ctx *cctx, comp *node) *pexpr {
	op := strings.ToUpper(strings.TrimSpace(comp.attr("operator")))
	if op != "AND" && op != "OR" {
		comp.useAll()
		c.skip(comp.path(), "observable", "the composition operator "+quoteText(comp.attr("operator"))+" is not AND or OR; not converted")
		return nil
	}
	e := &pexpr{op: op, path: comp.path()}
	for _, k := range comp.all("Observable") {
		if sub := c.obsExpr(ctx, k); sub != nil {
			e.kids = append(e.kids, sub)
		} else {
			c.dropped(e, k.path())
		}
	}
	c.rest(comp, "observable")
	switch len(e.kids) {
	case 0:
		return nil
	case 1:
		return e.kids[0]
	}
	return e
}

// objectExpr reads a cybox:Object as an observation expression. Its
// Related_Objects that the mapper did not use are observation expressions
// of their own, joined by AND: a pattern cannot say how they relate.
func (c *conv) objectExpr(ctx *cctx, obj *node) *pexpr {
	if isRef(obj) {
		c.target(obj.attr("idref"), kObservable, obj.path())
		return &pexpr{ref: obj.attr("idref"), path: obj.path()}
	}
	c.saw(obj.attr("id"))
	before := c.skips
	o := c.readObject(obj, false, "")
	var e *pexpr
	if o != nil {
		var parts []string
		for _, t := range o.tests {
			if s, ok := c.compare(o.root.typ, t, o.construct); ok && !slices.Contains(parts, s) {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			c.skip(obj.path(), o.construct, "no property of the object could be tested; not converted")
		} else {
			e = &pexpr{text: "[" + strings.Join(parts, " AND ") + "]", path: obj.path()}
			if c.skips > before {
				c.approx(obj.path(), o.construct, "the pattern leaves out what is reported not converted in this object, so it matches more than the STIX 1.x object")
			} else {
				c.count(o.construct)
			}
		}
	}
	if rel := obj.kid("Related_Objects"); rel != nil {
		and := &pexpr{op: "AND", path: obj.path()}
		if e != nil {
			and.kids = append(and.kids, e)
		}
		for _, r := range rel.all("Related_Object") {
			if o != nil && o.consumed[r] {
				continue
			}
			if e == nil {
				r.useAll()
				continue
			}
			if sub := c.objectExpr(ctx, r); sub != nil {
				and.kids = append(and.kids, sub)
				c.approx(r.path(), "observable", "the relationship "+quoteText(vocabText(r.kid("Relationship")))+" between related objects has no STIX 2.1 pattern equivalent: the related object is a separate observation joined by AND")
			}
		}
		c.rest(rel, "observable")
		if len(and.kids) > 1 {
			e = and
		}
	}
	c.rest(obj, "observable")
	if e != nil {
		c.storeExpr(obj.attr("id"), e)
	}
	return e
}
