package pattern

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
)

// The semantic checks of STIX 2.1 section 9 that the grammar alone does not
// make: literal forms (9.4), operand types per operator (9.5), hash values
// that fit their algorithm, names that are valid identifiers (section 3.1
// and 9.3), and regular expressions that compile.

// checkObjectType checks an object type name: ASCII lowercase letters,
// digits, hyphen and underscore, at most 250 characters (section 3.1 type
// names; the grammar also allows upper case and underscore, the spec does
// not allow upper case).
func checkObjectType(t token) error {
	name := t.text
	if len(name) > 250 {
		return &Error{Offset: t.off, Msg: fmt.Sprintf("object type %s is longer than 250 characters", t.describe())}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			return &Error{Offset: t.off + i, Msg: fmt.Sprintf("object type %s must be lower case (for example %q)", t.describe(), strings.ToLower(name))}
		}
	}
	if strings.HasSuffix(name, "-") || strings.Contains(name, "--") {
		return &Error{Offset: t.off, Msg: fmt.Sprintf("object type %s is not a valid type name (no trailing or doubled hyphen)", t.describe())}
	}
	return nil
}

// checkKey checks a quoted property name or dictionary key: non-empty
// ASCII letters, digits, hyphen and underscore, at most 250 characters
// (section 3.1 property names and 4.x dictionary keys).
func checkKey(t token) error {
	k := t.str
	if k == "" {
		return &Error{Offset: t.off, Msg: "a quoted property name must not be empty"}
	}
	if len(k) > 250 {
		return &Error{Offset: t.off, Msg: fmt.Sprintf("property name %s is longer than 250 characters", t.describe())}
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(isIdentPart(c) || c == '-' || c == '.') {
			return &Error{Offset: t.off, Msg: fmt.Sprintf("property name %s may contain only ASCII letters, digits, hyphen, dot and underscore, not %q", t.describe(), rune(c))}
		}
	}
	return nil
}

// hexLiteral decodes h'...': an even number of hex digits.
func hexLiteral(t token) (Literal, error) {
	b, err := hex.DecodeString(t.str)
	if err != nil {
		return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("hex literal %s must hold an even number of hex digits 0-9 a-f", t.describe())}
	}
	if b == nil {
		b = []byte{}
	}
	return Literal{Kind: KindHex, Bytes: b}, nil
}

// binaryLiteral decodes b'...': non-empty padded standard base64.
func binaryLiteral(t token) (Literal, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(t.str)
	if err != nil || len(b) == 0 {
		return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("binary literal %s must hold non-empty padded base64 (RFC 4648)", t.describe())}
	}
	return Literal{Kind: KindBinary, Bytes: b}, nil
}

