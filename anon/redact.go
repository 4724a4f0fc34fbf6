package anon

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/isachub/isachub"
)

// Redacted is what every match of a redaction rule is replaced with.
const Redacted = "[REDACTED]"

// Rules are compiled redaction rules: what one organisation declared about
// itself (isachub.Redaction) plus literal names. The zero value and nil
// redact nothing. Rules are immutable and safe for concurrent use.
type Rules struct {
	domains  []string // lowercase
	domSrc   []string // as declared, for Find
	emails   []string // lowercase
	emailSrc []string // as declared, for Find
	ranges   []netip.Prefix
	rangeSrc []string // as declared, for Find
	regexps  []*regexp.Regexp
	reSrc    []string // the pattern or literal as declared
	reKind   []string // "pattern" or "name"
}

// match is one occurrence of a declared item in a string.
type match struct {
	start, end int
	kind, item string
}

// Compile compiles an organisation's declared rules plus literal terms (the
// organisation's name, the names of its identity objects) into Rules:
//
//   - a domain matches itself and its subdomains, in any case, on label
//     boundaries: with acme-air.example declared, mail.acme-air.example is
//     redacted as a whole, but acme-air.example.org and xacme-air.example
//     are other domains and are kept;
//   - an email address matches exactly, in any ASCII case, when it is not
//     part of a longer address;
//   - an IP range (CIDR prefix, or a single address) matches every IPv4 or
//     IPv6 address written in the text that falls inside it (IPv4-mapped
//     IPv6 addresses count as IPv4);
//   - a pattern is an RE2 regular expression (package regexp: linear time,
//     no catastrophic backtracking), case-sensitive unless it says (?i);
//   - a literal matches case-insensitively, any run of white space in it
//     matching any run of white space, '-' and '_' in the text ("Acme
//     Airlines" matches "ACME-AIRLINES" and "acme_airlines"). Literals
//     shorter than 3 characters are ignored: they would redact parts of
//     ordinary words.
//
// Declarations that cannot be applied are an EINVALID error.
func Compile(r isachub.Redaction, literals ...string) (*Rules, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	rules := &Rules{}
	for _, d := range r.Domains {
		rules.domains = append(rules.domains, asciiLower(strings.TrimSuffix(d, ".")))
		rules.domSrc = append(rules.domSrc, d)
	}
	for _, e := range r.Emails {
		rules.emails = append(rules.emails, asciiLower(e))
		rules.emailSrc = append(rules.emailSrc, e)
	}
	for _, s := range r.IPRanges {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, isachub.Errorf(isachub.EINVALID, "%q is neither an IP address nor a CIDR range.", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		rules.ranges = append(rules.ranges, p.Masked())
		rules.rangeSrc = append(rules.rangeSrc, s)
	}
	for _, p := range r.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, isachub.Errorf(isachub.EINVALID, "The redaction pattern %q does not compile: %v.", p, err)
		}
		rules.regexps = append(rules.regexps, re)
		rules.reSrc = append(rules.reSrc, p)
		rules.reKind = append(rules.reKind, "pattern")
	}
	return rules.withLiterals(literals...), nil
}

// withLiterals returns a copy of r that also redacts the literals (r may
// be nil). Literals already present, or shorter than 3 characters, are
// skipped.
func (r *Rules) withLiterals(literals ...string) *Rules {
	out := &Rules{}
	if r != nil {
		*out = *r
		out.regexps = slices.Clone(r.regexps)
		out.reSrc = slices.Clone(r.reSrc)
		out.reKind = slices.Clone(r.reKind)
	}
	for _, lit := range literals {
		words := strings.Fields(lit)
		joined := strings.Join(words, " ")
		if utf8.RuneCountInString(joined) < 3 || out.hasLiteral(joined) {
			continue
		}
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		re := regexp.MustCompile(`(?i)` + strings.Join(words, `[\s_-]+`))
		out.regexps = append(out.regexps, re)
		out.reSrc = append(out.reSrc, joined)
		out.reKind = append(out.reKind, "name")
	}
	return out
}

func (r *Rules) hasLiteral(s string) bool {
	for i, src := range r.reSrc {
		if r.reKind[i] == "name" && strings.EqualFold(src, s) {
			return true
		}
	}
	return false
}

// empty reports whether r redacts nothing.
func (r *Rules) empty() bool {
	return r == nil || len(r.domains)+len(r.emails)+len(r.ranges)+len(r.regexps) == 0
}

// Redact returns s with every match of a rule replaced by "[REDACTED]"
// (overlapping matches are replaced once, as one), and whether anything
// was replaced.
func (r *Rules) Redact(s string) (string, bool) {
	ms := r.matches(s)
	if len(ms) == 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for i := 0; i < len(ms); {
		start, end := ms[i].start, ms[i].end
		for i++; i < len(ms) && ms[i].start < end; i++ {
			end = max(end, ms[i].end)
		}
		b.WriteString(s[pos:start])
		b.WriteString(Redacted)
		pos = end
	}
	b.WriteString(s[pos:])
	return b.String(), true
}

