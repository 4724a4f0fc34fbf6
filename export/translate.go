package export

import (
	"fmt"
	"net/netip"

	"github.com/isachub/isachub/pattern"
)

// MaxRulesPerIndicator is the most rules one indicator may need; an
// indicator needing more is reported. Rule k (from 0) of an indicator has
// sid Indicator.SID+k, so a caller that gives indicator n the sid
// base+n*MaxRulesPerIndicator never has two rules share a sid.
const MaxRulesPerIndicator = 32

// transport is the protocol field of a rule header.
type transport uint8

const (
	protoIP transport = iota
	protoTCP
	protoUDP
	protoDNS  // an app-layer rule on DNS
	protoTLS  // an app-layer rule on TLS
	protoHTTP // an app-layer rule on HTTP
)

// buffer names the part of the traffic a content match inspects.
type buffer uint8

const (
	bufDNSQuery    buffer = iota + 1 // the name of a DNS query
	bufTLSSNI                        // the TLS server name indication
	bufHTTPHost                      // the HTTP Host, lower-cased and without port
	bufHTTPHostRaw                   // the HTTP Host header as sent
	bufHTTPURIRaw                    // the HTTP request target as sent
)

// match is one exact match of a buffer: content equal to the whole buffer.
type match struct {
	buf   buffer
	value string
}

// rule is one engine-neutral detection rule: it fires when every part
// holds. Empty address and port lists mean any; bidir means either end
// may be src (the <> operator); toServer limits it to the packets the
// flow's initiator sends.
type rule struct {
	proto              transport
	src, dst           []netip.Prefix
	srcPorts, dstPorts []uint16
	bidir, toServer    bool
	matches            []match
}

// notTranslated is the reason a pattern has no faithful translation.
type notTranslated string

func (e notTranslated) Error() string { return string(e) }

func reasonf(format string, a ...any) error { return notTranslated(fmt.Sprintf(format, a...)) }

// translate returns rules that together fire exactly when p would on the
// traffic model of the package documentation: each rule fires on one
// disjunct of p. It fails with a notTranslated error when there is no such
// set of rules.
func translate(p *pattern.Pattern, rules []rule) ([]rule, error) {
	var one [1]*pattern.ObservationSimple
	obs, err := observationsOf(p.Root, one[:0])
	if err != nil {
		return nil, err
	}
	for _, o := range obs {
		if c, ok := o.Expr.(*pattern.Comparison); ok { // the common case, without building a DNF
			conj := [1]*pattern.Comparison{c}
			if rules, err = conjunctionRules(conj[:], rules); err != nil {
				return nil, err
			}
			if len(rules) > MaxRulesPerIndicator {
				return nil, reasonf("the pattern needs more than %d rules", MaxRulesPerIndicator)
			}
			continue
		}
		n := dnfSize(o.Expr)
		if len(rules)+n > MaxRulesPerIndicator {
			return nil, reasonf("the pattern needs more than %d rules", MaxRulesPerIndicator)
		}
		for _, conj := range dnf(o.Expr) {
			if rules, err = conjunctionRules(conj, rules); err != nil {
				return nil, err
			}
			if len(rules) > MaxRulesPerIndicator {
				return nil, reasonf("the pattern needs more than %d rules", MaxRulesPerIndicator)
			}
		}
	}
	return rules, nil
}

