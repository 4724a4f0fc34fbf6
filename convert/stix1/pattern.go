package stix1

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// vkind is the type of a property's value, which decides its literal in a
// pattern (STIX 2.1 section 9.4) and its JSON in an SCO.
type vkind int

const (
	kStr  vkind = iota // string literal '...'
	kInt               // integer
	kTime              // timestamp t'...'
	kBin               // binary b'...' (base64)
	kHex               // hex h'...'
	kBool              // true or false
)

// test is one comparison a CybOX property makes in a pattern: the object
// path below the object type, the value, and the element whose condition
// attributes (CybOX 2.1 cyboxCommon:PatternFieldGroup: condition,
// apply_condition, delimiter, is_case_sensitive, pattern_type) apply.
type test struct {
	path   string
	kind   vkind
	val    string
	n      *node  // nil: Equals
	prefix string // written before each value (a registry hive before its key)
	cond   string // a condition that replaces the element's (File_Extension is EndsWith)
	cidr   bool   // an address: Equals on a CIDR block is ISSUBSET
	lower  bool   // values lowercased (protocol names, MAC addresses)
}

// part is one comparison of a test, before the object type and path are
// put in front of it.
type part struct {
	op, lit string
	neg     bool
}

// errNoPattern explains why a value has no faithful comparison.
type errNoPattern string

func (e errNoPattern) Error() string { return string(e) }

// conditionOps are the CybOX conditions that are single comparisons.
var conditionOps = map[string]string{
	"Equals": "=", "DoesNotEqual": "!=",
	"GreaterThan": ">", "GreaterThanOrEqual": ">=", "LessThan": "<", "LessThanOrEqual": "<=",
	"Contains": "LIKE", "DoesNotContain": "LIKE", "StartsWith": "LIKE", "EndsWith": "LIKE",
}

// attrs returns the condition attributes of a test's element.
func (t test) attrs() (cond, apply, delim string, caseSensitive bool) {
	cond, apply, delim = t.cond, "ANY", "##comma##"
	caseSensitive = true
	if t.n != nil {
		if cond == "" {
			cond = t.n.attr("condition")
		}
		if a := t.n.attr("apply_condition"); a != "" {
			apply = a
		}
		if d := t.n.attr("delimiter"); d != "" {
			delim = d
		}
		caseSensitive = t.n.attr("is_case_sensitive") != "false"
	}
	if cond == "" {
		cond = "Equals"
	}
	return cond, apply, delim, caseSensitive
}

// values splits a test's value on its delimiter when the element makes a
// list of it (CybOX 2.1: "##comma##" by default).
func (t test) values(delim string) []string {
	raw := []string{t.val}
	if delim != "" && strings.Contains(t.val, delim) {
		raw = strings.Split(t.val, delim)
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		v = t.prefix + strings.TrimSpace(v)
		if t.lower {
			v = strings.ToLower(v)
		}
		out = append(out, v)
	}
	return out
}

