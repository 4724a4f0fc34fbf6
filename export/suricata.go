package export

import "io"

// suricata is Suricata 7's rule language
// (https://docs.suricata.io/en/suricata-7.0.14/rules/).
var suricata = &dialect{
	protos: [...]string{protoIP: "ip", protoTCP: "tcp", protoUDP: "udp", protoDNS: "dns", protoTLS: "tls", protoHTTP: "http"},
	buffers: [...]string{
		bufDNSQuery: "dns.query", bufTLSSNI: "tls.sni", bufHTTPHost: "http.host",
		bufHTTPHostRaw: "http.host.raw", bufHTTPURIRaw: "http.uri.raw",
	},
	size: "bsize",
}

// NewSuricataWriter returns a RuleWriter of Suricata 7 rules. Each content
// match is exact: the content with bsize equal to its length, on the
// sticky buffers dns.query, tls.sni, http.host (for domain names),
// http.host.raw and http.uri.raw (for URLs).
func NewSuricataWriter(w io.Writer) *RuleWriter { return newRuleWriter(w, suricata) }
