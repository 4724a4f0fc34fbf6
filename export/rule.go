package export

import (
	"bufio"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// dialect is what differs between the rule languages.
type dialect struct {
	protos  [protoHTTP + 1]string // header protocol per transport; "" = cannot
	buffers [bufHTTPURIRaw + 1]string
	size    string // the keyword that checks the buffer's length
	// service is an option added to rules on app-layer buffers ("" none).
	service [protoHTTP + 1]string
	// missing says why a buffer the dialect lacks makes a pattern
	// untranslatable.
	missing string
}

// RuleWriter writes Suricata or Snort rules for indicators, one rule per
// line. Make one with NewSuricataWriter or NewSnortWriter. An indicator
// is translated whole or not at all: when any part of its pattern has no
// faithful rule, it writes nothing and is recorded in the Report (or
// given to SkipFunc) with the reason.
type RuleWriter struct {
	reporter
	d     *dialect
	w     *bufio.Writer
	line  []byte
	rules []rule
}

func newRuleWriter(w io.Writer, d *dialect) *RuleWriter {
	return &RuleWriter{d: d, w: bufio.NewWriter(w)}
}

// Write writes the rules of one indicator: rule k (from 0) gets sid
// ind.SID+k and rev the Unix time of ind.Modified (else ind.Created). The
// error is the underlying writer's.
func (rw *RuleWriter) Write(ind Indicator) error {
	rw.rep.Indicators++
	rules, reason := rw.prepare(ind)
	if reason != "" {
		rw.skip(ind.ID, reason)
		return nil
	}
	rev, reason := revision(ind)
	if reason != "" {
		rw.skip(ind.ID, reason)
		return nil
	}
	meta, reason := metadata(ind)
	if reason != "" {
		rw.skip(ind.ID, reason)
		return nil
	}
	if ind.SID < 1 || int64(ind.SID)+int64(len(rules))-1 > 1<<32-1 {
		rw.skip(ind.ID, "its sid block "+strconv.Itoa(ind.SID)+" is not within 1 to 4294967295")
		return nil
	}
	for k := range rules {
		rw.line = rw.appendRule(rw.line[:0], &rules[k], ind, meta, ind.SID+k, rev)
		if _, err := rw.w.Write(rw.line); err != nil {
			return err
		}
	}
	rw.rep.Exported++
	rw.rep.Written += len(rules)
	return nil
}

// Flush writes any buffered rules to the underlying writer.
func (rw *RuleWriter) Flush() error { return rw.w.Flush() }

// prepare translates the pattern and checks that the dialect can say
// every rule.
func (rw *RuleWriter) prepare(ind Indicator) ([]rule, string) {
	if ind.PatternType != "" && ind.PatternType != "stix" {
		return nil, "pattern_type " + strconv.Quote(ind.PatternType) + " is not a STIX pattern"
	}
	pat, err := pattern.Parse(ind.Pattern)
	if err != nil {
		return nil, "the pattern does not parse: " + err.Error()
	}
	rules, err := translate(pat, rw.rules[:0])
	if err != nil {
		return nil, err.Error()
	}
	rw.rules = rules
	if len(rules) == 0 {
		return nil, "the pattern gives no rule"
	}
	for i := range rules {
		if rw.d.protos[rules[i].proto] == "" {
			return nil, rw.d.missing
		}
		for _, m := range rules[i].matches {
			if rw.d.buffers[m.buf] == "" {
				return nil, rw.d.missing
			}
		}
	}
	return rules, ""
}

// revision returns the rule revision: the version's modified time in Unix
// seconds.
func revision(ind Indicator) (int64, string) {
	ts := ind.Modified
	if ts == "" {
		ts = ind.Created
	}
	t, err := stix.ParseTimestamp(ts)
	if err != nil {
		return 0, "its modified time " + strconv.Quote(ts) + " is not a STIX timestamp, so it gives no rule revision"
	}
	rev := t.Unix()
	if rev < 1 || rev > 1<<32-1 {
		return 0, "its modified time " + ts + " is outside the range a rule revision can hold (1970 to 2106)"
	}
	return rev, ""
}

// metadata returns the metadata option's value: "stix_id ID[, tlp LEVEL]".
func metadata(ind Indicator) (string, string) {
	if ind.ID == "" || !metaWord(ind.ID) {
		return "", "its id " + strconv.Quote(ind.ID) + " cannot be written in rule metadata"
	}
	meta := "stix_id " + ind.ID
	if ind.TLP != "" {
		level, err := stix.ParseTLP(ind.TLP)
		if err != nil {
			return "", "its TLP " + strconv.Quote(ind.TLP) + " is not a TLP level"
		}
		meta += ", tlp " + level.String()
	}
	return meta, ""
}

// metaWord reports whether s can be a metadata key or value as is.
func metaWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.+", c) >= 0) {
			return false
		}
	}
	return true
}

