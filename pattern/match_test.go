package pattern_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

// obsAt builds an observation with the given objects (JSON), seen n times
// between first and last (RFC 3339; empty means unknown).
func obsAt(tb testing.TB, id, first, last string, n int, objects string) *pattern.Observation {
	tb.Helper()
	o := &pattern.Observation{ID: id, NumberObserved: n, Objects: map[string]map[string]any{}}
	dec := json.NewDecoder(strings.NewReader(objects))
	dec.UseNumber()
	if err := dec.Decode(&o.Objects); err != nil {
		tb.Fatalf("objects: %v", err)
	}
	parse := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			tb.Fatal(err)
		}
		return t
	}
	o.FirstObserved, o.LastObserved = parse(first), parse(last)
	return o
}

// network is a STIX 2.1 observation: SCOs keyed by id, with references.
const network = `{
 "ipv4-addr--1": {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "198.51.100.7"},
 "ipv6-addr--1": {"type": "ipv6-addr", "id": "ipv6-addr--1", "value": "2001:db8::42"},
 "domain-name--1": {"type": "domain-name", "id": "domain-name--1", "value": "evil.example.com", "resolves_to_refs": ["ipv4-addr--1", "ipv6-addr--1", "missing--1"]},
 "network-traffic--1": {"type": "network-traffic", "id": "network-traffic--1", "src_ref": "ipv4-addr--1", "dst_ref": "ipv6-addr--1", "dst_port": 443, "protocols": ["ipv4", "tcp", "tls"]},
 "file--1": {"type": "file", "id": "file--1", "name": "Report.PDF.exe", "size": 371712, "hashes": {"MD5": "cead3f77f6cda6ec00f57d76c9a6879f", "SHA-256": "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}, "magic_number_hex": "ffd8", "ctime": "2014-01-13T07:03:17Z"},
 "artifact--1": {"type": "artifact", "id": "artifact--1", "payload_bin": "1MOyoQIABAA="}
}`

