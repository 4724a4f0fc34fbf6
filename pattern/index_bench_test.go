package pattern_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isachub/isachub/pattern"
)

// The benchmark corpus: 100,000 generated indicators, mostly equality on
// IPs, domains, URLs and hashes, some AND/OR, LIKE, MATCHES, CIDR and
// FOLLOWEDBY, matched against generated ECS events of which about 1% carry
// an indicator's value.

const (
	benchIndicators = 100_000
	benchEvents     = 20_000
	benchHitRate    = 0.01
)

// benchCorpus is the generated indicator patterns, the values events may
// be seeded with to hit, and the events.
type benchCorpus struct {
	patterns []string
	hitIPs   []string
	hitDoms  []string
	hitURLs  []string
	hitSHA   []string
	events   []string // ECS JSON lines
}

var (
	benchOnce sync.Once
	benchData *benchCorpus
)

func benchHex(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

// benchPublicIP draws an address outside 10/8, from 11.0.0.0 up.
func benchPublicIP(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d.%d", 11+r.IntN(200), r.IntN(256), r.IntN(256), 1+r.IntN(254))
}

func newBenchCorpus() *benchCorpus {
	r := rand.New(rand.NewPCG(42, 2024))
	c := &benchCorpus{}
	add := func(format string, args ...any) { c.patterns = append(c.patterns, fmt.Sprintf(format, args...)) }
	for i := 0; i < benchIndicators; i++ {
		switch x := r.IntN(1000); {
		case x < 300: // 30% IPv4
			ip := benchPublicIP(r)
			c.hitIPs = append(c.hitIPs, ip)
			add("[ipv4-addr:value = '%s']", ip)
		case x < 320: // 2% IPv6
			add("[ipv6-addr:value = '2001:db8:%x:%x::%x']", r.IntN(65536), r.IntN(65536), 1+r.IntN(65535))
		case x < 540: // 22% domains
			d := fmt.Sprintf("c2-%s.bad%d.net", benchHex(r, 6), r.IntN(1000))
			c.hitDoms = append(c.hitDoms, d)
			add("[domain-name:value = '%s']", d)
		case x < 690: // 15% URLs
			u := fmt.Sprintf("http://%s.example-mal%d.com/%s/gate.php", benchHex(r, 5), r.IntN(500), benchHex(r, 8))
			c.hitURLs = append(c.hitURLs, u)
			add("[url:value = '%s']", u)
		case x < 790: // 10% SHA-256
			h := benchHex(r, 64)
			c.hitSHA = append(c.hitSHA, h)
			add("[file:hashes.'SHA-256' = '%s']", h)
		case x < 850: // 6% MD5
			add("[file:hashes.MD5 = '%s']", benchHex(r, 32))
		case x < 890: // 4% SHA-1
			add("[file:hashes.'SHA-1' = '%s']", benchHex(r, 40))
		case x < 910: // 2% AND: destination and port
			ip := benchPublicIP(r)
			add("[network-traffic:dst_ref.value = '%s' AND network-traffic:dst_port = %d]", ip, []int{443, 8443, 4444, 53}[r.IntN(4)])
		case x < 930: // 2% OR: domain or URL
			add("[domain-name:value = 'x%s.evil.org' OR url:value = 'https://x%s.evil.org/']", benchHex(r, 6), benchHex(r, 6))
		case x < 940: // 1% AND: hash and name
			add("[file:hashes.MD5 = '%s' AND file:name = 'dropper%d.exe']", benchHex(r, 32), r.IntN(10000))
		case x < 960: // 2% CIDR
			bits := []int{16, 20, 24, 24, 28}[r.IntN(5)]
			add("[ipv4-addr:value ISSUBSET '%d.%d.%d.0/%d']", 11+r.IntN(200), r.IntN(256), r.IntN(256)&^15, bits)
		case x < 975: // 1.5% LIKE
			add("[domain-name:value LIKE '%%.dyn%d-%s.net']", r.IntN(100000), benchHex(r, 3))
		case x < 985: // 1% MATCHES
			add("[url:value MATCHES '^https?://[a-z0-9.-]+/payload%d_[a-z]+\\\\.php$']", r.IntN(100000))
		case x < 995: // 1% FOLLOWEDBY
			add("[domain-name:value = 'stage-%s.net'] FOLLOWEDBY [ipv4-addr:value = '%s'] WITHIN 300 SECONDS",
				benchHex(r, 8), benchPublicIP(r))
		case x < 999 || r.IntN(10) > 0: // 0.4% e-mail senders
			add("[email-message:from_ref.value = 'billing%d@%s.example']", r.IntN(1000), benchHex(r, 6))
		default: // 0.01% (about 10) comparisons only the object type can index
			add("[process:name != 'svc%d.exe' AND process:pid < %d]", r.IntN(1000), 1+r.IntN(99))
		}
	}
	for i := 0; i < benchEvents; i++ {
		c.events = append(c.events, c.event(r))
	}
	return c
}

// event draws one ECS event: a network flow, a DNS query, a web request or
// a file event, with an indicator's value in about benchHitRate of them.
func (c *benchCorpus) event(r *rand.Rand) string {
	hit := r.Float64() < benchHitRate
	ts := fmt.Sprintf("2024-05-01T%02d:%02d:%02dZ", r.IntN(24), r.IntN(60), r.IntN(60))
	src := fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254))
	dst := benchPublicIP(r)
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	switch r.IntN(4) {
	case 0:
		if hit {
			dst = pick(c.hitIPs)
		}
		return fmt.Sprintf(`{"@timestamp":%q,"event":{"category":"network"},"source":{"ip":%q,"port":%d},"destination":{"ip":%q,"port":%d},"network":{"transport":"tcp"}}`,
			ts, src, 1024+r.IntN(60000), dst, []int{443, 80, 53, 22}[r.IntN(4)])
	case 1:
		name := fmt.Sprintf("host%d.benign%d.com", r.IntN(5000), r.IntN(2000))
		if hit {
			name = pick(c.hitDoms)
		}
		return fmt.Sprintf(`{"@timestamp":%q,"source.ip":%q,"destination.ip":"10.0.0.53","destination.port":53,"dns.question.name":%q,"network.protocol":"dns"}`,
			ts, src, name)
	case 2:
		dom := fmt.Sprintf("www.site%d.org", r.IntN(10000))
		u := fmt.Sprintf("https://%s/page/%d?id=%s", dom, r.IntN(1000), benchHex(r, 6))
		if hit {
			u = pick(c.hitURLs)
		}
		return fmt.Sprintf(`{"@timestamp":%q,"source.ip":%q,"destination.ip":%q,"destination.port":443,"url":{"full":%q,"domain":%q},"http":{"request":{"method":"GET"}},"user_agent":{"original":"Mozilla/5.0"}}`,
			ts, src, dst, u, dom)
	}
	sha := benchHex(r, 64)
	if hit {
		sha = pick(c.hitSHA)
	}
	return fmt.Sprintf(`{"@timestamp":%q,"host":{"ip":%q},"file":{"name":"doc%d.pdf","size":%d,"path":"C:\\Users\\u\\doc.pdf","hash":{"sha256":%q,"md5":%q}},"process":{"name":"outlook.exe","pid":%d}}`,
		ts, src, r.IntN(1000), 1000+r.IntN(1_000_000), sha, benchHex(r, 32), 100+r.IntN(60000))
}

