package pattern_test

import (
	"slices"
	"testing"

	"github.com/isachub/isachub/pattern"
)

// FuzzIndexMatch checks, for any pattern that parses and any event that
// loads, that an index holding the pattern reports it exactly when Match
// finds it true for the event: the keys the index derives never hide a
// match.
func FuzzIndexMatch(f *testing.F) {
	seeds := []struct{ pattern, event string }{
		{"[ipv4-addr:value = '10.0.0.1']", `{"source.ip":"10.0.0.1"}`},
		{"[ipv4-addr:value ISSUBSET '10.0.0.0/8']", `{"destination.ip":"10.2.3.4"}`},
		{"[ipv6-addr:value ISSUBSET '2001:db8::/32']", `{"destination.ip":"2001:db8::7"}`},
		{"[network-traffic:dst_ref.value = '10.0.0.1' AND network-traffic:dst_port = 443]", `{"destination.ip":"10.0.0.1","destination.port":443.0}`},
		{"[domain-name:value LIKE '%.evil.example']", `{"dns.question.name":"a.evil.example"}`},
		{"[url:value MATCHES '^https?://[a-z]+\\\\.example/']", `{"url.full":"http://a.example/x"}`},
		{"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", `{"file.hash.sha256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}`},
		{"[file:size IN (1, 2.0, 3)]", `{"file.size":"2"}`},
		{"[email-message:to_refs[*].value = 'a@b.example']", `{"email.to.address":["c@d","a@b.example"]}`},
		{"[process:name != 'a'] OR [user-account:account_login = 'root']", `{"user.name":"root"}`},
		{"[domain-name:value = 'a'] FOLLOWEDBY [domain-name:value = 'b'] WITHIN 10 SECONDS", `[{"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"domain-name","value":"a"}}},{"type":"observed-data","id":"observed-data--2","first_observed":"2020-01-01T00:00:05Z","last_observed":"2020-01-01T00:00:05Z","number_observed":1,"objects":{"0":{"type":"domain-name","value":"b"}}}]`},
		{"[x-custom:data_hex = h'00ff']", `[{"type":"observed-data","id":"observed-data--3","first_observed":"2020-01-01T00:00:00Z","last_observed":"2020-01-01T00:00:00Z","number_observed":1,"objects":{"0":{"type":"x-custom","data_hex":"00ff"}}}]`},
	}
	for _, s := range seeds {
		f.Add(s.pattern, []byte(s.event))
	}
	f.Fuzz(func(t *testing.T, text string, event []byte) {
		p, err := pattern.Parse(text)
		if err != nil {
			return
		}
		obs, err := pattern.ParseEvent(event)
		if err != nil || len(obs) == 0 {
			return
		}
		r, err := p.Match(obs)
		want := err == nil && r.Matched
		ix := pattern.NewIndex()
		ix.Add("p", p, nil)
		hits := ix.Match(obs...)
		if got := len(hits) == 1; got != want {
			t.Fatalf("pattern %s on %s: index says %v, Match says %v (err %v)", p, event, got, want, err)
		}
		if want && !slices.Equal(hits[0].ObservedDataIDs, r.ObservedDataIDs) && !isSimple(p) {
			t.Fatalf("observed-data ids %v, Match gives %v", hits[0].ObservedDataIDs, r.ObservedDataIDs)
		}
	})
}

// isSimple reports whether the pattern is one bracketed expression without
// qualifiers, for which the index lists every observation that matches
// rather than the first binding.
func isSimple(p *pattern.Pattern) bool {
	s, ok := p.Root.(*pattern.ObservationSimple)
	return ok && len(s.Qualifiers) == 0
}