// compare writes the comparison expression of a test on an object of type
// typ, or reports why it has none. approx is set when the comparison is
// close but not exact (FitsPattern's regular expression dialect).
func (c *conv) compare(typ string, t test, construct string) (expr string, ok bool) {
	where := construct
	path := ""
	if t.n != nil {
		path = t.n.path()
	}
	cond, apply, delim, cs := t.attrs()
	vals := t.values(delim)
	full := typ + ":" + t.path
	var parts []part
	switch cond {
	case "InclusiveBetween", "ExclusiveBetween":
		if len(vals) != 2 || (t.kind != kInt && t.kind != kTime) {
			c.skip(path, where, cond+" needs two numbers or times separated by the delimiter; not converted")
			return "", false
		}
		lo, hi := ">=", "<="
		if cond == "ExclusiveBetween" {
			lo, hi = ">", "<"
		}
		a, err1 := literal(t.kind, vals[0])
		b, err2 := literal(t.kind, vals[1])
		if err := errors.Join(err1, err2); err != nil {
			c.skip(path, where, err.Error()+"; not converted")
			return "", false
		}
		return "(" + full + " " + lo + " " + a + " AND " + full + " " + hi + " " + b + ")", true
	case "FitsPattern":
		if pt := t.n.attr("pattern_type"); pt != "" && pt != "Regex" {
			c.skip(path, where, "FitsPattern with pattern_type "+pt+" has no STIX 2.1 equivalent; not converted")
			return "", false
		}
		if t.kind != kStr {
			c.skip(path, where, "FitsPattern on a value that is not a string has no STIX 2.1 equivalent; not converted")
			return "", false
		}
		for _, v := range vals {
			if !cs {
				v = "(?i)" + v
			}
			if _, err := syntax.Parse(v, syntax.Perl); err != nil {
				c.skip(path, where, "the regular expression "+quoteText(v)+" is not one STIX 2.1 MATCHES accepts: "+err.Error()+"; not converted")
				return "", false
			}
			parts = append(parts, part{op: "MATCHES", lit: pattern.QuoteString(v)})
		}
		c.approx(path, where, "FitsPattern is MATCHES: CybOX does not fix a regular expression dialect and STIX 2.1 uses PCRE, so the expression may match differently")
	default:
		if _, known := conditionOps[cond]; !known {
			c.skip(path, where, "the CybOX condition "+quoteText(cond)+" has no STIX 2.1 pattern equivalent; not converted")
			return "", false
		}
		for _, v := range vals {
			p, err := one(cond, t.kind, v, cs, t.cidr)
			if err != nil {
				c.skip(path, where, err.Error()+"; not converted")
				return "", false
			}
			parts = append(parts, p)
		}
	}
	expr, err := combine(full, cond, apply, parts)
	if err != nil {
		c.skip(path, where, err.Error()+"; not converted")
		return "", false
	}
	return expr, true
}

// one makes the comparison of one value under a CybOX condition.
// Case-insensitive tests, and LIKE tests of values holding % or _ (which
// STIX LIKE cannot escape), become MATCHES of the quoted value, which is
// exact in every regular expression dialect.
func one(cond string, kind vkind, v string, cs, cidr bool) (part, error) {
	switch cond {
	case "Equals", "DoesNotEqual":
		neg := cond == "DoesNotEqual"
		if cidr && strings.Contains(v, "/") {
			if _, err := netip.ParsePrefix(v); err != nil {
				return part{}, errNoPattern(quoteText(v) + " is not a CIDR block")
			}
			return part{op: "ISSUBSET", lit: pattern.QuoteString(v), neg: neg}, nil
		}
		if kind == kStr && !cs {
			return part{op: "MATCHES", lit: pattern.QuoteString(`(?i)\A` + regexp.QuoteMeta(v) + `\z`), neg: neg}, nil
		}
		lit, err := literal(kind, v)
		if err != nil {
			return part{}, err
		}
		if neg {
			return part{op: "!=", lit: lit}, nil
		}
		return part{op: "=", lit: lit}, nil
	case "Contains", "DoesNotContain", "StartsWith", "EndsWith":
		if kind != kStr {
			return part{}, errNoPattern(cond + " on a value that is not a string has no STIX 2.1 equivalent")
		}
		neg := cond == "DoesNotContain"
		if !cs || strings.ContainsAny(v, "%_") {
			re := regexp.QuoteMeta(v)
			switch cond {
			case "StartsWith":
				re = `\A` + re
			case "EndsWith":
				re += `\z`
			}
			if !cs {
				re = "(?i)" + re
			}
			return part{op: "MATCHES", lit: pattern.QuoteString(re), neg: neg}, nil
		}
		switch cond {
		case "StartsWith":
			v += "%"
		case "EndsWith":
			v = "%" + v
		default:
			v = "%" + v + "%"
		}
		return part{op: "LIKE", lit: pattern.QuoteString(v), neg: neg}, nil
	}
	// GreaterThan and the other orderings.
	if kind != kInt && kind != kTime {
		return part{}, errNoPattern(cond + " on a value that is not a number or a time is not defined by CybOX in a way STIX 2.1 can say")
	}
	lit, err := literal(kind, v)
	if err != nil {
		return part{}, err
	}
	return part{op: conditionOps[cond], lit: lit}, nil
}