// TestMatch_Operators covers every operator and literal kind against one
// STIX 2.1 observation.
func TestMatch_Operators(t *testing.T) {
	o := obsAt(t, "observed-data--1", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1, network)
	tests := []struct {
		pattern string
		want    bool
	}{
		{"[ipv4-addr:value = '198.51.100.7']", true},
		{"[ipv4-addr:value != '198.51.100.7']", false},
		{"[ipv4-addr:value NOT = '198.51.100.7']", false},
		{"[file:size > 371711 AND file:size < 371713]", true},
		{"[file:size >= 371712 AND file:size <= 371712]", true},
		{"[file:size NOT > 5]", false},
		{"[file:size IN (1, 371712)]", true},
		{"[file:size = 371712.0]", true},
		{"[file:name LIKE '%.exe']", true},
		{"[file:name LIKE 'report%']", false},
		{"[file:name MATCHES '(?i)^report\\\\.pdf\\\\.exe$']", true},
		{"[file:name NOT MATCHES 'exe']", false},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", true},
		{"[ipv4-addr:value ISSUBSET '198.51.101.0/24']", false},
		{"[ipv6-addr:value ISSUBSET '2001:db8::/32']", true},
		{"[ipv6-addr:value ISSUBSET '198.51.100.0/24']", false},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.7']", true},
		{"[EXISTS file:hashes.MD5]", true},
		{"[EXISTS file:hashes.SHA1]", false},
		{"[NOT EXISTS file:hashes.SHA1]", true},
		{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']", true},
		{"[file:magic_number_hex = h'ffd8']", true},
		{"[file:magic_number_hex = h'ffd9']", false},
		{"[artifact:payload_bin = b'1MOyoQIABAA=']", true},
		{"[artifact:payload_bin MATCHES '^\\\\xd4\\\\xc3\\\\xb2\\\\xa1']", true},
		{"[file:ctime = t'2014-01-13T07:03:17.000Z']", true},
		{"[file:ctime < t'2014-01-13T07:03:18Z']", true},
		{"[network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'tls']", true},
		{"[network-traffic:protocols[0] = 'ipv4']", true},
		{"[network-traffic:protocols[-1] = 'tls']", true},
		{"[network-traffic:protocols[5] = 'tls']", false},
		{"[network-traffic:src_ref.value = '198.51.100.7' AND network-traffic:dst_ref.value ISSUBSET '2001:db8::/64']", true},
		{"[network-traffic:dst_ref.type = 'ipv6-addr']", true},
		{"[domain-name:resolves_to_refs[*].value = '2001:db8::42']", true},
		{"[domain-name:resolves_to_refs[1].value = '2001:db8::42']", true},
		{"[domain-name:value = 'evil.example.com' AND ipv4-addr:value = '198.51.100.7']", false}, // AND: one object
		{"[domain-name:value = 'evil.example.com' OR ipv4-addr:value = '0.0.0.0']", true},
		{"[file:name = 'x'] OR [file:size = 371712]", true},
		{"[file:name = 'x'] AND [file:size = 371712]", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			p := mustParse(t, tt.pattern)
			r, err := p.Match([]*pattern.Observation{o})
			if err != nil {
				t.Fatal(err)
			}
			if r.Matched != tt.want {
				t.Fatalf("Match = %v, want %v", r.Matched, tt.want)
			}
			if got := p.MatchOne(o); got != tt.want {
				t.Fatalf("MatchOne = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMatch_Observations covers the observation operators and qualifiers
// and the ids of the observations that took part.
func TestMatch_Observations(t *testing.T) {
	a := obsAt(t, "od--a", "2020-01-01T00:00:00Z", "2020-01-01T00:00:10Z", 1, `{"0": {"type": "x", "n": "a"}}`)
	b := obsAt(t, "od--b", "2020-01-01T00:01:00Z", "2020-01-01T00:01:00Z", 2, `{"0": {"type": "x", "n": "b"}}`)
	c := obsAt(t, "od--c", "2020-01-01T00:00:05Z", "2020-01-01T00:00:05Z", 1, `{"0": {"type": "x", "n": "c"}}`)
	obs := []*pattern.Observation{a, b, c}
	tests := []struct {
		pattern string
		want    []string // nil: no match
	}{
		{"[x:n = 'a'] AND [x:n = 'b']", []string{"od--a", "od--b"}},
		{"[x:n = 'b'] AND [x:n = 'a']", []string{"od--a", "od--b"}},
		{"[x:n = 'z'] OR [x:n = 'c']", []string{"od--c"}},
		{"[x:n = 'a'] FOLLOWEDBY [x:n = 'b']", []string{"od--a", "od--b"}},
		{"[x:n = 'b'] FOLLOWEDBY [x:n = 'a']", nil},
		{"[x:n = 'a'] FOLLOWEDBY [x:n = 'c']", []string{"od--a", "od--c"}}, // a spans c
		{"[x:n = 'c'] FOLLOWEDBY [x:n = 'a']", []string{"od--a", "od--c"}},
		{"[x:n = 'b'] REPEATS 2 TIMES", []string{"od--b"}},
		{"[x:n = 'b'] REPEATS 3 TIMES", nil},
		{"[x:n LIKE '%'] REPEATS 4 TIMES", []string{"od--a", "od--b", "od--c"}},
		{"([x:n = 'a'] AND [x:n = 'b']) WITHIN 50 SECONDS", []string{"od--a", "od--b"}},
		{"([x:n = 'a'] AND [x:n = 'b']) WITHIN 49.5 SECONDS", nil},
		{"[x:n = 'b'] START t'2020-01-01T00:01:00Z' STOP t'2020-01-01T00:02:00Z'", []string{"od--b"}},
		{"[x:n = 'b'] START t'2020-01-01T00:00:00Z' STOP t'2020-01-01T00:01:00Z'", nil},
		{"[x:n = 'a'] START t'2020-01-01T00:00:10Z' STOP t'2020-01-01T00:00:11Z'", []string{"od--a"}},
		{"([x:n = 'a'] FOLLOWEDBY [x:n = 'b']) REPEATS 2 TIMES", nil},
		{"[x:n = 'a'] AND [x:n = 'a']", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			r, err := mustParse(t, tt.pattern).Match(obs)
			if err != nil {
				t.Fatal(err)
			}
			if r.Matched != (tt.want != nil) || (tt.want != nil && strings.Join(r.ObservedDataIDs, ",") != strings.Join(tt.want, ",")) {
				t.Fatalf("got %+v, want ids %v", r, tt.want)
			}
		})
	}
}

// TestMatch_Err checks that evaluation problems are errors, not panics.
func TestMatch_Err(t *testing.T) {
	untimed := obsAt(t, "od--u", "", "", 1, `{"0": {"type": "x", "n": "a", "ip": "not-an-ip", "r_ref": 5, "rs_refs": "x", "t": "yesterday"}}`)
	zero := obsAt(t, "od--z", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 0, `{}`)
	backwards := obsAt(t, "od--b", "2020-01-01T00:00:10Z", "2020-01-01T00:00:00Z", 1, `{}`)
	many := make([]*pattern.Observation, 60)
	for i := range many {
		ts := time.Date(2020, 1, 1, 0, 0, i, 0, time.UTC).Format(time.RFC3339)
		many[i] = obsAt(t, "", ts, ts, 1, `{"0": {"type": "x", "n": "a"}}`)
	}
	tests := []struct {
		pattern string
		obs     []*pattern.Observation
		msg     string
	}{
		{"[x:n = 'a'] WITHIN 5 SECONDS", []*pattern.Observation{untimed}, "need first_observed and last_observed"},
		{"[x:n = 'a'] FOLLOWEDBY [x:n = 'a']", []*pattern.Observation{untimed}, "od--u"},
		{"[x:n = 'a']", []*pattern.Observation{zero}, "number_observed is 0"},
		{"[x:n = 'a'] WITHIN 5 SECONDS", []*pattern.Observation{backwards}, "before first_observed"},
		{"[x:ip ISSUBSET '10.0.0.0/8']", []*pattern.Observation{untimed}, `"not-an-ip" is not an IP address`},
		{"[x:r_ref.n = 'a']", []*pattern.Observation{untimed}, "not an id string"},
		{"[x:rs_refs[*].n = 'a']", []*pattern.Observation{untimed}, "not a list"},
		{"[x:t = t'2020-01-01T00:00:00Z']", []*pattern.Observation{untimed}, "not a timestamp"},
		{"[x:n = 'a'] REPEATS 30 TIMES WITHIN 2 SECONDS", many, "too many combinations"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			p := mustParse(t, tt.pattern)
			_, err := p.Match(tt.obs)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Match error = %v, want %q", err, tt.msg)
			}
			if len(tt.obs) == 1 && p.MatchOne(tt.obs[0]) {
				t.Fatal("MatchOne = true for an observation that fails to evaluate")
			}
		})
	}
}

// TestMatch_HandBuilt checks that a tree built without Parse matches too.
func TestMatch_HandBuilt(t *testing.T) {
	p := &pattern.Pattern{Root: &pattern.ObservationSimple{Expr: &pattern.Comparison{
		Path:  pattern.ObjectPath{ObjectType: "file", Steps: []pattern.PathStep{{Kind: pattern.StepKey, Key: "name"}}},
		Op:    pattern.OpLike,
		Value: pattern.Literal{Kind: pattern.KindString, Str: "Report%"},
	}}}
	o := obsAt(t, "od", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 1, network)
	if !p.MatchOne(o) {
		t.Fatal("MatchOne = false")
	}
	if got := p.String(); got != "[file:name LIKE 'Report%']" {
		t.Fatalf("String() = %q", got)
	}
	var perr *pattern.Error
	_, err := pattern.Parse("[")
	if !errors.As(err, &perr) {
		t.Fatalf("Parse error %T", err)
	}
}