// Find reports the declared item (as declared: the domain, address, range,
// pattern or literal) that matches earliest in s, or "" when none does.
func (r *Rules) Find(s string) string {
	if m, ok := r.first(s); ok {
		return m.item
	}
	return ""
}

// first returns the earliest match in s.
func (r *Rules) first(s string) (match, bool) {
	ms := r.matches(s)
	if len(ms) == 0 {
		return match{}, false
	}
	return ms[0], true
}

// matches returns every non-empty match of every rule in s, ordered by
// start (ties keep the order of the rules).
func (r *Rules) matches(s string) []match {
	if r.empty() || s == "" {
		return nil
	}
	var ms []match
	if len(r.domains)+len(r.emails) > 0 {
		lower := asciiLower(s)
		ms = r.matchEmails(ms, lower)
		ms = r.matchDomains(ms, lower)
	}
	if len(r.ranges) > 0 {
		ms = r.matchIPs(ms, s)
	}
	for i, re := range r.regexps {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			if loc[1] > loc[0] {
				ms = append(ms, match{loc[0], loc[1], r.reKind[i], r.reSrc[i]})
			}
		}
	}
	slices.SortStableFunc(ms, func(a, b match) int { return a.start - b.start })
	return ms
}

// matchDomains finds host names (maximal runs of letters, digits, '-',
// '_' and '.') that are a declared domain or one of its subdomains.
func (r *Rules) matchDomains(ms []match, lower string) []match {
	if len(r.domains) == 0 {
		return ms
	}
	for i := 0; i < len(lower); {
		if !isHostChar(lower[i]) {
			i++
			continue
		}
		j := i
		for j < len(lower) && isHostChar(lower[j]) {
			j++
		}
		start, end := i, j
		for start < end && lower[start] == '.' {
			start++
		}
		for end > start && lower[end-1] == '.' {
			end--
		}
		host := lower[start:end]
		for k, d := range r.domains {
			if host == d || strings.HasSuffix(host, "."+d) {
				ms = append(ms, match{start, end, "domain", r.domSrc[k]})
				break
			}
		}
		i = j
	}
	return ms
}

// matchEmails finds the declared addresses where they are not part of a
// longer address.
func (r *Rules) matchEmails(ms []match, lower string) []match {
	for k, e := range r.emails {
		for off := 0; off < len(lower); {
			i := strings.Index(lower[off:], e)
			if i < 0 {
				break
			}
			start, end := off+i, off+i+len(e)
			if (start == 0 || !isLocalChar(lower[start-1])) && hostEnds(lower, end) {
				ms = append(ms, match{start, end, "email address", r.emailSrc[k]})
			}
			off = start + 1
		}
	}
	return ms
}

// matchIPs finds IPv4 addresses (runs of digits and dots) and IPv6
// addresses (runs of hex digits, colons and dots that hold a colon) that
// fall in a declared range.
func (r *Rules) matchIPs(ms []match, s string) []match {
	scan := func(isChar func(byte) bool, needColon bool) {
		for i := 0; i < len(s); {
			if !isChar(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && isChar(s[j]) {
				j++
			}
			start, end := i, j
			for end > start && s[end-1] == '.' {
				end--
			}
			tok := s[start:end]
			if needColon {
				if !strings.Contains(tok, ":") {
					i = j
					continue
				}
				if strings.HasPrefix(tok, ":") && !strings.HasPrefix(tok, "::") {
					start++
				}
				if end > start && strings.HasSuffix(s[start:end], ":") && !strings.HasSuffix(s[start:end], "::") {
					end--
				}
				tok = s[start:end]
			}
			if a, err := netip.ParseAddr(tok); err == nil {
				a = a.Unmap()
				for k, p := range r.ranges {
					if p.Contains(a) {
						ms = append(ms, match{start, end, "IP range", r.rangeSrc[k]})
						break
					}
				}
			}
			i = j
		}
	}
	scan(func(c byte) bool { return '0' <= c && c <= '9' || c == '.' }, false)
	scan(func(c byte) bool { return isHexDigit(c) || c == ':' || c == '.' }, true)
	return ms
}

// hostEnds reports whether a host name can end at s[i]: the text ends, or
// the next byte is not part of a host name (a final '.' ends a sentence).
func hostEnds(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	if s[i] == '.' {
		return i+1 >= len(s) || !isLabelChar(s[i+1])
	}
	return !isLabelChar(s[i])
}

func isLabelChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func isHostChar(c byte) bool { return isLabelChar(c) || c == '.' }

// isLocalChar reports whether c may appear in the local part of an email
// address (RFC 5322 atext and '.').
func isLocalChar(c byte) bool {
	return isLabelChar(c) || strings.IndexByte(".!#$%&'*+/=?^`{|}~", c) >= 0
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// asciiLower lowercases ASCII letters only, so that byte offsets in the
// result are offsets in s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
