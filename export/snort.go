package export

import "io"

// snort is Snort 3's rule language (the Snort 3 rule writing guide and
// the ips_options of snort3/snort3).
var snort = &dialect{
	protos: [...]string{protoIP: "ip", protoTCP: "tcp", protoUDP: "udp", protoHTTP: "tcp"},
	buffers: [...]string{
		bufHTTPHostRaw: "http_raw_header:field host", bufHTTPURIRaw: "http_raw_uri",
	},
	size:    "bufferlen",
	service: [...]string{protoHTTP: "service:http"},
	missing: "Snort 3 has no rule buffer for the DNS query name or the TLS server name, so a domain name cannot be matched everywhere the pattern matches it",
}

// NewSnortWriter returns a RuleWriter of Snort 3 rules. URLs are matched
// exactly on http_raw_header:field host and http_raw_uri (content with
// bufferlen equal to its length) in rules with service:http. Domain names
// are reported, not translated (see the package documentation).
func NewSnortWriter(w io.Writer) *RuleWriter { return newRuleWriter(w, snort) }
