package pattern_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
)

// equivGen draws patterns and ECS events from one small pool of values, so
// that random patterns hit random events often and the index's answer can
// be checked against evaluating every pattern.
type equivGen struct{ r *rand.Rand }

var (
	equivIPs     = []string{"10.0.0.1", "10.0.0.2", "10.1.0.1", "192.0.2.1", "192.0.2.200", "2001:db8::1", "2001:db8:1::5"}
	equivCIDRs   = []string{"10.0.0.0/8", "10.0.0.0/24", "192.0.2.0/25", "192.0.2.128/25", "0.0.0.0/0", "2001:db8::/32", "2001:db8::/64", "10.0.0.1/32"}
	equivDomains = []string{"evil.example", "a.evil.example", "good.example", "zz.test", "c2.dyn-evil.net"}
	equivURLs    = []string{"http://evil.example/x", "https://good.example/login", "http://zz.test/a?b=1"}
	equivHashes  = []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("0c", 32)}
	equivNames   = []string{"a.exe", "b.dll", "cmd.exe"}
	equivPorts   = []int{22, 80, 443, 4444}
	equivLikes   = []string{"%.example", "%evil%", "a.%", "%.dyn-evil.net", "%x%", "http://%", "%login"}
	equivRegexes = []string{"^a\\\\.", "evil\\\\.example$", "dyn-evil", "^[a-z]+\\\\.test$", "(?i)EVIL", "login|/x", "\\\\d+"}
	equivTimes   = []string{"2024-01-01T00:00:00Z", "2024-01-01T00:00:30Z", "2024-01-01T00:05:00Z"}
)

func (g equivGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g equivGen) comparison() string {
	not := ""
	if g.r.IntN(8) == 0 {
		not = "NOT "
	}
	switch g.r.IntN(14) {
	case 0, 1:
		return fmt.Sprintf("ipv4-addr:value %s= '%s'", not, g.pick(equivIPs[:5]))
	case 2:
		return fmt.Sprintf("ipv4-addr:value %sISSUBSET '%s'", not, g.pick(equivCIDRs[:5]))
	case 3:
		return fmt.Sprintf("ipv6-addr:value %sISSUBSET '%s'", not, g.pick(equivCIDRs[5:7]))
	case 4:
		return fmt.Sprintf("network-traffic:dst_ref.value %s= '%s'", not, g.pick(equivIPs))
	case 5:
		return fmt.Sprintf("network-traffic:dst_port %sIN (%d, %d)", not, equivPorts[g.r.IntN(4)], equivPorts[g.r.IntN(4)])
	case 6:
		return fmt.Sprintf("domain-name:value %s= '%s'", not, g.pick(equivDomains))
	case 7:
		return fmt.Sprintf("domain-name:value %sLIKE '%s'", not, g.pick(equivLikes))
	case 8:
		return fmt.Sprintf("url:value %sMATCHES '%s'", not, g.pick(equivRegexes))
	case 9:
		return fmt.Sprintf("file:hashes.'SHA-256' %s= '%s'", not, g.pick(equivHashes))
	case 10:
		return fmt.Sprintf("file:name %s!= '%s'", not, g.pick(equivNames))
	case 11:
		return fmt.Sprintf("network-traffic:dst_port %s> %d", not, equivPorts[g.r.IntN(4)])
	case 12:
		return fmt.Sprintf("%sEXISTS file:size", not)
	}
	return fmt.Sprintf("url:value %sLIKE '%s'", not, g.pick(equivLikes))
}

func (g equivGen) comparisonExpr(depth int) string {
	if depth > 1 || g.r.IntN(3) > 0 {
		return g.comparison()
	}
	op := " AND "
	if g.r.IntN(2) == 0 {
		op = " OR "
	}
	return "(" + g.comparisonExpr(depth+1) + op + g.comparisonExpr(depth+1) + ")"
}

func (g equivGen) observationExpr(depth int) string {
	var s string
	if depth > 1 || g.r.IntN(3) > 0 {
		s = "[" + g.comparisonExpr(0) + "]"
	} else {
		op := []string{" AND ", " OR ", " FOLLOWEDBY "}[g.r.IntN(3)]
		s = "(" + g.observationExpr(depth+1) + op + g.observationExpr(depth+1) + ")"
	}
	switch g.r.IntN(10) {
	case 0:
		s += " WITHIN 60 SECONDS"
	case 1:
		s += fmt.Sprintf(" REPEATS %d TIMES", 1+g.r.IntN(3))
	case 2:
		s += " START t'2024-01-01T00:00:00Z' STOP t'2024-01-01T00:01:00Z'"
	}
	return s
}

func (g equivGen) event() string {
	var f []string
	add := func(k, v string) { f = append(f, fmt.Sprintf("%q:%s", k, v)) }
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	if g.r.IntN(2) == 0 {
		add("source.ip", q(g.pick(equivIPs)))
	}
	if g.r.IntN(2) == 0 {
		add("destination.ip", q(g.pick(equivIPs)))
		add("destination.port", fmt.Sprint(equivPorts[g.r.IntN(4)]))
	}
	if g.r.IntN(2) == 0 {
		add("dns.question.name", q(g.pick(equivDomains)))
	}
	if g.r.IntN(3) == 0 {
		add("url.full", q(g.pick(equivURLs)))
	}
	if g.r.IntN(3) == 0 {
		add("file.hash.sha256", q(g.pick(equivHashes)))
		add("file.name", q(g.pick(equivNames)))
		if g.r.IntN(2) == 0 {
			add("file.size", "10")
		}
	}
	if g.r.IntN(4) > 0 {
		add("@timestamp", q(g.pick(equivTimes)))
	}
	if g.r.IntN(5) == 0 {
		add("event.count", fmt.Sprint(1+g.r.IntN(3)))
	}
	return "{" + strings.Join(f, ",") + "}"
}

// TestIndexEquivalence checks on random patterns and events that the index
// returns exactly the patterns that Match finds true, for single events
// and for groups of events matched together.
func TestIndexEquivalence(t *testing.T) {
	g := equivGen{rand.New(rand.NewPCG(1, 2))}
	const nPatterns, nEvents = 400, 400
	ix := pattern.NewIndex()
	var pats []*pattern.Pattern
	for i := 0; i < nPatterns; i++ {
		p := mustParseIx(t, g.observationExpr(0))
		pats = append(pats, p)
		ix.Add(fmt.Sprint(i), p, nil)
	}
	hits := 0
	for i := 0; i < nEvents; i++ {
		obs := []*pattern.Observation{mustECS(t, g.event())}
		if i%4 == 0 {
			obs = append(obs, mustECS(t, g.event()), mustECS(t, g.event()))
		}
		got := hitIDs(ix.Match(obs...))
		want := []string{}
		for j, p := range pats {
			r, err := p.Match(obs)
			if err == nil && r.Matched {
				want = append(want, fmt.Sprint(j))
			}
		}
		if !slices.Equal(got, want) {
			for _, id := range append(slices.Clone(got), want...) {
				var j int
				fmt.Sscan(id, &j)
				t.Logf("%s: %s", id, pats[j])
			}
			t.Fatalf("event %d: index hits %v, evaluating every pattern gives %v", i, got, want)
		}
		hits += len(got)
	}
	if hits < nEvents {
		t.Fatalf("only %d hits over %d events: the generator no longer exercises the index", hits, nEvents)
	}
	t.Logf("%d hits over %d events", hits, nEvents)
}
