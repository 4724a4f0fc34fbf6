package pattern

import (
	"fmt"
	"golang.org/x/text/unicode/norm"
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MatchResult is the outcome of matching a pattern against observations.
// ObservedDataIDs lists, in input order, the observations that took part in
// the first match found (as the OASIS reference matcher returns the SDOs of
// its first binding); it is empty when Matched is false.
type MatchResult struct {
	Matched         bool
	ObservedDataIDs []string
}

// compiled holds what evaluation needs beyond the syntax tree, prepared
// once per pattern: the regular expressions of MATCHES and the CIDR
// blocks of ISSUBSET and ISSUPERSET.
type compiled struct {
	cmp map[*Comparison]*prepared
}

// prepared is the evaluation-ready form of one comparison's literal.
type prepared struct {
	re     *regexp.Regexp // MATCHES
	prefix netip.Prefix   // ISSUBSET, ISSUPERSET
}

func compile(root ObservationExpr) *compiled {
	c := &compiled{}
	Walk(root, func(n Node) bool {
		cmp, ok := n.(*Comparison)
		if !ok {
			return true
		}
		if c.cmp == nil && (cmp.Op == OpMatches || cmp.Op == OpIsSubset || cmp.Op == OpIsSuperset) {
			c.cmp = map[*Comparison]*prepared{} // only patterns that need it pay for the map
		}
		switch cmp.Op {
		case OpMatches:
			re, err := regexp.Compile(nfc(cmp.Value.Str))
			if err != nil {
				// Parse rejects such patterns; a hand-built tree gets a
				// pattern that matches nothing.
				re = regexp.MustCompile(`[^\x00-\x{10FFFF}]`)
			}
			c.cmp[cmp] = &prepared{re: re}
		case OpIsSubset, OpIsSuperset:
			pfx, ok := parseIPOrCIDR(cmp.Value.Str)
			if !ok {
				pfx = netip.Prefix{} // invalid: contains nothing
			}
			c.cmp[cmp] = &prepared{prefix: pfx}
		}
		return true
	})
	return c
}

// nfc returns s in Unicode normalisation form C. LIKE and MATCHES compare
// NFC forms, as the OASIS reference matcher does, so that a composed and a
// decomposed spelling of the same text match; = and != compare code
// points as given.
func nfc(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// likeMatch reports whether s matches the SQL LIKE pattern: % is any run
// of characters (including none), _ is exactly one character, anything
// else stands for itself. It backtracks only to the last %, so it runs in
// time proportional to len(s) times the number of % in the pattern.
func likeMatch(pat, s string) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(pat) {
			pc, pn := utf8.DecodeRuneInString(pat[pi:])
			switch pc {
			case '%':
				starP, starS = pi+pn, si
				pi += pn
				continue
			case '_':
				_, sn := utf8.DecodeRuneInString(s[si:])
				pi += pn
				si += sn
				continue
			default:
				sc, sn := utf8.DecodeRuneInString(s[si:])
				if sc == pc {
					pi += pn
					si += sn
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, sn := utf8.DecodeRuneInString(s[starS:])
		starS += sn
		pi, si = starP, starS
	}
	for pi < len(pat) && pat[pi] == '%' {
		pi++
	}
	return pi == len(pat)
}

// program returns the compiled form of p, building it when p was made by
// hand rather than by Parse.
func (p *Pattern) program() *compiled {
	if p.prog != nil {
		return p.prog
	}
	return compile(p.Root)
}

// scoEval evaluates comparison expressions against the SCOs of one
// observation.
type scoEval struct {
	prog *compiled
	obs  *Observation
}

// matchesObservation reports whether some SCO of o satisfies e (section
// 9.3: all comparisons joined by AND must hold for the same object, a
// comparison only ever holds for objects of its path's type).
func (ev *scoEval) matchesObservation(e ComparisonExpr) (bool, error) {
	// Every object is tested, so that an error in one is reported whatever
	// the (random) order of the map.
	matched := false
	for _, sco := range ev.obs.Objects {
		ok, err := ev.eval(e, sco)
		if err != nil {
			return false, err
		}
		matched = matched || ok
	}
	return matched, nil
}

func (ev *scoEval) eval(e ComparisonExpr, sco map[string]any) (bool, error) {
	switch e := e.(type) {
	case *Comparison:
		return ev.evalComparison(e, sco)
	case *ComparisonCompound:
		for _, o := range e.Operands {
			ok, err := ev.eval(o, sco)
			if err != nil {
				return false, err
			}
			if ok == (e.Op == Or) {
				return ok, nil
			}
		}
		return e.Op == And, nil
	}
	return false, fmt.Errorf("unknown comparison expression %T", e)
}

func (ev *scoEval) evalComparison(c *Comparison, sco map[string]any) (bool, error) {
	if t, _ := sco["type"].(string); t != c.Path.ObjectType {
		return false, nil
	}
	if c.Op == OpExists {
		found, err := ev.walk(c.Path.Steps, sco, func(any) (bool, error) { return true, nil })
		if err != nil {
			return false, err
		}
		return found != c.Negated, nil
	}
	prep := ev.prog.cmp[c]
	return ev.walk(c.Path.Steps, sco, func(v any) (bool, error) { return c.test(v, prep) })
}

// walk calls test on each value that steps select from v, in order, and
// stops at the first that passes. Properties ending in _ref are followed to
// the object they name in the same observation; _refs become the list of
// objects they name; references that do not resolve select nothing.
func (ev *scoEval) walk(steps []PathStep, v any, test func(any) (bool, error)) (bool, error) {
	if len(steps) == 0 {
		return test(v)
	}
	step, rest := steps[0], steps[1:]
	switch step.Kind {
	case StepKey:
		m, ok := v.(map[string]any)
		if !ok {
			return false, nil
		}
		next, ok := m[step.Key]
		if !ok {
			return false, nil
		}
		next, err := decodeSuffixed(step.Key, next)
		if err != nil {
			return false, err
		}
		switch {
		case strings.HasSuffix(step.Key, "_ref"):
			id, ok := next.(string)
			if !ok {
				return false, fmt.Errorf("the reference property %s holds %T, not an id string", step.Key, next)
			}
			obj, ok := ev.obs.Objects[id]
			if !ok {
				return false, nil
			}
			return ev.walk(rest, obj, test)
		case strings.HasSuffix(step.Key, "_refs"):
			ids, ok := next.([]any)
			if !ok {
				return false, fmt.Errorf("the reference list property %s holds %T, not a list", step.Key, next)
			}
			objs := make([]any, 0, len(ids))
			for _, x := range ids {
				id, ok := x.(string)
				if !ok {
					return false, fmt.Errorf("a value of the reference list property %s is %T, not an id string", step.Key, x)
				}
				if obj, ok := ev.obs.Objects[id]; ok {
					objs = append(objs, obj)
				}
			}
			if len(objs) == 0 {
				return false, nil
			}
			return ev.walk(rest, objs, test)
		}
		return ev.walk(rest, next, test)
	case StepIndex:
		list, ok := v.([]any)
		if !ok {
			return false, nil
		}
		i := step.Index
		if i < 0 {
			i += len(list) // negative indexes count from the end
		}
		if i < 0 || i >= len(list) {
			return false, nil
		}
		return ev.walk(rest, list[i], test)
	case StepAny:
		list, ok := v.([]any)
		if !ok {
			return false, nil
		}
		for _, x := range list {
			ok, err := ev.walk(rest, x, test)
			if err != nil || ok {
				return ok, err
			}
		}
	}
	return false, nil
}

// MatchOne reports whether the pattern matches the single observation o.
// For a pattern of one bracketed expression without qualifiers it is a
// direct, allocation-light test of o's objects; any other pattern is
// matched as Match does with o alone. An evaluation error (for example a
// malformed value the pattern compares with a timestamp) counts as no
// match; use Match to see it.
func (p *Pattern) MatchOne(o *Observation) bool {
	if s, ok := p.Root.(*ObservationSimple); ok && len(s.Qualifiers) == 0 {
		ev := scoEval{prog: p.program(), obs: o}
		ok, err := ev.matchesObservation(s.Expr)
		return ok && err == nil
	}
	r, err := p.Match([]*Observation{o})
	return err == nil && r.Matched
}