func loadBenchCorpus(tb testing.TB) *benchCorpus {
	tb.Helper()
	benchOnce.Do(func() { benchData = newBenchCorpus() })
	return benchData
}

func buildBenchIndex(tb testing.TB, c *benchCorpus) *pattern.Index {
	tb.Helper()
	ix := pattern.NewIndex()
	for i, s := range c.patterns {
		p, err := pattern.Parse(s)
		if err != nil {
			tb.Fatalf("generated pattern %q: %v", s, err)
		}
		ix.Add(fmt.Sprint("indicator--", i), p, nil)
	}
	return ix
}

func benchObservations(tb testing.TB, c *benchCorpus) []*pattern.Observation {
	tb.Helper()
	obs := make([]*pattern.Observation, len(c.events))
	for i, e := range c.events {
		o, err := pattern.ParseECS([]byte(e))
		if err != nil {
			tb.Fatalf("generated event %s: %v", e, err)
		}
		obs[i] = o
	}
	return obs
}

// BenchmarkIndexMatch measures matching mapped events (ECS already turned
// into observations) against the 100,000-indicator index.
func BenchmarkIndexMatch(b *testing.B) {
	c := loadBenchCorpus(b)
	ix := buildBenchIndex(b, c)
	obs := benchObservations(b, c)
	hits := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		hits += len(ix.Match(obs[i%len(obs)]))
	}
	reportRates(b, processCPU()-cpu)
	b.ReportMetric(float64(hits)/float64(b.N), "hits/event")
}

