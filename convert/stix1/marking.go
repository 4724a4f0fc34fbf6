package stix1

import (
	"slices"
	"strings"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// marks are the data markings on an object: the most restrictive TLP
// level and the statement marking definitions, in the order met.
type marks struct {
	tlp   stix.TLP
	stmts []string
}

// with returns the markings of both m and o.
func (m marks) with(o marks) marks {
	out := marks{tlp: max(m.tlp, o.tlp), stmts: slices.Clone(m.stmts)}
	for _, s := range o.stmts {
		if !slices.Contains(out.stmts, s) {
			out.stmts = append(out.stmts, s)
		}
	}
	return out
}

// empty reports whether m marks nothing.
func (m marks) empty() bool { return m.tlp == stix.TLPNone && len(m.stmts) == 0 }

// refs returns the object_marking_refs: the TLP 2.0 marking definition
// (stix.TLPMarkingID; TLP 1.0 WHITE is CLEAR), then the statements.
func (m marks) refs() []string {
	var out []string
	if id := stix.TLPMarkingID(m.tlp); id != "" {
		out = append(out, id)
	}
	return append(out, m.stmts...)
}

// markScope is what a marking's Controlled_Structure selects.
type markScope int

const (
	scopeConstruct markScope = iota // the construct holding the Handling, with all it contains
	scopePackage                    // the whole package
	scopeHeader                     // the STIX_Header alone (its package report)
	scopeUnknown                    // an XPath this package cannot resolve
)

// handling reads a Handling element (STIX 1.2 Part 13, Data Marking):
// each marking:Marking with its Controlled_Structure and Marking_Structures.
// TLP and statement markings apply to what the controlled structure
// selects: the construct (ctx), the package, or the header.
func (c *conv) handling(h *node, ctx *cctx, inHeader bool) {
	if h == nil {
		return
	}
	for _, m := range h.all("Marking") {
		if m.attr("idref") != "" {
			c.skip(m.path(), "marking", "a marking referenced by idref is not resolved; not converted")
			continue
		}
		cs := m.kid("Controlled_Structure")
		sc := markingScope(cs.str(), m, h.parent, inHeader)
		var got marks
		for _, ms := range m.all("Marking_Structure") {
			c.markingStructure(ms, ctx, &got)
		}
		if is := m.kid("Information_Source"); is != nil {
			is.useAll()
			c.skip(is.path(), "marking", "the source of a marking is not kept in STIX 2.1; not converted")
		}
		c.rest(m, "marking")
		if got.empty() {
			continue
		}
		p := ctx.pkg
		switch sc {
		case scopeConstruct:
			ctx.marks = ctx.marks.with(got)
		case scopeHeader:
			p.reportMarks = p.reportMarks.with(got)
		case scopePackage, scopeUnknown:
			if sc == scopeUnknown {
				c.approx(cs.path(), "marking", "the Controlled_Structure "+quoteText(cs.str())+" is not resolved; the marking is applied to the whole package, the more restrictive choice")
			}
			if !inHeader && p.nrefs > 0 {
				c.approx(m.path(), "marking", "the marking applies to the whole package, but objects made before this point of the input do not carry it (the conversion streams)")
			}
			p.ctx.marks = p.ctx.marks.with(got)
			ctx.marks = ctx.marks.with(got)
		}
	}
	c.rest(h, "marking")
}

// markingStructure reads one Marking_Structure: TLP (color), Simple
// (Statement) and Terms of Use.
func (c *conv) markingStructure(ms *node, ctx *cctx, got *marks) {
	uri, local, raw := ms.xsiType()
	ms.useAll()
	switch {
	case uri == nsTLP && local == "TLPMarkingStructureType":
		level, err := stix.ParseTLP(ms.attr("color"))
		if err != nil || level == stix.TLPNone {
			c.skip(ms.path(), "marking", "the TLP color "+quoteText(ms.attr("color"))+" is not WHITE, GREEN, AMBER or RED; not converted")
			return
		}
		got.tlp = max(got.tlp, level)
		c.count("marking")
	case uri == nsSimple && local == "SimpleMarkingStructureType":
		c.statement(ms, ms.kidStr("Statement"), ctx, got)
	case uri == nsTOU && local == "TermsOfUseMarkingStructureType":
		c.statement(ms, ms.kidStr("Terms_Of_Use"), ctx, got)
	default:
		if raw == "" {
			raw = "(none)"
		}
		c.skip(ms.path(), "marking", "the marking structure of xsi:type "+raw+" is not converted (only TLP, Simple and Terms of Use are)")
	}
}

// statement makes the marking-definition of a statement (STIX 2.1 section
// 7.2.2), whose id derives from the text alone.
func (c *conv) statement(ms *node, text string, ctx *cctx, got *marks) {
	if text == "" {
		c.skip(ms.path(), "marking", "the marking has no statement; not converted")
		return
	}
	id := convert.ID("stix1", "marking-definition", "statement\x00"+text)
	created := ctx.pkg.ctx.created
	var o jobj
	o.str("type", "marking-definition").str("spec_version", "2.1").str("id", id).str("created", created)
	o.str("definition_type", "statement")
	o.raw("definition", (&jobj{}).str("statement", text).bytes())
	if c.emit(o.bytes(), ms.path(), "marking", ctx.pkg) {
		got.stmts = append(got.stmts, id)
		c.count("marking")
	}
}

// subtree are the XPath endings that select a node with everything in it.
var subtree = map[string]bool{
	"//node()": true, "//*": true, "//@*": true, "//node()/@*": true, "//*/@*": true,
	"/descendant-or-self::node()": true, "/descendant-or-self::*": true,
	"/descendant-or-self::node()/@*": true, "/descendant-or-self::*/@*": true,
}

// markingScope resolves a Controlled_Structure (an XPath 1.0 expression
// whose context is the Controlled_Structure element) to what this package
// can mark: the whole package ("//node() | //@*"), the construct holding
// the Handling ("../../../descendant-or-self::node()",
// "ancestor-or-self::stix:Indicator//node()"), or the header. A missing
// Controlled_Structure marks what holds the Handling. Every alternative of
// a union must select the same.
func markingScope(cs string, m, holder *node, inHeader bool) markScope {
	cs = strings.Join(strings.Fields(cs), "")
	own := scopeConstruct
	if inHeader {
		own = scopePackage
	}
	if cs == "" {
		return own
	}
	result := markScope(-1)
	for _, alt := range strings.Split(cs, "|") {
		s := altScope(alt, m, holder, inHeader)
		if s == scopeUnknown || (result >= 0 && s != result) {
			return scopeUnknown
		}
		result = s
	}
	return result
}

func altScope(alt string, m, holder *node, inHeader bool) markScope {
	if subtree[alt] { // //node(), /descendant-or-self::node() ...: from the root
		return scopePackage
	}
	// Relative: ../../..  then a subtree ending.
	if strings.HasPrefix(alt, "..") {
		up := 0
		rest := alt
		for strings.HasPrefix(rest, "..") {
			up++
			rest = strings.TrimPrefix(rest, "..")
			if !strings.HasPrefix(rest, "/") {
				break
			}
			if strings.HasPrefix(rest, "/..") {
				rest = rest[1:]
			}
		}
		if !subtree[rest] {
			return scopeUnknown
		}
		// From Controlled_Structure: 1 is the Marking, 2 the Handling, 3
		// what holds it, 4 what holds that.
		switch {
		case up == 3 && inHeader:
			return scopeHeader
		case up == 3:
			return scopeConstruct
		case up == 4 && inHeader:
			return scopePackage
		}
		return scopeUnknown
	}
	// Absolute: /stix:STIX_Package then a subtree ending.
	if rest, ok := strings.CutPrefix(alt, "/"); ok {
		name, tail := splitStep(rest)
		if uri, local, ok := m.scope.resolve(name); ok && uri == nsStix && local == "STIX_Package" && subtree[tail] {
			return scopePackage
		}
		return scopeUnknown
	}
	// ancestor-or-self::stix:Indicator//node()
	for _, axis := range []string{"ancestor-or-self::", "ancestor::"} {
		rest, ok := strings.CutPrefix(alt, axis)
		if !ok {
			continue
		}
		name, tail := splitStep(rest)
		uri, local, ok := m.scope.resolve(name)
		if !ok || !subtree[tail] {
			return scopeUnknown
		}
		switch {
		case uri == nsStix && local == "STIX_Package":
			return scopePackage
		case holder != nil && uri == holder.space && local == holder.local:
			if inHeader {
				return scopeHeader
			}
			return scopeConstruct
		}
		return scopeUnknown
	}
	return scopeUnknown
}

// splitStep splits "stix:Indicator//node()" into the name and the rest.
func splitStep(s string) (name, rest string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
