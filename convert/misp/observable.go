package misp

import (
	"strconv"
	"strings"
	"time"

	"github.com/isachub/isachub/pattern"
)

// An observable is what one MISP attribute, or one MISP object with all its
// attributes, says about one thing that can be seen: a set of assertions
// on the properties of a root SCO and the SCOs it refers to, such as
// "network-traffic dst_ref (an ipv4-addr) has value 203.0.113.7" and
// "network-traffic has dst_port 443". One description gives both STIX
// forms: the indicator pattern (section 9), the assertions joined by AND
// inside one observation expression, and the SCOs of an observed-data
// (section 4.14, SCOs of section 6), so the two can never disagree.
type observable struct {
	root string // the SCO type of the root object
	as   []assertion
}

// assertion says that the property reached by steps from the root has
// value val.
type assertion struct {
	steps []step
	val   value
}

// step is one property on the way from the root to a value.
type step struct {
	name string
	ref  string // the type of the SCO a _ref or _refs property points at
	list bool   // the property is a list: [*] in the pattern, element idx in the SCO
	idx  int
}

// key is a plain property or dictionary key.
func key(name string) step { return step{name: name} }

// ref is a _ref property pointing at an SCO of type typ.
func ref(name, typ string) step { return step{name: name, ref: typ} }

// refs is element i of a _refs property pointing at SCOs of type typ.
func refs(name, typ string, i int) step { return step{name: name, ref: typ, list: true, idx: i} }

// elem is element i of a list of dictionaries (values, body_multipart).
func elem(name string, i int) step { return step{name: name, list: true, idx: i} }

// listOf is a list of plain values (protocols).
func listOf(name string) step { return step{name: name, list: true} }

// value is a literal: a string, an integer, a boolean or a timestamp.
type value struct {
	kind    byte // 's', 'i', 'b', 't'
	s       string
	i       int64
	t       time.Time
	subset  bool // compare with ISSUBSET (a CIDR block), not =
	scoOnly bool // needed by the SCO but no part of the pattern
}

func str(s string) value         { return value{kind: 's', s: s} }
func num(i int64) value          { return value{kind: 'i', i: i} }
func boolean(b bool) value       { return value{kind: 'b', i: map[bool]int64{false: 0, true: 1}[b]} }
func stampVal(t time.Time) value { return value{kind: 't', t: t} }

// json returns the value as it goes into an SCO.
func (v value) json() any {
	switch v.kind {
	case 'i':
		return v.i
	case 'b':
		return v.i == 1
	case 't':
		return stamp(v.t)
	}
	return v.s
}

// literal returns the value as a pattern literal (section 9.4): strings in
// single quotes with ' and \ escaped by a backslash.
func (v value) literal() string {
	switch v.kind {
	case 'i':
		return strconv.FormatInt(v.i, 10)
	case 'b':
		return strconv.FormatBool(v.i == 1)
	case 't':
		return "t'" + stamp(v.t) + "'"
	}
	return pattern.QuoteString(v.s)
}

func newObservable(root string) *observable { return &observable{root: root} }

// add asserts that the property at steps has value v.
func (o *observable) add(v value, steps ...step) {
	o.as = append(o.as, assertion{steps: steps, val: v})
}

// path returns the pattern's object path of an assertion (section 9.3):
// root:prop.prop[*].'Quoted-Key'.
func (o *observable) path(a assertion) string {
	var b strings.Builder
	b.WriteString(o.root)
	b.WriteByte(':')
	for i, s := range a.steps {
		if i > 0 {
			b.WriteByte('.')
		}
		if plainKey(s.name) {
			b.WriteString(s.name)
		} else {
			b.WriteString(pattern.QuoteString(s.name))
		}
		if s.list {
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// plainKey reports whether a property name can stand unquoted in a
// pattern: an identifier of letters, digits and underscores that is no
// keyword. The names come from this package, never from the input.
func plainKey(k string) bool {
	if !isIdent(k) {
		return false
	}
	switch k {
	case "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS", "IN",
		"START", "STOP", "WITHIN", "REPEATS", "TIMES", "SECONDS", "true", "false", "h", "b", "t":
		return false
	}
	return true
}

// pattern returns the STIX pattern of the observable: one observation
// expression whose comparisons are joined by AND, so that they must hold
// for the same object (section 9.7). A property without [*] asserted with
// two values (a domain-ip object with two domains) compares with either,
// in parentheses: (a OR b).
func (o *observable) pattern() string {
	type group struct {
		path string
		list bool
		lits []string
	}
	var groups []*group
	byPath := map[string]*group{}
	for _, a := range o.as {
		if a.val.scoOnly {
			continue
		}
		p := o.path(a)
		op := " = "
		if a.val.subset {
			op = " ISSUBSET "
		}
		cmp := p + op + a.val.literal()
		g := byPath[p]
		if g == nil {
			g = &group{path: p, list: strings.Contains(p, "[*]")}
			byPath[p] = g
			groups = append(groups, g)
		}
		if !contains(g.lits, cmp) {
			g.lits = append(g.lits, cmp)
		}
	}
	var parts []string
	for _, g := range groups {
		switch {
		case g.list || len(g.lits) == 1:
			parts = append(parts, g.lits...)
		default:
			parts = append(parts, "("+strings.Join(g.lits, " OR ")+")")
		}
	}
	return "[" + strings.Join(parts, " AND ") + "]"
}

// canSCO reports whether the observable makes valid SCOs. A
// network-traffic needs an end (src_ref or dst_ref, section 6.12) and an
// HTTP request needs its method and target, which a lone user-agent,
// http-method or port attribute does not give: those only make patterns.
func (o *observable) canSCO() bool {
	if len(o.as) == 0 {
		return false
	}
	if o.root != "network-traffic" {
		return true
	}
	end := false
	for _, a := range o.as {
		switch a.steps[0].name {
		case "src_ref", "dst_ref":
			end = true
		case "extensions":
			return false
		}
	}
	return end
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
