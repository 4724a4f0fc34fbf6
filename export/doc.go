// Package export turns STIX 2.1 indicators (section 4.7) into the files
// security teams import: CSV, plain blocklists, and Suricata 7 and Snort 3
// rules. It is pure: indicators in, bytes out, through writers that hold
// one indicator at a time, so an export of any size runs in constant
// memory. Every writer keeps a Report of what it exported and of each
// indicator it did not, with the reason (set SkipFunc to receive those as
// they happen instead of keeping them).
//
// # Observables
//
// Observables lists the values a pattern (STIX 2.1 section 9) names that a
// blocklist can hold. The rule: every comparison anywhere in the pattern,
// whatever AND, OR, FOLLOWEDBY or qualifiers surround it, that is not
// negated (no NOT, not !=) and whose operator is = or IN, contributes its
// string literals when its path is one of:
//
//   - ipv4-addr:value, ipv6-addr:value, network-traffic:src_ref.value and
//     network-traffic:dst_ref.value: kind ipv4 or ipv6 for an address
//     (written canonically), cidr for a block shorter than /32 or /128; a
//     /32 or /128 block is its address. ISSUBSET on these paths also
//     contributes its block (masked). Text that is no IP address is left
//     out.
//   - domain-name:value: domain. url:value: url.
//   - file:hashes.X and artifact:hashes.X with X 'SHA-256' (or SHA256),
//     MD5, 'SHA-1' (or SHA1): sha256, md5, sha1, lower-cased.
//   - email-addr:value, email-message:from_ref.value, sender_ref.value and
//     to_refs, cc_refs, bcc_refs[*].value: email.
//
// Empty values and values holding an ASCII control character are left
// out; each (kind,
// value) is listed once per pattern, in source order. A blocklist is a
// list of suspicious values, so values from one side of an AND or of a
// FOLLOWEDBY are listed too, although the pattern needs more than that
// value to match.
//
// # CSV
//
// CSVWriter writes RFC 4180 CSV (encoding/csv) with a header row and one
// row per observable, with the columns, in order: value, kind, indicator
// id, name, TLP, confidence, valid_from, valid_until, labels, kill-chain
// phases, created, modified. Labels and kill-chain phases ("chain:phase")
// are joined by ";" (a ";" inside one element is kept, so such lists do
// not split back exactly). Confidence is empty when absent. Values are
// written as they are; EscapeFormulas guards cells that a spreadsheet
// would evaluate.
//
// # TXT
//
// The CSV and TXT writers ask their Exclude function, when set, of every
// value: one it excludes is left out (known false positives, package
// warninglist), and an indicator whose every value is left out is
// skipped with that reason.
//
// TXTWriter writes the values of one kind, one per line. Duplicates
// across indicators are not removed (that needs memory growing with the
// export); pipe through sort -u when the importer minds.
//
// # Suricata and Snort rules
//
// NewSuricataWriter and NewSnortWriter translate a pattern only where the
// rules fire exactly when the pattern would, under this traffic model: an
// observation of a flow holds the ipv4-addr/ipv6-addr objects of its two
// ends (values in canonical form), one network-traffic object with
// src_ref (the initiator), dst_ref, src_port and dst_port (TCP and UDP
// only) and protocols holding 'tcp' or 'udp', a domain-name object for a
// DNS query name, a TLS SNI and the HTTP Host (lower-cased, without
// port), and for HTTP a url object "http://" + Host header + request
// target as sent. Translated, each comparison = or IN (STIX 2.1 section
// 9.5) in brackets without qualifiers:
//
//   - [ipv4-addr:value = 'a'] and ipv6-addr, IN for several: one rule
//     "alert ip any any <> a any" (either end). ISSUBSET 'block' gives the
//     block. = 'block' is reported: = compares text, so it matches an
//     address object holding that block, not the addresses inside it.
//     Addresses not in canonical form are reported for the same reason.
//   - network-traffic comparisons joined by AND (one object): src_ref.value
//     and dst_ref.value (addresses, IN, ISSUBSET), src_port and dst_port (=,
//     IN), protocols[*] = 'tcp' or 'udp' (IN gives a rule per protocol)
//     become one rule with flow:to_server, so that the rule's source is the
//     flow's initiator; ports without a protocol give a tcp and a udp rule.
//   - domain-name:value: for each name, three rules, dns.query, tls.sni
//     and http.host, each an exact match (content with bsize of its
//     length). Names with characters other than lower-case letters,
//     digits, '-', '_' and dots are reported (http.host is lower-cased).
//     Snort 3 has no DNS query or SNI buffer, so Snort reports domain
//     names rather than match only HTTP.
//   - url:value with http://host[:port]/target: one rule matching the Host
//     header (http.host.raw; Snort http_raw_header:field host) and the
//     request target (http.uri.raw; Snort http_raw_uri) exactly. https
//     URLs (the path is encrypted), URLs without a path, with a fragment,
//     user information, an IPv6 literal, spaces or non-ASCII are reported.
//   - OR inside brackets and OR between observations: one rule per
//     disjunct (after distributing AND over OR), each firing on exactly its
//     disjunct, so the rules together fire exactly when the pattern does.
//
// Reported, never translated: NOT and !=, <, <=, >, >=, LIKE, MATCHES,
// ISSUPERSET, EXISTS; AND and FOLLOWEDBY between observations and the
// qualifiers WITHIN, REPEATS, START/STOP (a rule sees one flow); AND of
// different object types in one bracket (it never matches); a property
// compared twice in one bracket; any other object type or property; file
// and artifact hashes (Suricata's filemd5, filesha1 and filesha256 need
// hash-list files and see only files carried by the protocols Suricata
// parses, while the pattern matches the file wherever it is seen: export
// the md5, sha1 or sha256 list instead); e-mail addresses (SMTP envelope,
// headers and mailbox protocols are different buffers). An indicator is
// translated whole or not at all, so the rules never fire on less than
// the pattern.
//
// Every rule carries msg (the indicator's name, else its id, without
// control characters, at most 200 bytes, with ; " and \ escaped by a
// backslash), metadata "stix_id <id>, tlp <level>", sid and rev. Content
// is printable ASCII with " ; \ | : and every non-printable byte written
// as |XX| hex, which both languages accept. rev is the Unix time in
// seconds of the indicator version's modified (two versions modified in
// the same second share a rev). An indicator needs at most
// MaxRulesPerIndicator rules, in an order fixed by its pattern; rule k
// has sid Indicator.SID+k. Give indicator n the sid base +
// n*MaxRulesPerIndicator and every rule keeps its sid for as long as the
// pattern is unchanged.
//
// # Performance
//
// go test -run '^$' -bench Export -benchtime 1000000x ./export writes a
// million generated indicators (IPv4, domain, URL, network-traffic,
// SHA-256 and IPv6 block patterns, 4,096 distinct ones cycled) to
// io.Discard. On the shared 2-core AMD EPYC: quiet (load about 1) CSV
// 2.9 µs, 350,000 indicators/s, Suricata 3.6 µs, 279,000/s, Snort
// 3.5 µs, 286,000/s; at a load of 2.5 from other jobs 170,000 to 250,000/s.
// CSV makes 15 allocations (600 bytes) per indicator, the rule writers 19
// (about 770 bytes), none kept: the heap does not grow with the export.
// Parsing the pattern is about 2 µs of it.
//
// References: STIX 2.1 (OASIS, 2021) sections 4.7 and 9; the Suricata 7
// user guide, chapter "Suricata Rules" (rule format, meta keywords,
// payload keywords content and bsize, flow, DNS, TLS and HTTP keywords);
// the Snort 3 rule writing guide and rule options (msg, metadata, sid,
// rev, flow, service, content, bufferlen, http_raw_header, http_raw_uri).
package export