// tsForm is the form STIXPattern.g4 allows inside t'...'.
var tsForm = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?Z$`)

// timestampLiteral decodes t'...': an RFC 3339 time in UTC ("Z").
func timestampLiteral(t token) (Literal, error) {
	if !tsForm.MatchString(t.str) {
		return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("timestamp %s must have the form t'YYYY-MM-DDThh:mm:ss[.fraction]Z' (RFC 3339, UTC)", t.describe())}
	}
	tm, err := parseTimestamp(t.str)
	if err != nil {
		return Literal{}, &Error{Offset: t.off, Msg: fmt.Sprintf("timestamp %s is not a valid RFC 3339 time: %v", t.describe(), err)}
	}
	return Literal{Kind: KindTimestamp, Time: tm}, nil
}

// parseTimestamp parses the RFC 3339 form STIX uses ("Z" only, upper case),
// for literals and for timestamps in observed data.
func parseTimestamp(s string) (time.Time, error) {
	if !tsForm.MatchString(s) {
		return time.Time{}, fmt.Errorf("%q is not of the form YYYY-MM-DDThh:mm:ss[.fraction]Z", s)
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// time.Parse reports day-of-month and leap-second problems in Go's
		// own words; say it plainly.
		return time.Time{}, fmt.Errorf("%q is not a real date and time", s)
	}
	return tm.UTC(), nil
}

// checkOperand checks that the literal fits the operator (section 9.5):
// LIKE, MATCHES, ISSUBSET and ISSUPERSET take strings, the order operators
// take no booleans; MATCHES needs a regular expression RE2 accepts;
// ISSUBSET and ISSUPERSET need an IP address or CIDR block.
func checkOperand(op Operator, lit Literal, opTok, valTok token) error {
	switch op {
	case OpLike, OpMatches, OpIsSubset, OpIsSuperset:
		if lit.Kind != KindString {
			return &Error{Offset: valTok.off, Msg: fmt.Sprintf("%s takes a string literal, found the %s %s", op, lit.Kind, valTok.describe())}
		}
	case OpLess, OpLessEqual, OpGreater, OpGreaterEqual:
		if lit.Kind == KindBool {
			return &Error{Offset: valTok.off, Msg: fmt.Sprintf("%s cannot compare with a boolean; use = or !=", op)}
		}
	}
	switch op {
	case OpMatches:
		// Parsing finds every syntax error RE2 reports; the program is
		// compiled once, later, for matching.
		if _, err := syntax.Parse(lit.Str, syntax.Perl); err != nil {
			return &Error{Offset: valTok.off, Msg: fmt.Sprintf("MATCHES needs a regular expression Go's RE2 accepts: %v", err)}
		}
	case OpIsSubset, OpIsSuperset:
		if _, ok := parseIPOrCIDR(lit.Str); !ok {
			return &Error{Offset: valTok.off, Msg: fmt.Sprintf("%s needs an IP address or CIDR block such as '192.0.2.0/24', found %s", op, valTok.describe())}
		}
	}
	return nil
}

// parseIPOrCIDR parses "a.b.c.d", "a.b.c.d/n" or the IPv6 equivalents into
// a prefix (a plain address is a full-length prefix).
func parseIPOrCIDR(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return pfx, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// hashForms maps a normalised hash algorithm name (upper case, no hyphen)
// to a check of its value; names from the STIX hash-algorithm-ov.
var hashForms = map[string]struct {
	name  string
	valid func(string) bool
}{
	"MD5":     {"MD5", hexLen(32)},
	"SHA1":    {"SHA-1", hexLen(40)},
	"SHA256":  {"SHA-256", hexLen(64)},
	"SHA512":  {"SHA-512", hexLen(128)},
	"SHA3256": {"SHA3-256", hexLen(64)},
	"SHA3512": {"SHA3-512", hexLen(128)},
	"SSDEEP":  {"SSDEEP", regexp.MustCompile(`^[0-9]+:[A-Za-z0-9/+]+:[A-Za-z0-9/+]+(,"[^"]*")?$`).MatchString},
	"TLSH": {"TLSH", func(s string) bool {
		return hexLen(70)(s) || (len(s) == 72 && strings.HasPrefix(s, "T1") && hexLen(70)(s[2:]))
	}},
}

func hexLen(n int) func(string) bool {
	return func(s string) bool {
		if len(s) != n {
			return false
		}
		_, err := hex.DecodeString(s)
		return err == nil
	}
}

// checkComparison runs the checks that need the whole comparison: hash
// values of hashes.ALGORITHM paths.
func checkComparison(c *Comparison, off int) error {
	steps := c.Path.Steps
	if len(steps) < 2 || c.Op == OpExists {
		return nil
	}
	prev, last := steps[len(steps)-2], steps[len(steps)-1]
	if prev.Kind != StepKey || prev.Key != "hashes" || last.Kind != StepKey {
		return nil
	}
	form, ok := hashForms[strings.ReplaceAll(strings.ToUpper(last.Key), "-", "")]
	if !ok {
		return nil
	}
	vals := c.Set
	if c.Op == OpEqual || c.Op == OpNotEqual {
		vals = []Literal{c.Value}
	}
	for _, v := range vals {
		if v.Kind == KindString && !form.valid(v.Str) {
			return &Error{Offset: off, Msg: fmt.Sprintf("%q is not a valid %s hash", v.Str, form.name)}
		}
	}
	return nil
}