// reportRates reports events per second of wall time and, where the
// platform measures it, per second of the process's CPU time: on a shared
// machine the first counts other processes' turns too.
func reportRates(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
}

// BenchmarkIndexMatchOneEvent matches one event of each kind over and over.
// Unlike BenchmarkIndexMatch, where each of the 20,000 events' objects
// must come from main memory, the event and the index entries it touches
// stay in the CPU caches: the difference between the two is what cache
// misses cost. The file event carries a process, so it also pays for the
// ten patterns only the object type indexes.
func BenchmarkIndexMatchOneEvent(b *testing.B) {
	c := loadBenchCorpus(b)
	ix := buildBenchIndex(b, c)
	obs := benchObservations(b, c)
	kinds := []struct{ name, marker string }{
		{"flow", `"network":`}, {"dns", `"dns.question.name"`}, {"web", `"url":`}, {"file", `"file":`},
	}
	for _, k := range kinds {
		var o *pattern.Observation
		for i, e := range c.events {
			if strings.Contains(e, k.marker) {
				o = obs[i]
				break
			}
		}
		if o == nil {
			b.Fatalf("no %s event in the corpus", k.name)
		}
		b.Run(k.name, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				ix.Match(o)
			}
			reportRates(b, processCPU()-cpu)
		})
	}
}

// BenchmarkParseECS measures turning one ECS line into an observation,
// the part of the match command's work that is not the index.
func BenchmarkParseECS(b *testing.B) {
	c := loadBenchCorpus(b)
	b.ReportAllocs()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		if _, err := pattern.ParseECS([]byte(c.events[i%len(c.events)])); err != nil {
			b.Fatal(err)
		}
	}
	reportRates(b, processCPU()-cpu)
}

// BenchmarkIndexMatchECS measures the whole path of the match command for
// one line: ECS JSON to observation, then the index.
func BenchmarkIndexMatchECS(b *testing.B) {
	c := loadBenchCorpus(b)
	ix := buildBenchIndex(b, c)
	lines := make([][]byte, len(c.events))
	for i, e := range c.events {
		lines[i] = []byte(e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		o, err := pattern.ParseECS(lines[i%len(lines)])
		if err != nil {
			b.Fatal(err)
		}
		ix.Match(o)
	}
	reportRates(b, processCPU()-cpu)
}

// BenchmarkIndexBuild measures parsing and indexing the 100,000 patterns,
// and the heap the index (patterns included) keeps, per indicator.
func BenchmarkIndexBuild(b *testing.B) {
	c := loadBenchCorpus(b)
	var perIndicator float64
	b.ResetTimer()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := buildBenchIndex(b, c)
		runtime.GC()
		runtime.ReadMemStats(&after)
		perIndicator = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(ix.Len())
		runtime.KeepAlive(ix)
	}
	b.ReportMetric(perIndicator, "bytes/indicator")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchIndicators, "ns/indicator")
}

// TestBenchCorpus checks that the generated corpus is what the benchmark
// claims: every pattern parses, the index finds what evaluating every
// pattern finds on a sample of events, and about 1% of events hit.
func TestBenchCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-indicator index; skipped with -short")
	}
	c := loadBenchCorpus(t)
	ix := buildBenchIndex(t, c)
	obs := benchObservations(t, c)
	var pats []*pattern.Pattern
	for _, s := range c.patterns {
		pats = append(pats, mustParseIx(t, s))
	}
	hitEvents := 0
	for i, o := range obs {
		got := ix.Match(o)
		if len(got) > 0 {
			hitEvents++
		}
		if i%1000 != 0 {
			continue
		}
		// Every 1000th event: compare with evaluating all 100,000.
		var want []string
		for j, p := range pats {
			if p.MatchOne(o) {
				want = append(want, fmt.Sprint("indicator--", j))
			}
		}
		if g, w := strings.Join(hitIDs(got), ","), strings.Join(want, ","); g != w {
			t.Fatalf("event %d %s: index %s, all patterns %s", i, c.events[i], g, w)
		}
	}
	rate := float64(hitEvents) / float64(len(obs))
	t.Logf("%d of %d events hit (%.2f%%)", hitEvents, len(obs), 100*rate)
	if rate < 0.005 || rate > 0.03 {
		t.Errorf("hit rate %.2f%%, want about 1%%", 100*rate)
	}
}