// observationsOf flattens an OR of bracketed expressions.
func observationsOf(e pattern.ObservationExpr, out []*pattern.ObservationSimple) ([]*pattern.ObservationSimple, error) {
	if q := e.Quals(); len(q) > 0 {
		return nil, reasonf("the qualifier %s is not translated: a rule sees one flow at a time, not a time window or a count", q[0].Kind)
	}
	switch e := e.(type) {
	case *pattern.ObservationSimple:
		return append(out, e), nil
	case *pattern.ObservationCompound:
		if e.Op != pattern.Or {
			return nil, reasonf("%s between observations is not translated: a rule matches one flow, not several observations", e.Op)
		}
		for _, o := range e.Operands {
			var err error
			if out, err = observationsOf(o, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, reasonf("unknown observation expression %T", e)
}

// dnfSize is the number of conjunctions of e in disjunctive normal form,
// saturating above MaxRulesPerIndicator.
func dnfSize(e pattern.ComparisonExpr) int {
	const limit = MaxRulesPerIndicator + 1
	c, ok := e.(*pattern.ComparisonCompound)
	if !ok {
		return 1
	}
	n := 0
	if c.Op == pattern.Or {
		for _, o := range c.Operands {
			n = min(n+dnfSize(o), limit)
		}
		return n
	}
	n = 1
	for _, o := range c.Operands {
		n = min(n*dnfSize(o), limit)
	}
	return n
}

// dnf returns e in disjunctive normal form; callers bound it with dnfSize.
func dnf(e pattern.ComparisonExpr) [][]*pattern.Comparison {
	switch e := e.(type) {
	case *pattern.Comparison:
		return [][]*pattern.Comparison{{e}}
	case *pattern.ComparisonCompound:
		if e.Op == pattern.Or {
			var out [][]*pattern.Comparison
			for _, o := range e.Operands {
				out = append(out, dnf(o)...)
			}
			return out
		}
		out := [][]*pattern.Comparison{nil}
		for _, o := range e.Operands {
			var next [][]*pattern.Comparison
			for _, left := range out {
				for _, right := range dnf(o) {
					conj := make([]*pattern.Comparison, 0, len(left)+len(right))
					next = append(next, append(append(conj, left...), right...))
				}
			}
			out = next
		}
		return out
	}
	return nil
}

// conjunctionRules appends the rules of comparisons that must all hold
// for one object.
func conjunctionRules(conj []*pattern.Comparison, out []rule) ([]rule, error) {
	typ := conj[0].Path.ObjectType
	for _, c := range conj {
		if c.Path.ObjectType != typ {
			return nil, reasonf("AND of %s and %s inside one observation never matches (both must hold for one object)", typ, c.Path.ObjectType)
		}
		if c.Negated || c.Op == pattern.OpNotEqual {
			return nil, reasonf("the negated comparison %s is not translated", c)
		}
	}
	switch typ {
	case "ipv4-addr", "ipv6-addr":
		return addressRules(conj, out)
	case "network-traffic":
		return trafficRules(conj, out)
	case "domain-name":
		return domainRules(conj, out)
	case "url":
		return urlRules(conj, out)
	case "file", "artifact":
		return nil, notTranslated("file hashes are not translated to rules: Suricata's filemd5, filesha1 and filesha256 need hash-list files and see only files carried by the protocols it parses, while the pattern matches the file wherever it is observed; export the md5, sha1 or sha256 list instead")
	case "email-addr", "email-message":
		return nil, notTranslated("e-mail addresses are not translated to rules: an address appears in SMTP envelopes, message headers and mailbox protocols that no single rule buffer covers; export the email list instead")
	}
	return nil, reasonf("comparisons on %s objects have no rule translation", typ)
}

// single requires one comparison on a path that has only "value".
func single(conj []*pattern.Comparison) (*pattern.Comparison, error) {
	if len(conj) > 1 {
		return nil, reasonf("AND of several comparisons on %s is not translated", conj[0].Path.ObjectType)
	}
	c := conj[0]
	if !isKeyPath(c.Path.Steps, "value") {
		return nil, reasonf("the property %s has no rule translation", c.Path)
	}
	return c, nil
}

// isKeyPath reports whether steps are exactly the given keys.
func isKeyPath(steps []pattern.PathStep, keys ...string) bool {
	if len(steps) != len(keys) {
		return false
	}
	for i, k := range keys {
		if steps[i].Kind != pattern.StepKey || steps[i].Key != k {
			return false
		}
	}
	return true
}

// addressRules translates [ipv4-addr:value ...] and [ipv6-addr:value ...]:
// the address at either end of the traffic.
func addressRules(conj []*pattern.Comparison, out []rule) ([]rule, error) {
	c, err := single(conj)
	if err != nil {
		return nil, err
	}
	family := 4
	if c.Path.ObjectType == "ipv6-addr" {
		family = 6
	}
	set, err := addressSet(c, family)
	if err != nil {
		return nil, err
	}
	return append(out, rule{proto: protoIP, dst: set, bidir: true}), nil
}

// strings returns the string literals of an = or IN comparison.
func stringValues(c *pattern.Comparison) ([]string, error) {
	lits, err := equalityLiterals(c, true)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(lits))
	for _, l := range lits {
		if l.Kind != pattern.KindString {
			return nil, reasonf("%s compares a %s, which never equals the property's text", c, l.Kind)
		}
		out = append(out, l.Str)
	}
	return out, nil
}

// equalityLiterals returns the literals of an = or IN comparison (and of
// ISSUBSET when subset is true, its block as one literal).
func equalityLiterals(c *pattern.Comparison, subset bool) ([]pattern.Literal, error) {
	switch {
	case c.Op == pattern.OpEqual || subset && c.Op == pattern.OpIsSubset:
		return []pattern.Literal{c.Value}, nil
	case c.Op != pattern.OpIn:
		return nil, reasonf("the operator %s in %s is not translated", c.Op, c)
	case len(c.Set) == 0:
		return nil, reasonf("%s has an empty set, so it never holds", c)
	}
	return c.Set, nil
}
