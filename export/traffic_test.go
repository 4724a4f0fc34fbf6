package export_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/pattern"
)

// flow is one flow of the package's traffic model, as a sensor sees it.
type flow struct {
	src, dst     netip.Addr
	sport, dport uint16
	transport    string // tcp, udp or icmp
	app          string // "", dns, tls or http
	dnsQuery     string
	sni          string
	httpHost     string // the Host header as sent
	uri          string // the request target as sent
}

// normHost is what http.host holds: the Host header lower-cased, without
// port.
func normHost(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// observation builds the observed-data a sensor writes for f (the model of
// the package documentation).
func (f flow) observation(tb testing.TB) *pattern.Observation {
	tb.Helper()
	addrType := func(a netip.Addr) string {
		if a.Is4() {
			return "ipv4-addr"
		}
		return "ipv6-addr"
	}
	ipver := "ipv4"
	if f.src.Is6() {
		ipver = "ipv6"
	}
	protocols := []any{ipver, f.transport}
	if f.app != "" {
		protocols = append(protocols, f.app)
	}
	nt := map[string]any{"type": "network-traffic", "src_ref": "a-1", "dst_ref": "a-2", "protocols": protocols}
	if f.transport != "icmp" {
		nt["src_port"], nt["dst_port"] = f.sport, f.dport
	}
	objs := map[string]any{
		"a-1":  map[string]any{"type": addrType(f.src), "value": f.src.String()},
		"a-2":  map[string]any{"type": addrType(f.dst), "value": f.dst.String()},
		"nt-1": nt,
	}
	switch f.app {
	case "dns":
		objs["d-1"] = map[string]any{"type": "domain-name", "value": f.dnsQuery}
	case "tls":
		objs["d-1"] = map[string]any{"type": "domain-name", "value": f.sni}
	case "http":
		objs["d-1"] = map[string]any{"type": "domain-name", "value": normHost(f.httpHost)}
		objs["u-1"] = map[string]any{"type": "url", "value": "http://" + f.httpHost + f.uri}
	}
	raw, err := json.Marshal(objs)
	if err != nil {
		tb.Fatal(err)
	}
	o := &pattern.Observation{ID: "observed-data--1", NumberObserved: 1}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&o.Objects); err != nil {
		tb.Fatal(err)
	}
	return o
}

// fires evaluates a parsed rule on a flow: the header (both orientations
// unless flow:to_server limits it to the initiator's packets) and every
// exact buffer match.
func (r *parsedRule) fires(f flow) bool {
	switch r.proto {
	case "ip":
	case "tcp", "udp":
		if f.transport != r.proto {
			return false
		}
	default: // a Suricata app-layer protocol
		if f.app != r.proto {
			return false
		}
	}
	if r.service != "" && f.app != r.service {
		return false
	}
	header := func(src, dst netip.Addr, sp, dp uint16) bool {
		return inSet(r.src, src) && inSet(r.dst, dst) && inPorts(r.srcPorts, sp) && inPorts(r.dstPorts, dp)
	}
	ok := header(f.src, f.dst, f.sport, f.dport)
	if !ok && !r.toServer {
		ok = header(f.dst, f.src, f.dport, f.sport)
	}
	if !ok {
		return false
	}
	for _, m := range r.matches {
		var buf string
		switch m.buf {
		case "dns.query":
			buf = f.dnsQuery
		case "tls.sni":
			buf = f.sni
		case "http.host":
			if f.app == "http" {
				buf = normHost(f.httpHost)
			}
		case "http.host.raw", "http_raw_header:field host":
			buf = f.httpHost
		case "http.uri.raw", "http_raw_uri":
			buf = f.uri
		}
		if buf == "" || buf != m.content || len(buf) != m.size {
			return false
		}
	}
	return true
}

