package pattern_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

var benchPatterns = []string{
	"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
	"[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value ISSUBSET '203.0.113.0/24']",
	"[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
	"([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
	"[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
}

// BenchmarkParse parses a mix of typical indicator patterns.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := pattern.Parse(benchPatterns[i%len(benchPatterns)]); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEvent is one observation shaped like a mapped SOC log line: a
// connection with its two addresses and a domain.
func benchEvent(i int) *pattern.Observation {
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	return &pattern.Observation{ID: fmt.Sprintf("observed-data--%d", i), FirstObserved: t, LastObserved: t, NumberObserved: 1,
		Objects: map[string]map[string]any{
			"0": {"type": "ipv4-addr", "value": fmt.Sprintf("10.0.%d.%d", i/256%256, i%256)},
			"1": {"type": "ipv4-addr", "value": "198.51.100.7"},
			"2": {"type": "network-traffic", "src_ref": "0", "dst_ref": "1", "dst_port": 443, "protocols": []any{"ipv4", "tcp"}},
			"3": {"type": "domain-name", "value": "www.example.com", "resolves_to_refs": []any{"1"}},
		}}
}

// BenchmarkMatchOne tests single-event patterns as the index does for its
// candidates.
func BenchmarkMatchOne(b *testing.B) {
	for _, s := range []string{
		"[ipv4-addr:value = '198.51.100.7']",
		"[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24' AND network-traffic:dst_port = 443]",
		"[domain-name:value LIKE '%.example.com']",
		"[domain-name:value MATCHES '^www\\\\.']",
	} {
		b.Run(s, func(b *testing.B) {
			p := mustParse(b, s)
			ev := benchEvent(1)
			b.ReportAllocs()
			for b.Loop() {
				if !p.MatchOne(ev) {
					b.Fatal("no match")
				}
			}
		})
	}
}

// BenchmarkMatch evaluates multi-observation patterns over 100
// observations.
func BenchmarkMatch(b *testing.B) {
	obs := make([]*pattern.Observation, 100)
	for i := range obs {
		obs[i] = benchEvent(i)
	}
	for _, s := range []string{
		"[ipv4-addr:value = '10.0.0.99']",
		"[ipv4-addr:value = '10.0.0.10'] FOLLOWEDBY [ipv4-addr:value = '10.0.0.20'] WITHIN 60 SECONDS",
		"[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES WITHIN 10 SECONDS",
		"[ipv4-addr:value = '10.0.0.50'] AND [domain-name:value = 'nomatch.example']",
	} {
		b.Run(s, func(b *testing.B) {
			p := mustParse(b, s)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Match(obs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
