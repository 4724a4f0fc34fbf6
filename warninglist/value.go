package warninglist

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// parseEntry turns one value of the file format into an Entry, or says
// what is wrong with it. The shipped lists go through it too, so they
// follow the same rules as loaded files.
func parseEntry(v string) (Entry, error) {
	switch {
	case v == "":
		return Entry{}, errors.New("empty value")
	case strings.Contains(v, "://"):
		return parseURLEntry(v)
	case strings.Contains(v, "@"):
		return parseEmailEntry(v)
	case strings.Contains(v, "/"):
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return Entry{}, fmt.Errorf("%q is not a CIDR range: %v", v, err)
		}
		if p.Addr().Zone() != "" {
			return Entry{}, fmt.Errorf("CIDR range %q has a zone", v)
		}
		if m := p.Masked(); m != p {
			return Entry{}, fmt.Errorf("CIDR range %q has host bits set (the range is %s)", v, m)
		}
		return prefixEntry(p), nil
	}
	if a, err := netip.ParseAddr(v); err == nil {
		if a.Zone() != "" {
			return Entry{}, fmt.Errorf("address %q has a zone", v)
		}
		return prefixEntry(netip.PrefixFrom(a, a.BitLen())), nil
	}
	if k := hashKind(v); k != "" {
		return Entry{Value: foldASCII(v), Kind: k}, nil
	}
	if strings.HasPrefix(v, "*.") {
		return Entry{}, fmt.Errorf("%q: write %q for a name and every name under it", v, v[1:])
	}
	tree := strings.HasPrefix(v, ".")
	name, err := parseDomain(strings.TrimPrefix(v, "."))
	if err != nil {
		return Entry{}, err
	}
	if tree {
		return Entry{Value: "." + name, Kind: KindDomain, tree: true}, nil
	}
	return Entry{Value: name, Kind: KindDomain}, nil
}

// prefixEntry makes an address or range entry; an IPv4-mapped IPv6 one
// (::ffff:10.0.0.0/104) is stored as the IPv4 range it maps.
func prefixEntry(p netip.Prefix) Entry {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	e := Entry{Kind: KindIPv6, prefix: p}
	if p.Addr().Is4() {
		e.Kind = KindIPv4
	}
	if p.IsSingleIP() {
		e.Value = p.Addr().String()
	} else {
		e.Value = p.String()
	}
	return e
}

func parseURLEntry(v string) (Entry, error) {
	u, err := url.Parse(v)
	if err != nil {
		return Entry{}, fmt.Errorf("%q is not a URL: %v", v, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return Entry{}, fmt.Errorf("URL %q has no scheme or host", v)
	}
	if err := checkHost(u.Hostname()); err != nil {
		return Entry{}, fmt.Errorf("URL %q: %v", v, err)
	}
	n, ok := normURL(v)
	if !ok {
		return Entry{}, fmt.Errorf("URL %q has no scheme", v)
	}
	return Entry{Value: n, Kind: KindURL}, nil
}

func parseEmailEntry(v string) (Entry, error) {
	at := strings.LastIndexByte(v, '@')
	local, domain := v[:at], v[at+1:]
	if local == "" || len(local) > 64 || strings.ContainsAny(local, "@\"\\") {
		return Entry{}, fmt.Errorf("email address %q has an empty, quoted or over-long local part", v)
	}
	for i := 0; i < len(local); i++ {
		if local[i] <= ' ' || local[i] == 0x7f {
			return Entry{}, fmt.Errorf("email address %q has a control character", v)
		}
	}
	if lit, ok := addrLiteral(domain); ok {
		if _, err := netip.ParseAddr(lit); err != nil {
			return Entry{}, fmt.Errorf("email address %q: bad address literal: %v", v, err)
		}
	} else if _, err := parseDomain(domain); err != nil {
		return Entry{}, fmt.Errorf("email address %q: %v", v, err)
	}
	return Entry{Value: foldASCII(v), Kind: KindEmail}, nil
}

// checkHost accepts an IP address or a domain name.
func checkHost(h string) error {
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	_, err := parseDomain(h)
	return err
}

// parseDomain validates a domain name (RFC 1035 section 2.3.4 lengths,
// RFC 1123 section 2.1 letters, digits and hyphens; underscores and
// non-ASCII bytes are let through for service labels and U-labels) and
// returns it case-folded without a trailing dot.
func parseDomain(v string) (string, error) {
	n := strings.TrimSuffix(v, ".")
	if n == "" {
		return "", fmt.Errorf("%q is not a domain name", v)
	}
	if len(n) > 253 {
		return "", fmt.Errorf("domain name %q is longer than 253 characters", v)
	}
	digits := false
	for label := range strings.SplitSeq(n, ".") {
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("domain name %q has an empty or over-long label", v)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "", fmt.Errorf("domain name %q has a label that starts or ends with '-'", v)
		}
		digits = true
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_', c >= 0x80:
				digits = false
			default:
				return "", fmt.Errorf("%q is not an IP address, CIDR range, domain name, URL, email address or hash (character %q)", v, c)
			}
		}
	}
	if digits { // RFC 3696 section 2: a top-level label is never all-numeric
		return "", fmt.Errorf("%q is neither a valid IP address nor a domain name", v)
	}
	return foldASCII(n), nil
}

