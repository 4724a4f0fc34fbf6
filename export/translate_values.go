package export

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// addressSet returns the blocks an address comparison names. family is 4,
// 6, or 0 for either. = and IN take single addresses in canonical form
// (observed addresses are written that way, and = compares text);
// ISSUBSET takes a block or an address.
func addressSet(c *pattern.Comparison, family int) ([]netip.Prefix, error) {
	vals, err := stringValues(c)
	if err != nil {
		return nil, err
	}
	set := make([]netip.Prefix, 0, len(vals))
	for _, v := range vals {
		var p netip.Prefix
		if c.Op == pattern.OpIsSubset {
			if a, err := netip.ParseAddr(v); err == nil && a.Zone() == "" {
				p = netip.PrefixFrom(a, a.BitLen())
			} else if p, err = netip.ParsePrefix(v); err != nil {
				return nil, reasonf("%q in %s is not an IP address or CIDR block", v, c)
			}
			p = p.Masked()
		} else {
			a, err := netip.ParseAddr(v)
			switch {
			case err != nil || a.Zone() != "":
				if _, perr := netip.ParsePrefix(v); perr == nil {
					return nil, reasonf("%s compares the text of the CIDR block %q: it matches an address object holding that exact block, not the addresses inside it (write ISSUBSET for those)", c, v)
				}
				return nil, reasonf("%q in %s is not an IP address", v, c)
			case a.String() != v:
				return nil, reasonf("%q in %s is not in canonical form (%s): = compares text, so it matches only a sensor that writes the address the same way", v, c, a)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		a := p.Addr()
		switch {
		case a.Is4In6():
			return nil, reasonf("%q in %s is an IPv4-mapped IPv6 address, which the rule engines treat as IPv4", v, c)
		case family == 4 && !a.Is4(), family == 6 && !a.Is6():
			return nil, reasonf("%q in %s is not an IPv%d value, so the comparison never holds", v, c, family)
		}
		set = append(set, p)
	}
	return set, nil
}

// trafficRules translates comparisons on one network-traffic object:
// src_ref.value and dst_ref.value (addresses), src_port and dst_port, and
// protocols[*] ('tcp' or 'udp').
func trafficRules(conj []*pattern.Comparison, out []rule) ([]rule, error) {
	r := rule{toServer: true}
	var protos []transport
	var seen uint8 // one bit per property below
	for _, c := range conj {
		steps := c.Path.Steps
		var err error
		var bit uint8
		switch {
		case isKeyPath(steps, "src_ref", "value"):
			bit = 1
			r.src, err = addressSet(c, 0)
		case isKeyPath(steps, "dst_ref", "value"):
			bit = 2
			r.dst, err = addressSet(c, 0)
		case isKeyPath(steps, "src_port"):
			bit = 4
			r.srcPorts, err = portSet(c)
		case isKeyPath(steps, "dst_port"):
			bit = 8
			r.dstPorts, err = portSet(c)
		case len(steps) == 2 && steps[0].Kind == pattern.StepKey && steps[0].Key == "protocols" && steps[1].Kind == pattern.StepAny:
			bit = 16
			protos, err = protocolSet(c)
		default:
			err = reasonf("the property %s has no rule translation", c.Path)
		}
		if err != nil {
			return nil, err
		}
		if seen&bit != 0 {
			return nil, reasonf("%s is compared more than once in one observation, which is not translated", c.Path)
		}
		seen |= bit
	}
	if protos == nil {
		protos = []transport{protoIP}
		if r.srcPorts != nil || r.dstPorts != nil {
			// Ports exist only on TCP and UDP in the traffic model.
			protos = []transport{protoTCP, protoUDP}
		}
	}
	for _, p := range protos {
		r.proto = p
		out = append(out, r)
	}
	return out, nil
}

// portSet returns the ports of an = or IN comparison on a port.
func portSet(c *pattern.Comparison) ([]uint16, error) {
	lits, err := equalityLiterals(c, false)
	if err != nil {
		return nil, err
	}
	ports := make([]uint16, 0, len(lits))
	for _, l := range lits {
		if l.Kind != pattern.KindInt {
			return nil, reasonf("%s compares a port with a %s, which is not translated", c, l.Kind)
		}
		if l.Int < 0 || l.Int > 65535 {
			return nil, reasonf("%d in %s is not a port number, so the comparison never holds", l.Int, c)
		}
		ports = append(ports, uint16(l.Int))
	}
	return ports, nil
}

// protocolSet returns the transports protocols[*] = or IN names.
func protocolSet(c *pattern.Comparison) ([]transport, error) {
	if c.Op == pattern.OpIsSubset {
		return nil, reasonf("the operator %s in %s is not translated", c.Op, c)
	}
	vals, err := stringValues(c)
	if err != nil {
		return nil, err
	}
	var out []transport
	for _, v := range vals {
		switch v {
		case "tcp":
			out = append(out, protoTCP)
		case "udp":
			out = append(out, protoUDP)
		default:
			return nil, reasonf("the protocol %q in %s is not translated (only 'tcp' and 'udp' are)", v, c)
		}
	}
	return out, nil
}

// singleStrings returns the values of the one comparison of conj, an =
// or IN on strings.
func singleStrings(conj []*pattern.Comparison) ([]string, error) {
	c, err := single(conj)
	if err != nil {
		return nil, err
	}
	if c.Op == pattern.OpIsSubset {
		return nil, reasonf("the operator %s in %s is not translated", c.Op, c)
	}
	return stringValues(c)
}

// domainRules translates [domain-name:value = / IN ...]: one rule per name
// for each of the DNS query, the TLS SNI and the HTTP Host.
func domainRules(conj []*pattern.Comparison, out []rule) ([]rule, error) {
	vals, err := singleStrings(conj)
	if err != nil {
		return nil, err
	}
	for _, v := range vals {
		if why := checkDomain(v); why != "" {
			return nil, reasonf("the domain name %q is not translated: %s", v, why)
		}
		out = append(out,
			rule{proto: protoDNS, matches: []match{{bufDNSQuery, v}}},
			rule{proto: protoTLS, matches: []match{{bufTLSSNI, v}}},
			rule{proto: protoHTTP, matches: []match{{bufHTTPHost, v}}})
	}
	return out, nil
}

// checkDomain returns why a name cannot be matched exactly by the rule
// buffers, or "". The buffers hold names as sent; the HTTP Host buffer is
// lower-cased, so only lower-case names match the same everywhere.
func checkDomain(s string) string {
	if s == "" || len(s) > 253 {
		return "it is empty or longer than 253 characters"
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return "it has an empty label or one longer than 63 characters"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "only lower-case letters, digits, '-' and '_' are matched the same in DNS, TLS and HTTP buffers"
			}
		}
	}
	return ""
}

