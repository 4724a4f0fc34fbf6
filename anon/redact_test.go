package anon_test

import (
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
)

func TestRedact(t *testing.T) {
	rules := MustRules(t, isachub.Redaction{
		Domains:  []string{"acme-air.example"},
		Emails:   []string{"SOC@acme-air.example", "cert@partner.example"},
		IPRanges: []string{"10.20.30.0/24", "192.0.2.7", "2001:db8:ac::/48", "fe80::1"},
		Patterns: []string{`(?i)ticket-\d{4}`, `AAL\d+`},
	}, "Acme Airlines", "  Acme   Holdings ", "AA")
	tests := []struct {
		name, in, want string
	}{
		// Domains: the domain and its subdomains, any case, on label
		// boundaries.
		{"Domain", "see acme-air.example now", "see [REDACTED] now"},
		{"DomainCase", "see ACME-Air.Example", "see [REDACTED]"},
		{"Subdomain", "mail.acme-air.example is down", "[REDACTED] is down"},
		{"DeepSubdomain", "https://a.b.c.acme-air.example/x?y", "https://[REDACTED]/x?y"},
		{"EndOfSentence", "It came from acme-air.example.", "It came from [REDACTED]."},
		{"OtherTLD", "acme-air.example.org is another domain", "acme-air.example.org is another domain"},
		{"LongerLabel", "xacme-air.example and my-acme-air.example", "xacme-air.example and my-acme-air.example"},
		{"EmailDomain", "bob@acme-air.example", "bob@[REDACTED]"},
		// Email addresses: exact, any case, not inside a longer address.
		{"Email", "write to soc@ACME-AIR.example.", "write to [REDACTED]."},
		{"EmailOtherDomain", "cert@partner.example, xcert@partner.example", "[REDACTED], xcert@partner.example"},
		{"EmailLongerDomain", "cert@partner.example.com", "cert@partner.example.com"},
		// IP ranges: any address inside, IPv4 and IPv6.
		{"IPv4InRange", "from 10.20.30.40:443 and 10.20.30.255.", "from [REDACTED]:443 and [REDACTED]."},
		{"IPv4OutOfRange", "from 10.20.31.40 and 110.20.30.4", "from 10.20.31.40 and 110.20.30.4"},
		{"IPv4Single", "192.0.2.7 but not 192.0.2.8", "[REDACTED] but not 192.0.2.8"},
		{"IPv4NotAnAddress", "version 10.20.30.40.5", "version 10.20.30.40.5"},
		{"IPv6InRange", "via 2001:db8:ac:1::5 and [2001:DB8:AC::1]:80", "via [REDACTED] and [[REDACTED]]:80"},
		{"IPv6OutOfRange", "via 2001:db8:ad::5", "via 2001:db8:ad::5"},
		{"IPv6Single", "fe80::1 and fe80::2", "[REDACTED] and fe80::2"},
		{"IPv4Mapped", "::ffff:10.20.30.9", "[REDACTED]"},
		{"IPv6AfterWord", "addr:2001:db8:ac::9", "addr:[REDACTED]"},
		// Patterns are RE2 as written.
		{"Pattern", "see Ticket-1234 and AAL100, not aal100", "see [REDACTED] and [REDACTED], not aal100"},
		// Literals: any case, any white space; shorter than 3 ignored.
		{"Literal", "ACME AIRLINES and acme\tairlines", "[REDACTED] and [REDACTED]"},
		{"LiteralSpaces", "Acme Holdings Ltd", "[REDACTED] Ltd"},
		{"LiteralSeparators", "acme-airlines.example and ACME_AIRLINES", "[REDACTED].example and [REDACTED]"},
		{"ShortLiteralIgnored", "AA flight", "AA flight"},
		// Overlapping matches become one.
		{"Overlap", "Acme Airlines acme-air.example", "[REDACTED] [REDACTED]"},
		{"Nothing", "nothing to see", "nothing to see"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := rules.Redact(tt.in)
			if got != tt.want || changed != (tt.in != tt.want) {
				t.Errorf("Redact(%q) = %q, %v; want %q", tt.in, got, changed, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	rules := MustRules(t, isachub.Redaction{Domains: []string{"Acme-Air.example"}, IPRanges: []string{"10.0.0.0/8"}}, "Acme Airlines")
	for in, want := range map[string]string{
		"10.1.2.3 then acme-air.example":             "10.0.0.0/8",
		"ACME-AIR.EXAMPLE then 10.1.2.3":             "Acme-Air.example",
		"by acme airlines":                           "Acme Airlines",
		"clean":                                      "",
		"[domain-name:value = 'x.acme-air.example']": "Acme-Air.example",
	} {
		if got := rules.Find(in); got != want {
			t.Errorf("Find(%q) = %q, want %q", in, got, want)
		}
	}
	var none *anon.Rules
	if got, changed := none.Redact("acme"); got != "acme" || changed || none.Find("acme") != "" {
		t.Error("nil Rules redact something")
	}
}

func TestCompile(t *testing.T) {
	for name, r := range map[string]isachub.Redaction{
		"ErrDomain":       {Domains: []string{"not a domain"}},
		"ErrEmail":        {Emails: []string{"nobody"}},
		"ErrIPRange":      {IPRanges: []string{"10.0.0.0/33"}},
		"ErrPattern":      {Patterns: []string{"(unclosed"}},
		"ErrEmptyMatch":   {Patterns: []string{"a*"}},
		"ErrBackrefsRE2":  {Patterns: []string{`(a)\1`}},
		"ErrEmptyPattern": {Patterns: []string{""}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := anon.Compile(r); isachub.ErrorCode(err) != isachub.EINVALID {
				t.Errorf("Compile(%+v) err = %v, want EINVALID", r, err)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		if _, err := anon.Compile(acmeRedaction, acmeName, ""); err != nil {
			t.Fatal(err)
		}
	})
}

// Patterns run in linear time: a classic catastrophic-backtracking pattern
// over a long input finishes at once.
func TestRedactLinear(t *testing.T) {
	rules := MustRules(t, isachub.Redaction{Patterns: []string{`(a+)+$`}})
	in := make([]byte, 100_000)
	for i := range in {
		in[i] = 'a'
	}
	in[len(in)-1] = '!'
	start := time.Now()
	if _, changed := rules.Redact(string(in)); changed {
		t.Error("a match where none can be")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the pattern took %v on 100 kB", d)
	}
}
