package export_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// parsedRule is a rule read by parseRule, the strict reader of the subset
// of the Suricata 7 and Snort 3 rule grammar the writers may produce.
type parsedRule struct {
	proto              string
	src, dst           []netip.Prefix // nil: any
	srcPorts, dstPorts []uint16       // nil: any
	bidir              bool
	msg                string // unescaped
	metadata           string
	sid, rev           int64
	toServer           bool
	service            string
	matches            []parsedMatch
}

// parsedMatch is a sticky buffer with its content and length check.
type parsedMatch struct {
	buf     string
	content string // decoded
	size    int
}

type grammar struct {
	protos  map[string]bool
	buffers map[string]string // keyword (with its value, if any) -> protocol the rule needs
	size    string
	service bool
}

var grammars = map[string]grammar{
	"suricata": {
		protos: map[string]bool{"ip": true, "tcp": true, "udp": true, "dns": true, "tls": true, "http": true},
		buffers: map[string]string{
			"dns.query": "dns", "tls.sni": "tls", "http.host": "http",
			"http.host.raw": "http", "http.uri.raw": "http",
		},
		size: "bsize",
	},
	"snort": {
		protos:  map[string]bool{"ip": true, "tcp": true, "udp": true},
		buffers: map[string]string{"http_raw_header:field host": "tcp", "http_raw_uri": "tcp"},
		size:    "bufferlen",
		service: true,
	},
}

// parseRule reads one rule line of the dialect ("suricata" or "snort").
// It accepts only: alert PROTO SRC SPORT (->|<>) DST DPORT (OPTIONS)
// with single spaces; addresses any, a canonical address or masked block,
// or a bracketed list of two or more; ports any, a number or a list; and
// options "key[:value]; " from a whitelist, with msg, metadata, sid and
// rev each exactly once.
func parseRule(dialect, line string) (*parsedRule, error) {
	g, ok := grammars[dialect]
	if !ok {
		return nil, fmt.Errorf("unknown dialect %q", dialect)
	}
	head, body, ok := strings.Cut(line, " (")
	if !ok || !strings.HasSuffix(body, ")") {
		return nil, errors.New("no option list ( ... )")
	}
	body = body[:len(body)-1]
	f := strings.Split(head, " ")
	if len(f) != 7 {
		return nil, fmt.Errorf("header has %d fields, want 7", len(f))
	}
	r := &parsedRule{proto: f[1]}
	if f[0] != "alert" {
		return nil, fmt.Errorf("action %q", f[0])
	}
	if !g.protos[f[1]] {
		return nil, fmt.Errorf("protocol %q", f[1])
	}
	var err error
	if r.src, err = parseAddrs(f[2]); err != nil {
		return nil, err
	}
	if r.dst, err = parseAddrs(f[5]); err != nil {
		return nil, err
	}
	if r.srcPorts, err = parsePorts(f[3]); err != nil {
		return nil, err
	}
	if r.dstPorts, err = parsePorts(f[6]); err != nil {
		return nil, err
	}
	if (r.srcPorts != nil || r.dstPorts != nil) && r.proto != "tcp" && r.proto != "udp" {
		return nil, fmt.Errorf("ports on protocol %s", r.proto)
	}
	switch f[4] {
	case "->":
	case "<>":
		r.bidir = true
	default:
		return nil, fmt.Errorf("direction %q", f[4])
	}
	if err := r.parseOptions(g, body); err != nil {
		return nil, err
	}
	return r, nil
}