// hashKind returns KindMD5, KindSHA1 or KindSHA256 for a hex string of 32,
// 40 or 64 digits, and "" for anything else.
func hashKind(v string) string {
	var k string
	switch len(v) {
	case 32:
		k = KindMD5
	case 40:
		k = KindSHA1
	case 64:
		k = KindSHA256
	default:
		return ""
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return ""
		}
	}
	return k
}

// foldASCII lower-cases the ASCII letters of s. Domain names compare
// case-insensitively in ASCII only (RFC 4343); internationalised names are
// expected in A-label form (RFC 5890).
func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// normURL returns the form in which URLs are compared: scheme and
// authority lower-cased, an empty path written "/" (RFC 3986 sections
// 6.2.2.1 and 6.2.3), everything else as given. ok is false without "://".
func normURL(v string) (n string, ok bool) {
	i := strings.Index(v, "://")
	if i <= 0 {
		return "", false
	}
	j := i + 3
	if k := strings.IndexAny(v[j:], "/?#"); k >= 0 {
		j += k
	} else {
		j = len(v)
	}
	rest := v[j:]
	if !strings.HasPrefix(rest, "/") {
		rest = "/" + rest
	}
	return foldASCII(v[:j]) + rest, true
}

// urlHost returns the host of a URL: after the scheme's "://" (or a
// leading "//", or from the start when there is neither), before the path, without user
// information, port or the brackets of an IPv6 literal.
func urlHost(v string) string {
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	} else {
		v = strings.TrimPrefix(v, "//") // a network-path reference, RFC 3986 section 4.2
	}
	if k := strings.IndexAny(v, "/?#\\"); k >= 0 {
		v = v[:k]
	}
	if k := strings.LastIndexByte(v, '@'); k >= 0 {
		v = v[k+1:]
	}
	if strings.HasPrefix(v, "[") {
		if k := strings.IndexByte(v, ']'); k >= 0 {
			h := v[1:k]
			if z := strings.Index(h, "%25"); z >= 0 { // RFC 6874 zone
				h = h[:z]
			}
			return h
		}
		return ""
	}
	if k := strings.IndexByte(v, ':'); k >= 0 && strings.LastIndexByte(v, ':') == k {
		v = v[:k] // one colon: a port; more would be an unbracketed IPv6 address
	}
	return v
}

// addrLiteral returns the address inside an email domain literal
// ("[192.0.2.1]", "[IPv6:2001:db8::1]", RFC 5321 section 4.1.3).
func addrLiteral(d string) (string, bool) {
	if len(d) < 2 || d[0] != '[' || d[len(d)-1] != ']' {
		return "", false
	}
	d = d[1 : len(d)-1]
	if len(d) > 5 && strings.EqualFold(d[:5], "ipv6:") {
		d = d[5:]
	}
	return d, true
}