// combine joins the comparisons of a list under its apply_condition: ANY
// (an IN set for Equals, else OR), ALL (AND), NONE (AND of the negations).
func combine(full, cond, apply string, parts []part) (string, error) {
	write := func(p part, neg bool) string {
		if neg != p.neg {
			return full + " NOT " + p.op + " " + p.lit
		}
		return full + " " + p.op + " " + p.lit
	}
	if len(parts) == 1 && apply != "NONE" {
		return write(parts[0], false), nil
	}
	plainEq := cond == "Equals"
	for _, p := range parts {
		if p.op != "=" {
			plainEq = false
		}
	}
	join := func(op string, neg bool) string {
		s := make([]string, len(parts))
		for i, p := range parts {
			s[i] = write(p, neg)
		}
		if len(s) == 1 {
			return s[0]
		}
		return "(" + strings.Join(s, " "+op+" ") + ")"
	}
	set := func() string {
		lits := make([]string, len(parts))
		for i, p := range parts {
			lits[i] = p.lit
		}
		return "(" + strings.Join(lits, ", ") + ")"
	}
	switch apply {
	case "ANY":
		if plainEq {
			return full + " IN " + set(), nil
		}
		return join("OR", false), nil
	case "ALL":
		return join("AND", false), nil
	case "NONE":
		if plainEq && len(parts) > 1 {
			return full + " NOT IN " + set(), nil
		}
		return join("AND", true), nil
	}
	return "", errNoPattern("apply_condition " + quoteText(apply) + " is not ANY, ALL or NONE")
}

// literal writes a value as a pattern literal of its kind.
func literal(kind vkind, v string) (string, error) {
	switch kind {
	case kInt:
		n, err := strconv.ParseInt(strings.TrimPrefix(v, "+"), 10, 64)
		if err != nil {
			return "", errNoPattern(quoteText(v) + " is not an integer")
		}
		return strconv.FormatInt(n, 10), nil
	case kTime:
		t, ok := parseTime(v)
		if !ok {
			return "", errNoPattern(quoteText(v) + " is not an xs:dateTime")
		}
		return "t'" + stamp(t) + "'", nil
	case kBin:
		b, ok := base64Value(v)
		if !ok {
			return "", errNoPattern("the value is not base64")
		}
		return "b'" + b + "'", nil
	case kHex:
		h, ok := hexValue(v)
		if !ok {
			return "", errNoPattern(quoteText(v) + " is not an even number of hex digits")
		}
		return "h'" + h + "'", nil
	case kBool:
		b, ok := boolValue(v)
		if !ok {
			return "", errNoPattern(quoteText(v) + " is not a boolean")
		}
		return strconv.FormatBool(b), nil
	}
	return pattern.QuoteString(v), nil
}

// base64Value returns v, without white space, when it is padded base64
// of at least one byte.
func base64Value(v string) (string, bool) {
	v = strings.Join(strings.Fields(v), "")
	b, err := base64.StdEncoding.Strict().DecodeString(v)
	return v, err == nil && len(b) > 0
}

// hexValue returns v in lower case when it is an even number of hex digits.
func hexValue(v string) (string, bool) {
	v = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v), "0x"), "0X"))
	_, err := hex.DecodeString(v)
	return v, err == nil && v != ""
}

func boolValue(v string) (bool, bool) {
	switch strings.TrimSpace(v) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// identRe is a property name a pattern may write without quotes.
var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// keyRe is a dictionary key a pattern may quote and an SCO may hold.
var keyRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,250}$`)

// pathKey writes one key of an object path, quoted when it holds a dash.
func pathKey(k string) string {
	if identRe.MatchString(k) {
		return k
	}
	return "'" + k + "'"
}