// urlRules translates [url:value = / IN ...] for http:// URLs: one rule
// per URL on the Host header and the request target as sent.
func urlRules(conj []*pattern.Comparison, out []rule) ([]rule, error) {
	vals, err := singleStrings(conj)
	if err != nil {
		return nil, err
	}
	for _, v := range vals {
		host, target, why := splitURL(v)
		if why != "" {
			return nil, reasonf("the URL %q is not translated: %s", v, why)
		}
		out = append(out, rule{proto: protoHTTP, matches: []match{{bufHTTPHostRaw, host}, {bufHTTPURIRaw, target}}})
	}
	return out, nil
}

// splitURL splits http://host[:port]/target into the Host header and the
// request target a client sends for it; why says what stops that.
func splitURL(u string) (host, target, why string) {
	rest, ok := strings.CutPrefix(u, "http://")
	if !ok {
		if strings.HasPrefix(u, "https://") {
			return "", "", "the request of an https URL is encrypted; matching its host alone (TLS SNI) would fire on every URL of the host"
		}
		return "", "", "only URLs beginning with http:// are matched (lower-case scheme)"
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f {
			return "", "", "it holds a space, a control character or a non-ASCII character, which a request line carries differently"
		}
	}
	if strings.ContainsRune(u, '#') {
		return "", "", "a fragment (#...) is never sent to the server"
	}
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return "", "", "it has no path, and an observed request URL always has one; equality would never hold"
	}
	host, target = rest[:slash], rest[slash:]
	if host == "" || strings.ContainsAny(host, "@?") {
		return "", "", "its authority is empty or holds user information"
	}
	if strings.HasPrefix(host, "[") {
		return "", "", "URLs with an IPv6 literal host are not translated"
	}
	if h, port, ok := strings.Cut(host, ":"); ok {
		if n, err := strconv.Atoi(port); h == "" || err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", "", "its port is not a number from 1 to 65535"
		}
	}
	return host, target, ""
}
