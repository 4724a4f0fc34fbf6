package pattern

import "net/netip"

// This file derives, from a pattern's syntax tree, the keys of which at
// least one must be present in an event for the pattern to match it: the
// pattern's "requirement". A requirement is a disjunction of keys; the
// empty disjunction with any=true means "no key can be derived" and the
// pattern is evaluated for every event.

// ixKeyKind says how a key is looked up.
type ixKeyKind uint8

const (
	ixExact      ixKeyKind = iota + 1 // a value at a path equals a literal
	ixCIDR                            // an address at ipv4/ipv6 value lies in a prefix
	ixKeyTrigram                      // a string at a path contains text
	ixTypeKey                         // the event has an object of a type
)

// ixKey is one key of a requirement.
type ixKey struct {
	kind   ixKeyKind
	path   *ObjectPath // for ixExact, ixCIDR, ixKeyTrigram
	value  string      // ixExact: the value key; ixKeyTrigram: the required text
	prefix netip.Prefix
	typ    string // ixTypeKey
}

// ixReq is a requirement: one of keys must hit, unless any is set.
type ixReq struct {
	any  bool
	keys []ixKey
}

// cost estimates how many candidates a requirement lets through, to pick
// the best operand of an AND.
func (r ixReq) cost() int {
	if r.any {
		return 1 << 30
	}
	c := 0
	for _, k := range r.keys {
		switch k.kind {
		case ixExact:
			c++
		case ixCIDR:
			c += 2 + (128-k.prefix.Bits())/8
		case ixKeyTrigram:
			c += 50
		case ixTypeKey:
			c += 10_000
		}
	}
	return c
}

func ixOr(rs []ixReq) ixReq {
	var out ixReq
	for _, r := range rs {
		if r.any {
			return ixReq{any: true}
		}
		out.keys = append(out.keys, r.keys...)
	}
	return out
}

func ixAnd(rs []ixReq) ixReq {
	best := ixReq{any: true}
	for _, r := range rs {
		if r.cost() < best.cost() {
			best = r
		}
	}
	return best
}

// ixObservationReq is the requirement of an observation expression. Each
// bracketed expression needs its comparison expression to hold for one
// object of the event; qualifiers only narrow a match; AND and FOLLOWEDBY
// need every operand, OR one of them.
func ixObservationReq(e ObservationExpr) ixReq {
	switch e := e.(type) {
	case *ObservationSimple:
		return ixComparisonReq(e.Expr)
	case *ObservationCompound:
		rs := make([]ixReq, len(e.Operands))
		for i, o := range e.Operands {
			rs[i] = ixObservationReq(o)
		}
		if e.Op == Or {
			return ixOr(rs)
		}
		return ixAnd(rs)
	}
	return ixReq{any: true}
}

func ixComparisonReq(e ComparisonExpr) ixReq {
	switch e := e.(type) {
	case *Comparison:
		return ixCompReq(e)
	case *ComparisonCompound:
		rs := make([]ixReq, len(e.Operands))
		for i, o := range e.Operands {
			rs[i] = ixComparisonReq(o)
		}
		if e.Op == Or {
			return ixOr(rs)
		}
		return ixAnd(rs)
	}
	return ixReq{any: true}
}

// ixCompReq is the requirement of one comparison. The matcher only ever
// finds a comparison true for an object of the path's type (negated ones
// included), so the weakest requirement is "an object of that type".
func ixCompReq(c *Comparison) ixReq {
	typeOnly := ixReq{keys: []ixKey{{kind: ixTypeKey, typ: c.Path.ObjectType}}}
	if c.Negated || !ixIndexablePath(c.Path) {
		return typeOnly
	}
	var lits []Literal
	switch c.Op {
	case OpEqual:
		lits = []Literal{c.Value}
	case OpIn:
		lits = c.Set
	case OpIsSubset:
		if !ixIsAddressValue(c.Path) || c.Value.Kind != KindString {
			return typeOnly
		}
		p, ok := ixPrefix(c.Value.Str)
		if !ok {
			return typeOnly
		}
		return ixReq{keys: []ixKey{{kind: ixCIDR, path: &c.Path, prefix: p}}}
	case OpLike, OpMatches:
		if c.Value.Kind != KindString {
			return typeOnly
		}
		text := ixLikeLiteral(c.Value.Str)
		if c.Op == OpMatches {
			text = ixRegexpLiteral(c.Value.Str)
		}
		if len(text) < ixMinLiteral {
			return typeOnly
		}
		return ixReq{keys: []ixKey{{kind: ixKeyTrigram, path: &c.Path, value: text}}}
	default:
		return typeOnly
	}
	var r ixReq
	addr := ixIsAddressValue(c.Path)
	for _, l := range lits {
		if addr && l.Kind == KindString {
			// ipv4-addr:value = '10.0.0.0/8' is string equality in the
			// matcher; a prefix key finds it (and more) whatever form the
			// observed address is written in.
			if p, ok := ixPrefix(l.Str); ok {
				r.keys = append(r.keys, ixKey{kind: ixCIDR, path: &c.Path, prefix: p})
				continue
			}
		}
		k, ok := ixLiteralKey(l)
		if !ok {
			return typeOnly
		}
		r.keys = append(r.keys, ixKey{kind: ixExact, path: &c.Path, value: k})
	}
	if len(r.keys) == 0 {
		return typeOnly // IN () can never be true; keep it simple
	}
	return r
}
