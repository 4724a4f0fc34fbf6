// Package warninglist tells whether an indicator value is on a list of
// known false positives ("warninglists", as MISP calls them): addresses,
// ranges, names and hashes that are not malicious, or mean nothing as an
// indicator outside the network that saw them. The hub's exports and its
// matching ask it before they publish or alert, in flag mode (keep the
// value, mark it) or drop mode (leave it out); the caller chooses the
// mode. This package only answers: is the value on a list, which entry of
// which list, and why (Hit).
//
// # Shipped lists
//
// The shipped lists (Builtin) are written in Go source from their
// sources' definitions, each entry citing the RFC section or the
// operator's documentation page; nothing is downloaded.
//
// Special-purpose ranges, from the IANA IPv4 and IPv6 Special-Purpose
// Address Registries (RFC 6890 and its updates), one list per defining
// RFC: a hit is an address that no remote host on the Internet has.
//
//	rfc1122-this-network               0.0.0.0/8                 RFC 1122 section 3.2.1.3
//	rfc1918-private                    10/8, 172.16/12, 192.168/16  RFC 1918 section 3
//	rfc6598-shared-address-space       100.64.0.0/10 (CGN)       RFC 6598
//	rfc1122-loopback                   127.0.0.0/8               RFC 1122 section 3.2.1.3
//	rfc3927-link-local                 169.254.0.0/16            RFC 3927
//	rfc6890-ietf-protocol-assignments  192.0.0.0/24              RFC 6890 section 2.2.2
//	rfc5737-documentation              192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24  RFC 5737 section 3
//	rfc7526-6to4-relay-anycast         192.88.99.0/24            RFC 7526, RFC 3068
//	rfc2544-benchmarking               198.18.0.0/15             RFC 2544 appendix C.2.2
//	rfc5771-multicast                  224.0.0.0/4               RFC 5771
//	rfc1112-reserved                   240.0.0.0/4               RFC 1112 section 4
//	rfc919-limited-broadcast           255.255.255.255           RFC 919 section 7
//	rfc7534-as112                      AS112 sinks, v4 and v6    RFC 7534, RFC 7535
//	rfc4291-unspecified                ::                        RFC 4291 section 2.5.2
//	rfc4291-loopback                   ::1                       RFC 4291 section 2.5.3
//	rfc4291-link-local                 fe80::/10                 RFC 4291 section 2.5.6
//	rfc4291-multicast                  ff00::/8                  RFC 4291 section 2.7
//	rfc4193-unique-local               fc00::/7                  RFC 4193 section 3.1
//	rfc3849-documentation              2001:db8::/32             RFC 3849
//	rfc9637-documentation              3fff::/20                 RFC 9637
//	rfc6666-discard-only               100::/64                  RFC 6666
//	rfc6052-nat64-well-known           64:ff9b::/96              RFC 6052 section 2.1
//	rfc8215-nat64-local-use            64:ff9b:1::/48            RFC 8215
//	rfc5180-benchmarking               2001:2::/48               RFC 5180
//	rfc7343-orchid-v2                  2001:20::/28              RFC 7343
//
// Left out because an address in them can be a real, reachable host:
// 6to4 2002::/16 (RFC 3056) and Teredo 2001::/32 (RFC 4380), which embed
// real IPv4 addresses, and the globally reachable AMT prefixes. The
// IPv4-mapped range ::ffff:0:0/96 (RFC 4291 section 2.5.5.2) is not a
// list either: a mapped address is checked as the IPv4 address it maps.
// 64:ff9b::/96 embeds an IPv4 address that may be real; flag, not drop.
//
// Special-use domain names, from the IANA Special-Use Domain Names
// registry (RFC 6761), each matching the name and every name under it,
// as RFC 6761 section 6 reserves them:
//
//	rfc2606-reserved-names  test, example, invalid, localhost,
//	                        example.com, example.net, example.org  RFC 2606 sections 2-3, RFC 6761 sections 6.2-6.5
//	rfc6762-local           local                      RFC 6762 section 3
//	rfc8375-home-arpa       home.arpa                  RFC 8375
//	rfc9476-alt             alt                        RFC 9476
//	icann-internal          internal                   ICANN SAC113, reserved 2024
//	rfc7686-onion           onion                      RFC 7686 section 2 (not in Default)
//
// rfc7686-onion is shipped but left out of Default: an onion name never
// resolves in the DNS, yet it names a real Tor service, often a threat's
// (ransomware leak sites, C2), so dropping it would drop real
// intelligence. Use it in flag mode, through NewSet(Builtin()...).
//
// Service addresses, from the operators' documentation: the published
// resolver addresses of google-public-dns (8.8.8.8, 8.8.4.4,
// 2001:4860:4860::8888, ::8844 and the DNS64 pair), cloudflare-dns
// (1.1.1.1, 1.0.0.1, 2606:4700:4700::1111, ::1001 and the 1.1.1.1 for
// Families addresses), quad9-dns (9.9.9.9, 149.112.112.112, 2620:fe::fe,
// 2620:fe::9 and the 9.9.9.10/11/12 services), opendns (208.67.222.222,
// 208.67.220.220, FamilyShield, 2620:119:35::35, 2620:119:53::53) and
// adguard-dns (94.140.14.14, 94.140.15.15, 2a10:50c0::ad1:ff, ::ad2:ff):
// malware probes them to test connectivity and every network uses them.
// Only the service addresses are listed, never the operators' networks.
// cloud-metadata lists the in-VM endpoints of cloud providers:
// 169.254.169.254 (AWS, Google Cloud, Azure, Oracle Cloud instance
// metadata), fd00:ec2::254 (AWS IMDS over IPv6), 169.254.170.2 (AWS ECS
// task metadata), the Amazon DNS and time-sync addresses, 168.63.129.16
// (Azure), 100.100.100.200 (Alibaba Cloud) and metadata.google.internal.
// A URL to them in a report usually describes an SSRF attempt, so flag
// rather than drop where the URL is the point.
//
// Default returns the shipped lists but rfc7686-onion, indexed once.
//
// # Matching rules
//
// Set.Match(kind, value) takes the observable kinds of the exports:
// ipv4, ipv6, cidr, domain, url, email, md5, sha1, sha256.
//
//   - ipv4, ipv6, cidr: the value is an address or a CIDR range of either
//     family (a STIX ipv4-addr value may be a range). An address is on a
//     list when a listed address or range contains it. A range is on a
//     list when it lies wholly inside a listed range (its prefix is at
//     least as long and the listed range contains its address):
//     10.1.0.0/16 is on rfc1918-private, 10.0.0.0/7 and 0.0.0.0/0 are
//     not, though they overlap it; flagging every range that merely
//     overlaps a private block would flag the whole Internet. Zones
//     (fe80::1%eth0) are ignored; an IPv4-mapped IPv6 address or range
//     is also checked as its IPv4 address.
//   - domain: on a list when the name is listed exactly, or when a
//     ".name" entry is the name or one of its parents: ".example.com"
//     covers example.com and www.example.com but not notexample.com or
//     example.com.evil.net. A trailing dot is ignored. An address in a
//     domain value is checked as an address.
//   - url: on a list when the URL is listed (compared with scheme and
//     authority lower-cased and an empty path as "/", RFC 3986 section
//     6.2), or when its host is on a list as a domain name or address
//     (the host is what follows "://" or a leading "//", or the start of
//     a URL without a scheme, up to the path, less user information,
//     port and IPv6 brackets).
//   - email: on a list when the address is listed, or when its domain
//     (after the last "@") is on a list as a domain name, or as an
//     address for a literal such as [192.0.2.1] (RFC 5321 section
//     4.1.3).
//   - md5, sha1, sha256 (also "sha-1", "sha-256"): on a list when the
//     hex digest is listed.
//
// Domain names, email addresses and hex digests compare case-insensitively
// (ASCII only, RFC 4343; write internationalised names as A-labels, RFC
// 5890). A value that is malformed for its kind is on no list: Match
// never fails. Every matching entry is one Hit, ordered by list and then
// by entry; a value may be on several lists (169.254.169.254 is on
// rfc3927-link-local and cloud-metadata).
//
// # Events
//
// For matching, Set.Event takes an event's observations (as
// pattern.ParseEvent gives them) and finds its values on a list: the
// value of every ipv4-addr, ipv6-addr, domain-name, url and email-addr
// object, and the MD5, SHA-1 and SHA-256 hashes of file and artifact
// objects. Event.Fired then says, for an indicator that fires on the
// event, which of those values it fires on: none when it still fires on
// the event with all of them taken out (it fires on something else, such
// as a C2 address beside a private source address), else each value that
// makes it fire alone, or all of them when it needs several. Warning.String
// is the reason text the exports and the matching API give.
//
// # Cost
//
// NewSet indexes every entry in hash maps: an address or range costs one
// lookup per distinct prefix length in the set, a domain one lookup per
// label, anything else one lookup. Match allocates only when it finds a
// hit. BenchmarkMatch measures 200 to 300 ns a value on the shipped lists
// (2-core AMD EPYC), and about the same with 110,000 more entries
// loaded (BenchmarkMatchLarge).
//
// # File format
//
// Load reads a list an operator maintains, such as a top-sites list of
// domains that must never be exported as indicators. UTF-8 text, one
// value a line:
//
//	# Top sites. Comment lines and blank lines are ignored.
//	.google.com          # google.com and every name under it
//	wikipedia.org        # this name only
//	192.0.2.1            # an IPv4 or IPv6 address
//	198.51.100.0/24      # a CIDR range, host bits zero
//	https://example.com/health
//	noc@example.net
//	d41d8cd98f00b204e9800998ecf8427e   # MD5, SHA-1 or SHA-256 in hex
//
// A value is recognised by its shape, in this order: "://" makes a URL
// (scheme and host required), "@" an email address, "/" a CIDR range,
// then an address, 32, 40 or 64 hex digits a hash, and anything else a
// domain name (RFC 1035 lengths, letters, digits, hyphens, underscores;
// the last label not all digits, so 1.2.3.256 is an error, not a name).
// A leading "." makes a domain entry cover the name and all names under
// it, as in Squid's dstdomain; a bare name covers itself only, so that a
// top-sites entry such as blogspot.com does not cover every tenant's
// subdomain unless written .blogspot.com. "*.name" is an error that says
// so. An IPv4-mapped IPv6 address or range (::ffff:10.0.0.0/104) is
// stored as the IPv4 one it maps (10.0.0.0/8). After the value, white space and a "#" comment may follow; it
// becomes the entry's Note. The first bad line fails the whole file with
// a *LineError naming the line number and the problem: no line is
// skipped silently. A file is bounded to MaxFileBytes (64 MiB),
// MaxLineBytes (8 KiB a line) and MaxEntries (1,048,576 values, enough
// for a top-one-million list).
package warninglist
