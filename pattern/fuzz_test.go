package pattern_test

import (
	"testing"

	"github.com/isachub/isachub/pattern"
)

// FuzzParse checks that Parse never panics and that the canonical text of
// any pattern it accepts parses again to the same canonical text. Matching
// the parsed pattern against a small observation must not panic either.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
		"[ipv4-addr:value ISSUBSET '198.51.100.0/24'] FOLLOWEDBY [domain-name:value LIKE '%.example.com'] WITHIN 60 SECONDS",
		"([a:b = 1] AND [c:d != 'x']) REPEATS 2 TIMES START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z'",
		"[x:list[*].y_ref.z IN (1, 2.5, -3) OR NOT EXISTS x:q AND x:h = h'00ff' AND x:b = b'AQID']",
		"[x:k MATCHES '^a+$' AND x:k NOT <= -.5] // comment",
	} {
		f.Add(s)
	}
	o := &pattern.Observation{ID: "od", NumberObserved: 2, Objects: map[string]map[string]any{
		"0": {"type": "x", "k": "aaa", "list": []any{map[string]any{"y_ref": "1"}}, "q": true},
		"1": {"type": "a", "b": "1", "z": "2001:db8::1"},
	}}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := pattern.Parse(s)
		if err != nil {
			if _, ok := err.(*pattern.Error); !ok {
				t.Fatalf("error %T is not a *pattern.Error", err)
			}
			return
		}
		text := p.String()
		q, err := pattern.Parse(text)
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", text, s, err)
		}
		if again := q.String(); again != text {
			t.Fatalf("canonical text changed: %q -> %q", text, again)
		}
		p.MatchOne(o)
	})
}
