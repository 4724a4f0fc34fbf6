package isachub

import (
	"math"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// Decay: how much an indicator is still worth acting on (issue 10). An
// indicator of an IP address is stale in weeks (addresses are reassigned,
// hosting moves), a domain in a couple of months, a file hash hardly ever.
// Its score falls with age by a half-life that depends on what it
// detects, and a sighting of it restores it:
//
//	score = base × 2^(−age / half-life)
//
//   - base is the indicator's confidence (STIX 2.1 section 3.2, 0–100),
//     or 100 when it has none;
//   - age is the time from the indicator's freshness to now: the latest
//     of its valid_from, modified (else created) and the last_seen (else
//     modified, else created) of every sighting of it the reader may see
//     (STIX 2.1 section 5.7); never negative;
//   - half-life is by the first object type of the pattern's first
//     comparison (DecayHalfLives): ipv4-addr, ipv6-addr and url 30 days,
//     domain-name 60, email-addr and email-message 90, file 365, network
//     traffic 30, anything else (and non-STIX patterns) 90.
//
// The score is rounded down to an integer. A feed with min_score keeps the
// indicators whose score is at least that; other objects have no score
// and pass. Only sightings the reader may see count, so the presence of
// an indicator in a feed never hints at a sighting it may not read.

// DecayHalfLives are the half-lives by the pattern's first object type;
// DecayDefaultHalfLife applies to any other.
var DecayHalfLives = map[string]time.Duration{
	"ipv4-addr":       30 * day,
	"ipv6-addr":       30 * day,
	"url":             30 * day,
	"network-traffic": 30 * day,
	"domain-name":     60 * day,
	"email-addr":      90 * day,
	"email-message":   90 * day,
	"file":            365 * day,
}

const day = 24 * time.Hour

// DecayDefaultHalfLife is the half-life of an indicator whose pattern's
// first object type DecayHalfLives does not name.
const DecayDefaultHalfLife = 90 * day

// HalfLife returns the half-life of the indicator o (DecayHalfLives).
func HalfLife(o *stix.Object) time.Duration {
	if o.String("pattern_type") != "stix" {
		return DecayDefaultHalfLife
	}
	if h, ok := DecayHalfLives[patternObjectType(o.String("pattern"))]; ok {
		return h
	}
	return DecayDefaultHalfLife
}

// patternObjectType returns the object type of the first comparison of a
// STIX pattern ("[ipv4-addr:value = ...]" gives "ipv4-addr"), "" when
// there is none to read.
func patternObjectType(p string) string {
	i := strings.IndexByte(p, '[')
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(p[i+1:], " \t\r\n(")
	j := strings.IndexByte(rest, ':')
	if j <= 0 {
		return ""
	}
	return strings.TrimSpace(rest[:j])
}

// Freshness returns when the indicator o was last known good: the latest
// of its valid_from, its modified (else created) and lastSighted (zero
// when no sighting of it may be seen).
func Freshness(o *stix.Object, lastSighted time.Time) time.Time {
	fresh := lastSighted
	stamp := o.Modified()
	if stamp == "" {
		stamp = o.Created()
	}
	for _, s := range []string{o.String("valid_from"), stamp} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.After(fresh) {
			fresh = t
		}
	}
	return fresh
}

// DecayScore returns the indicator's score at now (the formula above),
// with lastSighted the last_seen of its latest visible sighting (zero for
// none).
func DecayScore(o *stix.Object, now, lastSighted time.Time) int {
	base := 100
	if c, ok := confidence(o); ok {
		base = c
	}
	age := max(now.Sub(Freshness(o, lastSighted)), 0)
	return int(math.Floor(float64(base) * math.Exp2(-float64(age)/float64(HalfLife(o)))))
}

// SightingLastSeen returns when a sighting says its object was last seen:
// its last_seen, else its modified, else its created; zero when none can
// be read.
func SightingLastSeen(s *stix.Object) time.Time {
	for _, v := range []string{s.String("last_seen"), s.Modified(), s.Created()} {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t
		}
	}
	return time.Time{}
}
