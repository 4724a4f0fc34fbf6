package warninglist

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// Match returns the entries of the set's lists that value, an observable
// of the given kind (KindIPv4, ..., KindSHA256; "sha-1" and "sha-256"
// are accepted too), is on, or nil. A value that is malformed for its
// kind, or a kind Match does not know, is on no list. The rules are
// those of the package documentation:
//
//   - an address is on a list when a listed address or range contains
//     it; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is checked as
//     itself and as its IPv4 address;
//   - a CIDR range is on a list when it lies wholly inside a listed
//     range: overlapping is not enough;
//   - a domain name is on a list when it is listed, or a ".name" entry
//     is the name itself or one of its parents;
//   - a URL is on a list when it is listed, or its host is (as a domain
//     name or an address);
//   - an email address is on a list when it is listed, or its domain is;
//   - a hash is on a list when it is listed.
//
// Domain names, email addresses and hashes compare case-insensitively.
func (s *Set) Match(kind, value string) []Hit {
	value = strings.TrimSpace(value)
	var found []int32
	switch kind {
	case KindIPv4, KindIPv6, KindCIDR:
		found = s.matchIP(found, value)
	case KindDomain:
		found = s.matchHost(found, value)
	case KindURL:
		if len(s.urls) > 0 {
			if n, ok := normURL(value); ok {
				if h, ok := s.urls[n]; ok {
					found = s.chain(found, h)
				}
			}
		}
		found = s.matchHost(found, urlHost(value))
	case KindEmail:
		at := strings.LastIndexByte(value, '@')
		if at <= 0 {
			return nil
		}
		if len(s.emails) > 0 {
			if h, ok := s.emails[foldASCII(value)]; ok {
				found = s.chain(found, h)
			}
		}
		domain := value[at+1:]
		if lit, ok := addrLiteral(domain); ok {
			found = s.matchIP(found, lit)
		} else {
			found = s.matchDomain(found, domain)
		}
	case KindMD5, KindSHA1, KindSHA256, "sha-1", "sha-256":
		if hashKind(value) == "" || len(value) > 64 {
			return nil
		}
		var buf [64]byte
		n := foldInto(buf[:], value)
		if h, ok := s.hashes[string(buf[:n])]; ok {
			found = s.chain(found, h)
		}
	}
	return s.hits(found)
}

// matchIP matches an address or a CIDR range of either family.
func (s *Set) matchIP(found []int32, v string) []int32 {
	if strings.IndexByte(v, '/') >= 0 {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return found
		}
		return s.matchAddr(found, p.Addr(), p.Bits())
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return found
	}
	return s.matchAddr(found, a, a.BitLen())
}

// matchAddr matches the range of the given bits at a (a single address
// when bits is its length).
func (s *Set) matchAddr(found []int32, a netip.Addr, bits int) []int32 {
	if a.Is4() {
		return s.match4(found, a.As4(), bits)
	}
	found = s.match6(found, a.As16(), bits)
	if a.Is4In6() && bits >= 96 {
		found = s.match4(found, a.Unmap().As4(), bits-96)
	}
	return found
}

// match4 finds the listed IPv4 ranges of at most maxBits bits that
// contain a: one map lookup per prefix length present in the set.
func (s *Set) match4(found []int32, a [4]byte, maxBits int) []int32 {
	u := binary.BigEndian.Uint32(a[:])
	for _, l := range s.v4lens {
		if l > maxBits {
			continue
		}
		if h, ok := s.v4[uint64(l)<<32|uint64(mask32(u, l))]; ok {
			found = s.chain(found, h)
		}
	}
	return found
}

func (s *Set) match6(found []int32, a [16]byte, maxBits int) []int32 {
	hi, lo := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])
	for _, l := range s.v6lens {
		if l > maxBits {
			continue
		}
		if h, ok := s.v6[mask128(hi, lo, l)]; ok {
			found = s.chain(found, h)
		}
	}
	return found
}

// matchHost matches the host of a URL or a domain value: an address
// literal as an address, anything else as a domain name.
func (s *Set) matchHost(found []int32, h string) []int32 {
	if h == "" {
		return found
	}
	if c := h[0]; c >= '0' && c <= '9' || c == ':' || strings.IndexByte(h, ':') >= 0 {
		if a, err := netip.ParseAddr(h); err == nil {
			return s.matchAddr(found, a, a.BitLen())
		}
	}
	return s.matchDomain(found, h)
}

// matchDomain looks the name up exactly and each of its parents, itself
// included, among the ".name" entries.
func (s *Set) matchDomain(found []int32, name string) []int32 {
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > 253 {
		return found
	}
	var buf [253]byte
	n := foldInto(buf[:], name)
	b := buf[:n]
	if h, ok := s.names1[string(b)]; ok {
		found = s.chain(found, h)
	}
	if len(s.trees) == 0 {
		return found
	}
	for {
		if h, ok := s.trees[string(b)]; ok {
			found = s.chain(found, h)
		}
		i := strings.IndexByte(string(b), '.')
		if i < 0 {
			return found
		}
		b = b[i+1:]
	}
}

// foldInto writes s, ASCII lower-cased, into buf and returns its length;
// buf must be long enough.
func foldInto(buf []byte, s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return len(s)
}