func inSet(set []netip.Prefix, a netip.Addr) bool {
	if set == nil {
		return true
	}
	for _, p := range set {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func inPorts(ports []uint16, p uint16) bool {
	if ports == nil {
		return true
	}
	for _, q := range ports {
		if q == p {
			return true
		}
	}
	return false
}

// flowGen makes random flows that mostly use the values a pattern names,
// so that both hits and near misses occur.
type flowGen struct {
	r       *rand.Rand
	addrs   []netip.Addr
	ports   []uint16
	domains []string
	hosts   []string
	uris    []string
}

func newFlowGen(seed uint64, pat *pattern.Pattern) *flowGen {
	g := &flowGen{
		r:       rand.New(rand.NewPCG(seed, 7)),
		addrs:   []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")},
		ports:   []uint16{53, 80, 443, 8080},
		domains: []string{"other.example", "Evil.Example.com"},
		hosts:   []string{"other.example", "other.example:8080"},
		uris:    []string{"/", "/index.html"},
	}
	if pat == nil {
		return g
	}
	for _, c := range pat.Comparisons() {
		lits := append([]pattern.Literal{c.Value}, c.Set...)
		for _, l := range lits {
			switch l.Kind {
			case pattern.KindInt:
				if l.Int >= 0 && l.Int <= 65535 {
					g.ports = append(g.ports, uint16(l.Int), uint16(l.Int+1))
				}
			case pattern.KindString:
				g.addString(l.Str)
			}
		}
	}
	return g
}

func (g *flowGen) addString(s string) {
	if a, err := netip.ParseAddr(s); err == nil {
		g.addrs = append(g.addrs, a, a.Next())
		return
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		p = p.Masked()
		last := p.Addr()
		for i := 0; i < 3 && p.Contains(last.Next()); i++ {
			last = last.Next()
		}
		g.addrs = append(g.addrs, p.Addr(), p.Addr().Prev(), last, last.Next())
		return
	}
	if rest, ok := strings.CutPrefix(s, "http://"); ok {
		host, target, _ := strings.Cut(rest, "/")
		g.hosts = append(g.hosts, host, strings.ToUpper(host))
		g.uris = append(g.uris, "/"+target, "/"+target+"x")
		return
	}
	g.domains = append(g.domains, s, strings.ToUpper(s), "www."+s)
	g.hosts = append(g.hosts, s, s+":8080", strings.ToUpper(s))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// next returns a random flow; both ends are of one IP version.
func (g *flowGen) next() flow {
	f := flow{src: pick(g.r, g.addrs)}
	for range 8 {
		f.dst = pick(g.r, g.addrs)
		if f.dst.Is4() == f.src.Is4() {
			break
		}
	}
	if f.dst.Is4() != f.src.Is4() {
		f.dst = f.src
	}
	f.transport = pick(g.r, []string{"tcp", "tcp", "udp", "icmp"})
	if f.transport != "icmp" {
		f.sport, f.dport = pick(g.r, g.ports), pick(g.r, g.ports)
	}
	switch {
	case f.transport == "udp" && g.r.IntN(2) == 0:
		f.app, f.dnsQuery = "dns", pick(g.r, g.domains)
	case f.transport == "tcp":
		switch g.r.IntN(3) {
		case 0:
			f.app, f.sni = "tls", pick(g.r, g.domains)
		case 1:
			f.app, f.httpHost, f.uri = "http", pick(g.r, g.hosts), pick(g.r, g.uris)
		}
	}
	return f
}

// rulesFor writes the rules of one indicator with the pattern in a dialect.
func rulesFor(tb testing.TB, dialect, p string) ([]*parsedRule, export.Report) {
	tb.Helper()
	var buf bytes.Buffer
	w := export.NewSuricataWriter(&buf)
	if dialect == "snort" {
		w = export.NewSnortWriter(&buf)
	}
	ind := testIndicator(p)
	if err := w.Write(ind); err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	var rules []*parsedRule
	for line := range strings.Lines(buf.String()) {
		line = strings.TrimSuffix(line, "\n")
		r, err := parseRule(dialect, line)
		if err != nil {
			tb.Fatalf("%s rule for %q fails the strict parser: %v\n%s", dialect, p, err, line)
		}
		if r.sid < int64(ind.SID) || r.sid >= int64(ind.SID+export.MaxRulesPerIndicator) {
			tb.Fatalf("sid %d outside the indicator's block", r.sid)
		}
		rules = append(rules, r)
	}
	return rules, w.Report()
}

func testIndicator(p string) export.Indicator {
	conf := 80
	return export.Indicator{
		ID: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", Name: `Bad "host"; see \notes`,
		Pattern: p, TLP: "amber", Confidence: &conf,
		ValidFrom: "2024-01-01T00:00:00Z", Created: "2024-01-01T00:00:00Z", Modified: "2024-02-03T04:05:06.789Z",
		Labels: []string{"malicious-activity", "c2"}, KillChainPhases: []string{"mitre-attack:command-and-control"},
		SID: 1000000,
	}
}

// checkEquivalent compares the rules with the pattern on n random flows.
func checkEquivalent(t testing.TB, p string, pat *pattern.Pattern, rules []*parsedRule, seed uint64, n int) (hits int) {
	t.Helper()
	g := newFlowGen(seed, pat)
	for range n {
		f := g.next()
		want := pat.MatchOne(f.observation(t))
		got := false
		for _, r := range rules {
			if r.fires(f) {
				got = true
				break
			}
		}
		if got != want {
			t.Fatalf("%q on %+v: rules fire %v, pattern matches %v", p, f, got, want)
		}
		if want {
			hits++
		}
	}
	return hits
}