func parseAddrs(s string) ([]netip.Prefix, error) {
	if s == "any" {
		return nil, nil
	}
	items := []string{s}
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("address list %q", s)
		}
		items = strings.Split(s[1:len(s)-1], ",")
		if len(items) < 2 {
			return nil, fmt.Errorf("address list %q of fewer than two", s)
		}
	}
	var out []netip.Prefix
	for _, it := range items {
		if a, err := netip.ParseAddr(it); err == nil && a.String() == it && a.Zone() == "" {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(it)
		if err != nil || p.String() != it || p != p.Masked() || p.IsSingleIP() {
			return nil, fmt.Errorf("address %q", it)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePorts(s string) ([]uint16, error) {
	if s == "any" {
		return nil, nil
	}
	items := []string{s}
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("port list %q", s)
		}
		items = strings.Split(s[1:len(s)-1], ",")
		if len(items) < 2 {
			return nil, fmt.Errorf("port list %q of fewer than two", s)
		}
	}
	var out []uint16
	for _, it := range items {
		n, err := strconv.Atoi(it)
		if err != nil || n < 0 || n > 65535 || strconv.Itoa(n) != it {
			return nil, fmt.Errorf("port %q", it)
		}
		out = append(out, uint16(n))
	}
	return out, nil
}

// parseOptions reads "key[:value]; key[:value]; ...;" (one space between
// options, none after the last ";").
func (r *parsedRule) parseOptions(g grammar, body string) error {
	seen := map[string]int{}
	var cur *parsedMatch // the sticky buffer in force
	for i := 0; body != ""; i++ {
		if i > 0 {
			var ok bool
			if body, ok = strings.CutPrefix(body, " "); !ok {
				return fmt.Errorf("options not separated by one space at %q", body)
			}
		}
		key, value, rest, err := nextOption(body)
		if err != nil {
			return err
		}
		body = rest
		seen[key]++
		full := key
		if value != "" {
			full += ":" + value
		}
		if need, ok := g.buffers[full]; ok {
			if need != r.proto {
				return fmt.Errorf("%s in a rule on %s", full, r.proto)
			}
			if cur != nil && cur.size < 0 {
				return fmt.Errorf("buffer %s without a length check", cur.buf)
			}
			r.matches = append(r.matches, parsedMatch{buf: full, size: -2})
			cur = &r.matches[len(r.matches)-1]
			continue
		}
		switch key {
		case "msg":
			if r.msg, err = unquoteMsg(value); err != nil {
				return err
			}
		case "metadata":
			if err := checkMetadata(value); err != nil {
				return err
			}
			r.metadata = value
		case "sid", "rev":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 1 || n > 1<<32-1 || strconv.FormatInt(n, 10) != value {
				return fmt.Errorf("%s:%s", key, value)
			}
			if key == "sid" {
				r.sid = n
			} else {
				r.rev = n
			}
		case "flow":
			if value != "to_server" {
				return fmt.Errorf("flow:%s", value)
			}
			r.toServer = true
		case "service":
			if !g.service || value != "http" {
				return fmt.Errorf("service:%s", value)
			}
			r.service = value
		case "content":
			if cur == nil || cur.size != -2 {
				return errors.New("content outside a sticky buffer, or a second one")
			}
			if cur.content, err = unquoteContent(value); err != nil {
				return err
			}
			cur.size = -1
		case g.size:
			n, err := strconv.Atoi(value)
			if cur == nil || cur.size != -1 || err != nil || strconv.Itoa(n) != value {
				return fmt.Errorf("%s:%s not after a content", key, value)
			}
			if n != len(cur.content) {
				return fmt.Errorf("%s:%d but the content has %d bytes", key, n, len(cur.content))
			}
			cur.size = n
		default:
			return fmt.Errorf("unknown keyword %q", key)
		}
	}
	if cur != nil && cur.size < 0 {
		return fmt.Errorf("buffer %s without an exact content", cur.buf)
	}
	for _, k := range []string{"msg", "metadata", "sid", "rev"} {
		if seen[k] != 1 {
			return fmt.Errorf("%s appears %d times, want once", k, seen[k])
		}
	}
	for k, n := range seen {
		if n > 1 && k != "content" && k != g.size && k != "http_raw_header" {
			if _, buf := g.buffers[k]; !buf {
				return fmt.Errorf("%s appears %d times", k, n)
			}
		}
	}
	if g.service && len(r.matches) > 0 && r.service != "http" {
		return errors.New("http buffers without service:http")
	}
	return nil
}

// nextOption splits the first option off body. A value in double quotes
// runs to the first unescaped quote; any other value to the first ";".
func nextOption(body string) (key, value, rest string, err error) {
	i := 0
	for i < len(body) && (body[i] >= 'a' && body[i] <= 'z' || body[i] >= '0' && body[i] <= '9' || body[i] == '.' || body[i] == '_') {
		i++
	}
	if i == 0 {
		return "", "", "", fmt.Errorf("no keyword at %q", body)
	}
	key, body = body[:i], body[i:]
	if strings.HasPrefix(body, ";") {
		return key, "", body[1:], nil
	}
	if !strings.HasPrefix(body, ":") {
		return "", "", "", fmt.Errorf("%s not followed by : or ;", key)
	}
	body = body[1:]
	if strings.HasPrefix(body, `"`) {
		j := 1
		for ; j < len(body); j++ {
			if body[j] == '\\' {
				j++
				continue
			}
			if body[j] == '"' {
				break
			}
		}
		if j >= len(body) || !strings.HasPrefix(body[j+1:], ";") {
			return "", "", "", fmt.Errorf("%s: unterminated string", key)
		}
		return key, body[:j+1], body[j+2:], nil
	}
	j := strings.IndexByte(body, ';')
	if j <= 0 {
		return "", "", "", fmt.Errorf("%s: no value or no ;", key)
	}
	value = body[:j]
	if strings.ContainsAny(value, `"\`) || strings.TrimSpace(value) != value {
		return "", "", "", fmt.Errorf("%s: bad value %q", key, value)
	}
	return key, value, body[j+1:], nil
}

// unquoteMsg reads a msg string: printable characters, with ; " and \
// escaped by a backslash and nothing else escaped.
func unquoteMsg(q string) (string, error) {
	if len(q) < 3 || q[0] != '"' || q[len(q)-1] != '"' {
		return "", fmt.Errorf("msg %s is not a non-empty quoted string", q)
	}
	var b strings.Builder
	s := q[1 : len(q)-1]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) || strings.IndexByte(`;"\`, s[i+1]) < 0 {
				return "", fmt.Errorf("msg %s: bad escape", q)
			}
			i++
			b.WriteByte(s[i])
		case c == ';' || c == '"' || c < 0x20 || c == 0x7f:
			return "", fmt.Errorf("msg %s: unescaped %q", q, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// unquoteContent reads a content string: printable ASCII other than
// " ; \ | and :, and |XX XX| hex groups.
func unquoteContent(q string) (string, error) {
	if len(q) < 3 || q[0] != '"' || q[len(q)-1] != '"' {
		return "", fmt.Errorf("content %s is not a non-empty quoted string", q)
	}
	var b strings.Builder
	s := q[1 : len(q)-1]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '|' {
			end := strings.IndexByte(s[i+1:], '|')
			if end < 0 {
				return "", fmt.Errorf("content %s: unclosed |", q)
			}
			for _, h := range strings.Split(s[i+1:i+1+end], " ") {
				n, err := strconv.ParseUint(h, 16, 8)
				if err != nil || len(h) != 2 {
					return "", fmt.Errorf("content %s: bad hex %q", q, h)
				}
				b.WriteByte(byte(n))
			}
			i += end + 1
			continue
		}
		if c < 0x20 || c >= 0x7f || strings.IndexByte(`";\:`, c) >= 0 {
			return "", fmt.Errorf("content %s: raw %q", q, c)
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// checkMetadata accepts "stix_id ID" optionally followed by ", tlp LEVEL".
func checkMetadata(v string) error {
	parts := strings.Split(v, ", ")
	for i, p := range parts {
		k, val, ok := strings.Cut(p, " ")
		if !ok || !word(k) || !word(val) {
			return fmt.Errorf("metadata %q: bad pair %q", v, p)
		}
		if i == 0 && k != "stix_id" || i == 1 && k != "tlp" || i > 1 {
			return fmt.Errorf("metadata %q: unexpected key %q", v, k)
		}
	}
	return nil
}

func word(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.+", c) >= 0) {
			return false
		}
	}
	return true
}
