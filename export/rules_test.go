package export_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/pattern"
)

// translated are patterns with a faithful translation, with the number of
// Suricata and Snort rules (-1: reported by that dialect).
var translated = []struct {
	pattern         string
	suricata, snort int
}{
	{"[ipv4-addr:value = '198.51.100.7']", 1, 1},
	{"[ipv6-addr:value = '2001:db8::42']", 1, 1},
	{"[ipv4-addr:value IN ('198.51.100.7', '203.0.113.9')]", 1, 1},
	{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", 1, 1},
	{"[ipv6-addr:value ISSUBSET '2001:db8::/120']", 1, 1},
	{"[ipv4-addr:value = '198.51.100.7'] OR [ipv6-addr:value = '2001:db8::42']", 2, 2},
	{"[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value ISSUBSET '203.0.113.0/30']", 2, 2},
	{"[network-traffic:dst_port = 443]", 2, 2},
	{"[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 4444]", 2, 2},
	{"[network-traffic:src_ref.value ISSUBSET '192.0.2.0/28' AND network-traffic:dst_port IN (80, 8080) AND network-traffic:protocols[*] = 'tcp']", 1, 1},
	{"[network-traffic:dst_ref.value = '2001:db8::42' AND network-traffic:src_port = 53 AND network-traffic:protocols[*] IN ('udp', 'tcp')]", 2, 2},
	{"[network-traffic:src_ref.value = '198.51.100.7']", 1, 1},
	{"[network-traffic:protocols[*] = 'udp' AND (network-traffic:dst_port = 53 OR network-traffic:dst_port = 443)]", 2, 2},
	{"[domain-name:value = 'evil.example.com']", 3, -1},
	{"[domain-name:value IN ('evil.example.com', 'other.example')]", 6, -1},
	{"[url:value = 'http://evil.example.com/a;b\"c|d\\\\e?x=1']", 1, 1},
	{"[url:value = 'http://other.example:8080/index.html']", 1, 1},
	{"[url:value = 'http://evil.example.com/gate.php'] OR [ipv4-addr:value = '198.51.100.7']", 2, 2},
}

// TestRules_Equivalence writes the rules of each translatable pattern,
// checks each against the strict grammar, and compares rules and pattern
// on random flows.
func TestRules_Equivalence(t *testing.T) {
	for _, tt := range translated {
		pat := pattern.MustParse(tt.pattern)
		for _, d := range []struct {
			name string
			want int
		}{{"suricata", tt.suricata}, {"snort", tt.snort}} {
			rules, rep := rulesFor(t, d.name, tt.pattern)
			if d.want < 0 {
				if len(rules) != 0 || len(rep.Skipped) != 1 {
					t.Errorf("%s %q: want reported, got %d rules, %+v", d.name, tt.pattern, len(rules), rep)
				}
				continue
			}
			if len(rules) != d.want {
				t.Errorf("%s %q: %d rules, want %d (%+v)", d.name, tt.pattern, len(rules), d.want, rep)
				continue
			}
			if hits := checkEquivalent(t, tt.pattern, pat, rules, 1, 3000); hits == 0 {
				t.Errorf("%s %q: no random flow matched; the test proves little", d.name, tt.pattern)
			}
		}
	}
}

// TestRules_Reported lists patterns that must not become rules.
func TestRules_Reported(t *testing.T) {
	tests := []struct{ pattern, reason string }{
		{"[ipv4-addr:value = '198.51.100.0/24']", "CIDR block"},
		{"[ipv4-addr:value = '198.51.100.7/32']", "CIDR block"},
		{"[ipv6-addr:value = '2001:DB8::1']", "canonical"},
		{"[ipv4-addr:value = '2001:db8::1']", "not an IPv4"},
		{"[ipv4-addr:value != '198.51.100.7']", "negated"},
		{"[ipv4-addr:value NOT = '198.51.100.7']", "negated"},
		{"[ipv4-addr:value NOT IN ('198.51.100.7')]", "negated"},
		{"[domain-name:value LIKE '%.example.com']", "LIKE"},
		{"[domain-name:value MATCHES '^evil']", "MATCHES"},
		{"[network-traffic:dst_port > 1024]", ">"},
		{"[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.9']", "FOLLOWEDBY"},
		{"[ipv4-addr:value = '198.51.100.7'] AND [ipv4-addr:value = '203.0.113.9']", "AND between observations"},
		{"[ipv4-addr:value = '198.51.100.7'] WITHIN 60 SECONDS", "WITHIN"},
		{"[ipv4-addr:value = '198.51.100.7'] REPEATS 3 TIMES", "REPEATS"},
		{"[ipv4-addr:value = '198.51.100.7'] START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'", "START"},
		{"[ipv4-addr:value = '198.51.100.7'] OR [file:name = 'x.exe']", "file"},
		{"[ipv4-addr:value = '198.51.100.7' AND domain-name:value = 'evil.example.com']", "never matches"},
		{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", "hash-list"},
		{"[email-addr:value = 'bad@example.com']", "e-mail"},
		{"[domain-name:value = 'Evil.example.com']", "lower-case"},
		{"[url:value = 'https://evil.example.com/x']", "encrypted"},
		{"[url:value = 'http://evil.example.com']", "no path"},
		{"[url:value = 'http://evil.example.com/x#frag']", "fragment"},
		{"[network-traffic:protocols[*] = 'icmp']", "icmp"},
		{"[network-traffic:protocols[0] = 'tcp']", "no rule translation"},
		{"[network-traffic:dst_port = 80 AND network-traffic:dst_port = 81]", "more than once"},
		{"[network-traffic:dst_ref.value = 'evil.example.com']", "not an IP"},
		{"[process:name = 'evil.exe']", "process"},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.7']", "ISSUPERSET"},
		{"[EXISTS ipv4-addr:value]", "EXISTS"},
		{"[domain-name:value IN ('a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example', 'g.example', 'h.example', 'i.example', 'j.example', 'k.example')]", "more than 32 rules"},
		{"not a pattern", "does not parse"},
		{"[ipv4-addr:value IN ()]", "empty set"},
		{"[network-traffic:dst_port IN ()]", "empty set"},
		{"[domain-name:value IN ()]", "empty set"},
	}
	for _, tt := range tests {
		for _, d := range []string{"suricata", "snort"} {
			rules, rep := rulesFor(t, d, tt.pattern)
			if len(rules) != 0 || len(rep.Skipped) != 1 || rep.Exported != 0 {
				t.Errorf("%s %q: want one skip and no rule, got %d rules, %+v", d, tt.pattern, len(rules), rep)
				continue
			}
			if d == "snort" && strings.HasPrefix(tt.pattern, "[domain-name:value = '") {
				continue // Snort reports every domain name, for its own reason
			}
			if !strings.Contains(rep.Skipped[0].Reason, tt.reason) {
				t.Errorf("%s %q: reason %q does not mention %q", d, tt.pattern, rep.Skipped[0].Reason, tt.reason)
			}
		}
	}
}

// TestRules_Fields checks msg, metadata, sid and rev.
func TestRules_Fields(t *testing.T) {
	rules, _ := rulesFor(t, "suricata", "[domain-name:value = 'evil.example.com']")
	for k, r := range rules {
		if r.msg != `Bad "host"; see \notes` {
			t.Errorf("msg %q", r.msg)
		}
		if r.metadata != "stix_id indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f, tlp amber" {
			t.Errorf("metadata %q", r.metadata)
		}
		if r.sid != int64(1000000+k) {
			t.Errorf("rule %d: sid %d", k, r.sid)
		}
		if r.rev != 1706933106 { // 2024-02-03T04:05:06Z
			t.Errorf("rev %d", r.rev)
		}
	}
	var buf bytes.Buffer
	w := export.NewSuricataWriter(&buf)
	ind := testIndicator("[ipv4-addr:value = '198.51.100.7']")
	ind.Name = "line\nbreak\x00 and \u2028 control"
	ind.TLP = "TLP:AMBER+STRICT"
	if err := w.Write(ind); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	r, err := parseRule("suricata", strings.TrimSuffix(buf.String(), "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.msg != "linebreak and  control" || !strings.HasSuffix(r.metadata, "tlp amber+strict") {
		t.Errorf("msg %q metadata %q", r.msg, r.metadata)
	}
}

// TestRules_BadIndicators checks indicators reported for their fields.
func TestRules_BadIndicators(t *testing.T) {
	tests := map[string]func(*export.Indicator){
		"ErrSID":         func(i *export.Indicator) { i.SID = 0 },
		"ErrSIDOverflow": func(i *export.Indicator) { i.SID = 1<<32 - 1 },
		"ErrModified":    func(i *export.Indicator) { i.Modified = "yesterday" },
		"ErrBefore1970":  func(i *export.Indicator) { i.Modified = "1969-01-01T00:00:00Z" },
		"ErrID":          func(i *export.Indicator) { i.ID = "indicator--x, tlp clear" },
		"ErrTLP":         func(i *export.Indicator) { i.TLP = "purple" },
		"ErrPatternType": func(i *export.Indicator) { i.PatternType = "sigma" },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			w := export.NewSnortWriter(&buf)
			ind := testIndicator("[ipv4-addr:value IN ('198.51.100.7', '198.51.100.8')] OR [ipv4-addr:value = '198.51.100.9']")
			mod(&ind)
			if err := w.Write(ind); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			if buf.Len() != 0 || len(w.Report().Skipped) != 1 {
				t.Errorf("wrote %q, report %+v", buf.String(), w.Report())
			}
		})
	}
}

// TestParseRule_Rejects checks that the strict parser refuses malformed
// rules, so that passing it means something.
func TestParseRule_Rejects(t *testing.T) {
	const ok = `alert ip any any <> 198.51.100.7 any (msg:"x"; metadata:stix_id indicator--1, tlp amber; sid:1; rev:2;)`
	if _, err := parseRule("suricata", ok); err != nil {
		t.Fatalf("the reference rule fails: %v", err)
	}
	bad := []struct{ dialect, rule string }{
		{"suricata", strings.Replace(ok, "alert", "alrt", 1)},
		{"suricata", strings.Replace(ok, "ip any", "icmpx any", 1)},
		{"suricata", strings.Replace(ok, "198.51.100.7", "198.51.100.300", 1)},
		{"suricata", strings.Replace(ok, "198.51.100.7", "198.51.100.7/24", 1)},
		{"suricata", strings.Replace(ok, "198.51.100.7", "[198.51.100.7]", 1)},
		{"suricata", strings.Replace(ok, "<>", "<-", 1)},
		{"suricata", strings.Replace(ok, "any <>", "80 <>", 1)},
		{"suricata", strings.Replace(ok, `msg:"x"`, `msg:"a;b"`, 1)},
		{"suricata", strings.Replace(ok, `msg:"x"`, `msg:"a"b"`, 1)},
		{"suricata", strings.Replace(ok, `msg:"x"`, `msg:"a\nb"`, 1)},
		{"suricata", strings.Replace(ok, `msg:"x"`, `msg:"a\qb"`, 1)},
		{"suricata", strings.Replace(ok, `msg:"x"`, `msg:x`, 1)},
		{"suricata", strings.Replace(ok, `msg:"x"; `, ``, 1)},
		{"suricata", strings.Replace(ok, ` sid:1;`, ``, 1)},
		{"suricata", strings.Replace(ok, ` rev:2;`, ` rev:2; rev:3;`, 1)},
		{"suricata", strings.Replace(ok, `sid:1`, `sid:0`, 1)},
		{"suricata", strings.Replace(ok, `sid:1`, `sid:01`, 1)},
		{"suricata", strings.Replace(ok, `metadata:stix_id indicator--1, tlp amber`, `metadata:tlp amber`, 1)},
		{"suricata", strings.Replace(ok, `rev:2;)`, `rev:2)`, 1)},
		{"suricata", strings.Replace(ok, `rev:2;`, `rev:2; nocase;`, 1)},
		{"suricata", strings.Replace(ok, `; sid`, `;  sid`, 1)},
		{"suricata", `alert dns any any -> any any (msg:"x"; dns.query; content:"a;b"; bsize:3; metadata:stix_id i; sid:1; rev:1;)`},
		{"suricata", `alert dns any any -> any any (msg:"x"; dns.query; content:"ab"; bsize:3; metadata:stix_id i; sid:1; rev:1;)`},
		{"suricata", `alert dns any any -> any any (msg:"x"; dns.query; content:"a|3|"; bsize:2; metadata:stix_id i; sid:1; rev:1;)`},
		{"suricata", `alert dns any any -> any any (msg:"x"; dns.query; content:"ab"; metadata:stix_id i; sid:1; rev:1;)`},
		{"suricata", `alert tls any any -> any any (msg:"x"; dns.query; content:"ab"; bsize:2; metadata:stix_id i; sid:1; rev:1;)`},
		{"suricata", `alert dns any any -> any any (msg:"x"; content:"ab"; bsize:2; metadata:stix_id i; sid:1; rev:1;)`},
		{"snort", `alert dns any any -> any any (msg:"x"; dns.query; content:"ab"; bsize:2; metadata:stix_id i; sid:1; rev:1;)`},
		{"snort", `alert tcp any any -> any any (msg:"x"; http_raw_uri; content:"/a"; bufferlen:2; metadata:stix_id i; sid:1; rev:1;)`},
	}
	for _, b := range bad {
		if _, err := parseRule(b.dialect, b.rule); err == nil {
			t.Errorf("%s accepted: %s", b.dialect, b.rule)
		}
	}
}
