package isachub_test

import (
	"testing"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// TestDecayScore checks the formula of decay.go on values worked by hand.
func TestDecayScore(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	ind := func(pattern, patternType, extra string) *stix.Object {
		o, err := stix.ParseObject([]byte(`{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-000000000001",
			"created":"2026-10-02T00:00:00Z","modified":"2026-10-02T00:00:00Z","pattern":` + pattern + `,"pattern_type":"` + patternType + `",
			"valid_from":"2026-10-02T00:00:00Z"` + extra + `}`))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	// 2026-10-02 is 60 days before now.
	for _, tt := range []struct {
		name  string
		o     *stix.Object
		seen  time.Time
		half  time.Duration
		score int
	}{
		{"ip, two half-lives", ind(`"[ipv4-addr:value = '203.0.113.1']"`, "stix", ""), time.Time{}, 30 * day, 25},
		{"ip, confidence 80", ind(`"[ipv4-addr:value = '203.0.113.1']"`, "stix", `,"confidence":80`), time.Time{}, 30 * day, 20},
		{"domain, one half-life", ind(`"([domain-name:value = 'x.example'] OR [url:value = 'http://x.example/'])"`, "stix", ""), time.Time{}, 60 * day, 50},
		{"file, a year", ind(`"[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']"`, "stix", ""), time.Time{}, 365 * day, 89},
		{"sighted yesterday", ind(`"[ipv4-addr:value = '203.0.113.1']"`, "stix", ""), now.Add(-day), 30 * day, 97},
		{"sighted before the indicator", ind(`"[ipv4-addr:value = '203.0.113.1']"`, "stix", ""), now.Add(-300 * day), 30 * day, 25},
		{"not STIX", ind(`"alert tcp any any -> any any"`, "snort", ""), time.Time{}, 90 * day, 62},
		{"future", ind(`"[ipv4-addr:value = '203.0.113.1']"`, "stix", ""), now.Add(day), 30 * day, 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := isachub.HalfLife(tt.o); got != tt.half {
				t.Errorf("half-life %s, want %s", got, tt.half)
			}
			if got := isachub.DecayScore(tt.o, now, tt.seen); got != tt.score {
				t.Errorf("score %d, want %d", got, tt.score)
			}
		})
	}
}