// appendRule appends one rule and a newline.
func (rw *RuleWriter) appendRule(b []byte, r *rule, ind Indicator, meta string, sid int, rev int64) []byte {
	d := rw.d
	b = append(b, "alert "...)
	b = append(b, d.protos[r.proto]...)
	b = append(b, ' ')
	b = appendAddrs(b, r.src)
	b = append(b, ' ')
	b = appendPorts(b, r.srcPorts)
	if r.bidir {
		b = append(b, " <> "...)
	} else {
		b = append(b, " -> "...)
	}
	b = appendAddrs(b, r.dst)
	b = append(b, ' ')
	b = appendPorts(b, r.dstPorts)
	b = append(b, ` (msg:"`...)
	b = appendMsg(b, ind.Name, ind.ID)
	b = append(b, `"; `...)
	if r.toServer {
		b = append(b, "flow:to_server; "...)
	}
	for _, m := range r.matches {
		b = append(b, d.buffers[m.buf]...)
		b = append(b, `; content:"`...)
		b = appendContent(b, m.value)
		b = append(b, `"; `...)
		b = append(b, d.size...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(len(m.value)), 10)
		b = append(b, "; "...)
	}
	if s := d.service[r.proto]; s != "" {
		b = append(b, s...)
		b = append(b, "; "...)
	}
	b = append(b, "metadata:"...)
	b = append(b, meta...)
	b = append(b, "; sid:"...)
	b = strconv.AppendInt(b, int64(sid), 10)
	b = append(b, "; rev:"...)
	b = strconv.AppendInt(b, rev, 10)
	b = append(b, ";)\n"...)
	return b
}

func appendAddrs(b []byte, set []netip.Prefix) []byte {
	if len(set) == 0 {
		return append(b, "any"...)
	}
	if len(set) > 1 {
		b = append(b, '[')
	}
	for i, p := range set {
		if i > 0 {
			b = append(b, ',')
		}
		if p.IsSingleIP() {
			b = p.Addr().AppendTo(b)
		} else {
			b = p.AppendTo(b)
		}
	}
	if len(set) > 1 {
		b = append(b, ']')
	}
	return b
}

func appendPorts(b []byte, ports []uint16) []byte {
	if len(ports) == 0 {
		return append(b, "any"...)
	}
	if len(ports) > 1 {
		b = append(b, '[')
	}
	for i, p := range ports {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(p), 10)
	}
	if len(ports) > 1 {
		b = append(b, ']')
	}
	return b
}

// maxMsg bounds the bytes of a rule message taken from a name.
const maxMsg = 200

// appendMsg appends the message text: the name (else the id) without
// control characters or invalid UTF-8, at most maxMsg bytes, with ; " and
// \ escaped by a backslash.
func appendMsg(b []byte, name, id string) []byte {
	if strings.TrimSpace(name) == "" {
		name = id
	}
	n := 0
	for i, r := range name {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(name[i:]); size <= 1 {
				continue
			}
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			continue
		}
		size := utf8.RuneLen(r)
		if n+size > maxMsg {
			break
		}
		n += size
		if r == ';' || r == '"' || r == '\\' {
			b = append(b, '\\')
		}
		b = utf8.AppendRune(b, r)
	}
	return b
}

// appendContent appends a content string: printable ASCII as is, except
// " ; \ | and ':' which, like every other byte, are written as |XX| hex.
func appendContent(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\' || c == '|' || c == ':' {
			b = append(b, '|', hex[c>>4], hex[c&15], '|')
			continue
		}
		b = append(b, c)
	}
	return b
}
