package pattern_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

func mustParseIx(tb testing.TB, s string) *pattern.Pattern {
	tb.Helper()
	p, err := pattern.Parse(s)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

// indexPatterns are the patterns of TestIndexMatch, by id.
var indexPatterns = []struct{ id, pattern string }{
	{"ip", "[ipv4-addr:value = '198.51.100.7']"},
	{"ip-in", "[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]"},
	{"cidr", "[ipv4-addr:value ISSUBSET '203.0.113.0/24']"},
	{"cidr-wide", "[ipv4-addr:value ISSUBSET '10.0.0.0/8']"},
	{"cidr-eq", "[ipv4-addr:value = '172.16.0.0/12']"},
	{"ip6", "[ipv6-addr:value = '2001:db8::1']"},
	{"ip6-cidr", "[ipv6-addr:value ISSUBSET '2001:db8:ff::/48']"},
	{"dst", "[network-traffic:dst_ref.value = '198.51.100.9' AND network-traffic:dst_port = 443]"},
	{"port", "[network-traffic:dst_port = 4444]"},
	{"domain", "[domain-name:value = 'evil.example']"},
	{"domain-or-url", "[domain-name:value = 'bad.example' OR url:value = 'http://bad.example/x']"},
	{"url", "[url:value = 'https://phish.example/login']"},
	{"sha256", "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']"},
	{"md5-and-name", "[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f' AND file:name = 'eicar.com']"},
	{"like", "[domain-name:value LIKE '%.dyn-evil.net']"},
	{"matches", "[url:value MATCHES '^https?://[a-z]+\\\\.tracker-cdn\\\\.example/']"},
	{"like-short", "[domain-name:value LIKE '%zq%']"},
	{"neq", "[process:name != 'explorer.exe']"},
	{"not-exists", "[NOT EXISTS user-account:display_name]"},
	{"email", "[email-message:from_ref.value = 'ceo@fraud.example']"},
	{"to", "[email-message:to_refs[*].value = 'victim@corp.example']"},
	{"mac", "[mac-addr:value = '00:00:5e:00:53:af']"},
	{"followedby", "[domain-name:value = 'stage1.example'] FOLLOWEDBY [domain-name:value = 'stage2.example']"},
	{"obs-and", "[ipv4-addr:value = '192.0.2.50'] AND [domain-name:value = 'c2.example']"},
	{"repeats", "[url:value = 'http://beacon.example/'] REPEATS 3 TIMES"},
	{"obs-or", "[ipv4-addr:value = '192.0.2.77'] OR ([domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example'])"},
	{"start-stop", "[url:value = 'http://old.example/'] START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'"},
	{"float-size", "[file:size = 1024.0]"},
	{"registry", "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run']"},
	{"like-nonascii", "[domain-name:value LIKE '%évil%']"},
	{"like-kelvin", "[url:value LIKE '%Kab%']"},
	{"matches-escape", "[domain-name:value MATCHES 'caf\\\\x{e9}\\\\.example']"},
}

func buildTestIndex(tb testing.TB) *pattern.Index {
	tb.Helper()
	ix := pattern.NewIndex()
	for _, ip := range indexPatterns {
		ix.Add(ip.id, mustParseIx(tb, ip.pattern), nil)
	}
	return ix
}

func hitIDs(hits []pattern.Hit) []string {
	ids := []string{}
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestIndexMatch(t *testing.T) {
	ix := buildTestIndex(t)
	if ix.Len() != len(indexPatterns) {
		t.Fatalf("Len = %d", ix.Len())
	}
	tests := []struct {
		name  string
		event string
		want  []string
	}{
		{"OKExactIP", `{"source.ip":"198.51.100.7"}`, []string{"ip"}},
		{"OKInSet", `{"destination.ip":"192.0.2.2"}`, []string{"ip-in"}},
		{"OKCIDR", `{"destination.ip":"203.0.113.200"}`, []string{"cidr"}},
		{"OKTwoCIDRs", `{"source.ip":"10.1.2.3","destination.ip":"172.20.0.1"}`, []string{"cidr-wide"}},
		{"OKIPv6", `{"source.ip":"2001:db8::1","destination.ip":"2001:db8:ff:1::9"}`, []string{"ip6", "ip6-cidr"}},
		{"OKRefAndPort", `{"destination.ip":"198.51.100.9","destination.port":443}`, []string{"dst"}},
		{"OKRefWrongPort", `{"destination.ip":"198.51.100.9","destination.port":80}`, nil},
		{"OKPortString", `{"destination.port":"4444"}`, []string{"port"}},
		{"OKDomain", `{"dns.question.name":"evil.example"}`, []string{"domain"}},
		{"OKOrFirst", `{"url.domain":"bad.example"}`, []string{"domain-or-url"}},
		{"OKOrSecond", `{"url.full":"http://bad.example/x"}`, []string{"domain-or-url"}},
		{"OKURL", `{"url.original":"https://phish.example/login"}`, []string{"url"}},
		{"OKHash", `{"file.hash.sha256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}`, []string{"sha256"}},
		{"OKHashAndName", `{"file":{"name":"eicar.com","hash":{"md5":"44d88612fea8a8f36de82e1278abb02f"}}}`, []string{"md5-and-name"}},
		{"OKHashWrongName", `{"file":{"name":"x.com","hash":{"md5":"44d88612fea8a8f36de82e1278abb02f"}}}`, nil},
		{"OKLike", `{"dns.question.name":"a1.dyn-evil.net"}`, []string{"like"}},
		{"OKLikeNoMatch", `{"dns.question.name":"dyn-evil.net.example"}`, nil},
		{"OKMatches", `{"url.full":"https://abc.tracker-cdn.example/p"}`, []string{"matches"}},
		{"OKLikeShortLiteral", `{"dns.question.name":"zqa.example"}`, []string{"like-short"}},
		{"OKNotEqual", `{"process.name":"cmd.exe"}`, []string{"neq"}},
		{"OKNotEqualSame", `{"process.name":"explorer.exe"}`, nil},
		{"OKNotExists", `{"user.name":"bob"}`, []string{"not-exists"}},
		{"OKNotExistsNoObject", `{"source.port":1}`, nil},
		{"OKEmailFrom", `{"email.from.address":"ceo@fraud.example"}`, []string{"email"}},
		{"OKEmailTo", `{"email.to.address":["a@corp.example","victim@corp.example"]}`, []string{"to"}},
		{"OKMAC", `{"host.mac":"00-00-5E-00-53-AF"}`, []string{"mac"}},
		{"OKRegistry", `{"registry.hive":"HKLM","registry.key":"Software\\Run"}`, []string{"registry"}},
		{"OKFloatEqualsInt", `{"file.size":1024}`, []string{"float-size"}},
		{"OKObsOrSingle", `{"source.ip":"192.0.2.77","@timestamp":"2024-01-01T00:00:00Z"}`, []string{"obs-or"}},
		// Without timestamps the FOLLOWEDBY operand cannot be evaluated:
		// Match reports an error, which the index counts as no match.
		{"OKObsOrNoTime", `{"source.ip":"192.0.2.77"}`, nil},
		// One ECS event is one observation: it cannot satisfy two
		// bracketed expressions at once, nor REPEATS 3 with count 1.
		{"OKFollowedByNeedsTwo", `{"dns.question.name":"stage1.example","url.domain":"stage2.example","@timestamp":"2024-01-01T00:00:00Z"}`, nil},
		{"OKObsAndNeedsTwo", `{"source.ip":"192.0.2.50","dns.question.name":"c2.example"}`, nil},
		{"OKRepeatsOne", `{"url.full":"http://beacon.example/"}`, nil},
		// number_observed 3 counts as three observations.
		{"OKRepeatsCount", `{"url.full":"http://beacon.example/","event.count":3}`, []string{"repeats"}},
		{"OKStartStopInside", `{"url.full":"http://old.example/","@timestamp":"2020-06-01T00:00:00Z"}`, []string{"start-stop"}},
		{"OKStartStopOutside", `{"url.full":"http://old.example/","@timestamp":"2022-06-01T00:00:00Z"}`, nil},
		{"OKStartStopNoTime", `{"url.full":"http://old.example/"}`, nil},
		{"OKNothing", `{"message":"hello"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mustECS(t, tt.event)
			got := hitIDs(ix.Match(o))
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("hits %v, want %v", got, want)
			}
			checkIndexAgainstMatch(t, ix, []*pattern.Observation{o})
		})
	}
}

// checkIndexAgainstMatch compares the index with evaluating every pattern.
func checkIndexAgainstMatch(t *testing.T, ix *pattern.Index, obs []*pattern.Observation) {
	t.Helper()
	got := hitIDs(ix.Match(obs...))
	want := []string{}
	for _, ip := range indexPatterns {
		r, err := mustParseIx(t, ip.pattern).Match(obs)
		if err == nil && r.Matched {
			want = append(want, ip.id)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("index hits %v, evaluating every pattern gives %v", got, want)
	}
}

func TestIndexMatchBundle(t *testing.T) {
	ix := buildTestIndex(t)
	od := func(id, first, objects string) string {
		return `{"type":"observed-data","id":"observed-data--` + id + `","first_observed":"` + first +
			`","last_observed":"` + first + `","number_observed":1,"objects":{` + objects + `}}`
	}
	tests := []struct {
		name string
		data string
		want []string
		ids  map[string][]string
	}{
		{"OKFollowedBy", "[" + od("1", "2024-01-01T00:00:00Z", `"0":{"type":"domain-name","value":"stage1.example"}`) + "," +
			od("2", "2024-01-01T00:05:00Z", `"0":{"type":"domain-name","value":"stage2.example"}`) + "]",
			[]string{"followedby"}, map[string][]string{"followedby": {"observed-data--1", "observed-data--2"}}},
		{"OKFollowedByWrongOrder", "[" + od("1", "2024-01-01T00:05:00Z", `"0":{"type":"domain-name","value":"stage1.example"}`) + "," +
			od("2", "2024-01-01T00:00:00Z", `"0":{"type":"domain-name","value":"stage2.example"}`) + "]",
			nil, nil},
		{"OKObsAnd", "[" + od("1", "2024-01-01T00:00:00Z", `"0":{"type":"ipv4-addr","value":"192.0.2.50"}`) + "," +
			od("2", "2024-01-01T00:00:00Z", `"0":{"type":"domain-name","value":"c2.example"}`) + "]",
			[]string{"obs-and"}, nil},
		{"OKCIDRValues", "[" + od("1", "2024-01-01T00:00:00Z", `"0":{"type":"ipv4-addr","value":"172.16.0.0/12"}`) + "," +
			od("2", "2024-01-01T00:00:00Z", `"0":{"type":"ipv4-addr","value":"10.9.0.0/16"}`) + "]",
			[]string{"cidr-wide", "cidr-eq"}, map[string][]string{"cidr-wide": {"observed-data--2"}, "cidr-eq": {"observed-data--1"}}},
		{"OKSimpleInSecond", "[" + od("1", "2024-01-01T00:00:00Z", `"0":{"type":"ipv4-addr","value":"192.0.2.9"}`) + "," +
			od("2", "2024-01-01T00:00:00Z", `"0":{"type":"ipv4-addr","value":"198.51.100.7"}`) + "]",
			[]string{"ip"}, map[string][]string{"ip": {"observed-data--2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := mustLoadObs(t, []byte(tt.data))
			hits := ix.Match(obs...)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := hitIDs(hits); !slices.Equal(got, want) {
				t.Fatalf("hits %v, want %v", got, want)
			}
			for _, h := range hits {
				if w, ok := tt.ids[h.ID]; ok && !slices.Equal(h.ObservedDataIDs, w) {
					t.Errorf("%s: observed-data ids %v, want %v", h.ID, h.ObservedDataIDs, w)
				}
			}
			checkIndexAgainstMatch(t, ix, obs)
		})
	}
}

// TestIndexMatchUnicode checks that the index agrees with Match on values
// whose Unicode normalisation differs from the pattern's, whether or not
// the matcher normalises LIKE and MATCHES to NFC.
func TestIndexMatchUnicode(t *testing.T) {
	ix := buildTestIndex(t)
	tests := []struct{ name, event string }{
		{"Composed", `{"dns.question.name":"\u00e9vil.example"}`},
		{"Decomposed", `{"dns.question.name":"e\u0301vil.example"}`},
		{"KelvinSign", `{"url.full":"http://\u212aab.example/"}`},
		{"KelvinLetter", `{"url.full":"http://Kab.example/"}`},
		{"EscapeComposed", `{"dns.question.name":"caf\u00e9.example"}`},
		{"EscapeDecomposed", `{"dns.question.name":"cafe\u0301.example"}`},
		{"GreekQuestionMark", `{"url.full":"http://x.example/a\u037eb"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkIndexAgainstMatch(t, ix, []*pattern.Observation{mustECS(t, tt.event)})
		})
	}
}

func TestCompile(t *testing.T) {
	data := `{"type":"bundle","id":"bundle--1","objects":[
	 {"type":"indicator","spec_version":"2.1","id":"indicator--1","name":"C2 address","pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.7']","valid_from":"2024-01-01T00:00:00Z"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--2","pattern_type":"stix","pattern":"[ipv4-addr:value = ","valid_from":"2024-01-01T00:00:00Z"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--3","pattern_type":"sigma","pattern":"title: x","valid_from":"2024-01-01T00:00:00Z"},
	 {"type":"indicator","spec_version":"2.1","id":"indicator--4","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"},
	 {"type":"indicator","id":"indicator--5","pattern":"[domain-name:value = 'evil.example']","valid_from":"2017-01-01T00:00:00Z"},
	 {"type":"malware","spec_version":"2.1","id":"malware--1","name":"x","is_family":false}
	]}`
	objs, err := stix.Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	ix, errs := pattern.Compile(objs)
	if ix.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (indicator--1 and the STIX 2.0 indicator--5)", ix.Len())
	}
	wantErrs := []string{
		"indicator indicator--2: offset 19: expected",
		`indicator indicator--3: pattern_type "sigma" is not stix`,
		"indicator indicator--4: has no pattern",
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors %v, want %d", errs, len(wantErrs))
	}
	for i, w := range wantErrs {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d = %q, want it to contain %q", i, errs[i], w)
		}
	}
	var perr *pattern.Error
	if !errors.As(errs[0], &perr) {
		t.Errorf("the parse error does not unwrap to *pattern.Error: %T", errs[0])
	}
	hits := ix.Match(mustECS(t, `{"source.ip":"198.51.100.7","dns.question.name":"evil.example"}`))
	if got := hitIDs(hits); !slices.Equal(got, []string{"indicator--1", "indicator--5"}) {
		t.Fatalf("hits %v", got)
	}
	if o, ok := hits[0].Meta.(*stix.Object); !ok || o.String("name") != "C2 address" {
		t.Errorf("Meta = %#v, want the indicator object", hits[0].Meta)
	}
}
