package export

import (
	"net/netip"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// Observable is one value an indicator's pattern names, as a blocklist
// holds it.
type Observable struct {
	Kind  Kind
	Value string
}

// Observables parses a STIX pattern (STIX 2.1 section 9) and returns the
// values it names by a positive = or IN (and IP blocks named by
// ISSUBSET) on the properties a blocklist can hold, in source order, each
// (Kind, Value) once. The package documentation gives the exact rule.
func Observables(p string) ([]Observable, error) {
	pat, err := pattern.Parse(p)
	if err != nil {
		return nil, err
	}
	return appendObservables(nil, pat), nil
}

// appendObservables appends the observables of pat to dst.
func appendObservables(dst []Observable, pat *pattern.Pattern) []Observable {
	start := len(dst)
	pattern.Walk(pat, func(n pattern.Node) bool {
		c, ok := n.(*pattern.Comparison)
		if !ok || c.Negated {
			return true
		}
		kind, ip := pathKind(&c.Path)
		if kind == "" {
			return true
		}
		add := func(l pattern.Literal, subset bool) {
			if l.Kind != pattern.KindString || l.Str == "" || hasControl(l.Str) {
				return
			}
			k, v := kind, l.Str
			if ip {
				var ok bool
				if k, v, ok = ipObservable(v, subset); !ok {
					return
				}
			} else if subset {
				return
			}
			if isHash(k) {
				v = strings.ToLower(v)
			}
			for _, o := range dst[start:] {
				if o.Kind == k && o.Value == v {
					return
				}
			}
			dst = append(dst, Observable{Kind: k, Value: v})
		}
		switch c.Op {
		case pattern.OpEqual:
			add(c.Value, false)
		case pattern.OpIn:
			for _, l := range c.Set {
				add(l, false)
			}
		case pattern.OpIsSubset:
			add(c.Value, true)
		}
		return true
	})
	return dst
}

func isHash(k Kind) bool { return k == KindSHA256 || k == KindMD5 || k == KindSHA1 }

// pathKind returns the kind of the values a path holds; ip says the kind
// is decided by the value (ipv4, ipv6 or cidr). "" means none.
func pathKind(p *pattern.ObjectPath) (kind Kind, ip bool) {
	s := p.Steps
	key := func(i int, k string) bool {
		return len(s) > i && s[i].Kind == pattern.StepKey && s[i].Key == k
	}
	switch p.ObjectType {
	case "ipv4-addr", "ipv6-addr":
		if len(s) == 1 && key(0, "value") {
			return KindIPv4, true
		}
	case "network-traffic":
		if len(s) == 2 && (key(0, "src_ref") || key(0, "dst_ref")) && key(1, "value") {
			return KindIPv4, true
		}
	case "domain-name":
		if len(s) == 1 && key(0, "value") {
			return KindDomain, false
		}
	case "url":
		if len(s) == 1 && key(0, "value") {
			return KindURL, false
		}
	case "email-addr":
		if len(s) == 1 && key(0, "value") {
			return KindEmail, false
		}
	case "email-message":
		if len(s) == 2 && (key(0, "from_ref") || key(0, "sender_ref")) && key(1, "value") {
			return KindEmail, false
		}
		if len(s) == 3 && (key(0, "to_refs") || key(0, "cc_refs") || key(0, "bcc_refs")) &&
			s[1].Kind != pattern.StepKey && key(2, "value") {
			return KindEmail, false
		}
	case "file", "artifact":
		if len(s) == 2 && key(0, "hashes") && s[1].Kind == pattern.StepKey {
			switch s[1].Key {
			case "SHA-256", "SHA256":
				return KindSHA256, false
			case "MD5":
				return KindMD5, false
			case "SHA-1", "SHA1":
				return KindSHA1, false
			}
		}
	}
	return "", false
}

// ipObservable classifies an address or block; ok is false for text that
// is neither. A block of full length is the address alone; subset says
// the text came from ISSUBSET, which takes a block.
func ipObservable(s string, subset bool) (Kind, string, bool) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return addrKind(a), a.String(), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", "", false
	}
	if subset {
		p = p.Masked()
	}
	if p.IsSingleIP() {
		return addrKind(p.Addr()), p.Addr().String(), true
	}
	return KindCIDR, p.String(), true
}

func addrKind(a netip.Addr) Kind {
	if a.Is4() {
		return KindIPv4
	}
	return KindIPv6
}

// hasControl reports whether s holds an ASCII control character or DEL,
// which no one-value-per-line list can carry.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
