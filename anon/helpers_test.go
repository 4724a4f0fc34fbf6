package anon_test

import (
	"os"
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/anon"
	"github.com/isachub/isachub/stix"
)

// The member in testdata/submission.json.
const (
	acmeID   = "identity--2f7e5c3a-9b1d-4e8f-a6c2-1d3b5e7f9a0c"
	acmeName = "Acme Airlines"
)

var acmeRedaction = isachub.Redaction{
	Domains:  []string{"acme-air.example"},
	Emails:   []string{"soc@acme-air.example"},
	IPRanges: []string{"10.20.30.0/24"},
	Patterns: []string{`ACME-\d+`},
}

func community() *isachub.Community {
	return &isachub.Community{
		Slug: "aviation-isac", Title: "Aviation ISAC", Description: "The aviation sector's ISAC.",
		Sector: "aviation", CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC),
	}
}

// MustObjects parses a STIX file of testdata.
func MustObjects(tb testing.TB, path string) []*stix.Object {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	objs, err := stix.Parse(data)
	if err != nil {
		tb.Fatal(err)
	}
	return objs
}

// MustRules compiles rules.
func MustRules(tb testing.TB, r isachub.Redaction, literals ...string) *anon.Rules {
	tb.Helper()
	rules, err := anon.Compile(r, literals...)
	if err != nil {
		tb.Fatal(err)
	}
	return rules
}

// acmeConfig is the configuration the server would use for Acme.
func acmeConfig(tb testing.TB) anon.Config {
	tb.Helper()
	c := community()
	return anon.Config{
		CommunityIdentity: anon.CommunityIdentity(c).ID(),
		SectorIdentity:    anon.SectorIdentity(c).ID(),
		Submitter:         []string{acmeID},
		Rules:             MustRules(tb, acmeRedaction, acmeName),
		Key:               anon.OrgKey([]byte("community secret of 32 bytes...."), 42),
	}
}
