package isachub

import (
	"time"

	"github.com/isachub/isachub/stix"
)

// SightingSummary is what may be said of the sightings (STIX 2.1 section
// 5.7) of one object without exposing who sighted it: how many, by how
// many organisations, first and last seen, only when at least K
// organisations sighted it (the community's Community.SightingThreshold).
// Below K it says only that it was sighted (Sighted) by fewer than K.
type SightingSummary struct {
	K       int
	Sighted bool // at least one sighting
	Shown   bool // at least K organisations: the fields below are set
	Count   int  // sightings, each counting its count property (default 1)
	Orgs    int  // distinct organisations that sighted it under their name
	// FirstSeen and LastSeen are the earliest first_seen and the latest
	// last_seen of the sightings (else their created), "" when none.
	FirstSeen, LastSeen string
	// Mine is whether the reader's organisation reported a sighting under
	// its name: what it knows already, shown whatever K.
	Mine bool
}

// SummariseSightings summarises the sightings of id among versions (the
// latest versions the reader may see of the objects that refer to id,
// Store.Referring), for the reader's organisation org, with threshold k.
// An anonymous sighting is stored without its submitter: it counts as a
// sighting and not as an organisation, so the threshold errs on the side
// of showing nothing.
func SummariseSightings(versions []*ObjectVersion, id string, org int64, k int) SightingSummary {
	sum := SightingSummary{K: k}
	orgs := map[int64]bool{}
	var first, last time.Time
	for _, v := range versions {
		if v.Type != "sighting" || v.Revoked {
			continue
		}
		o, err := stix.ParseObject(v.Raw)
		if err != nil || o.String("sighting_of_ref") != id {
			continue
		}
		n := 1
		if c, ok := countOf(o); ok {
			n = c
		}
		sum.Count += n
		if v.SubmitterOrgID != 0 {
			orgs[v.SubmitterOrgID] = true
		}
		sum.Mine = sum.Mine || (org != 0 && v.SubmitterOrgID == org)
		if t, ok := stamp(o, "first_seen"); ok && (first.IsZero() || t.Before(first)) {
			first = t
		}
		if t, ok := stamp(o, "last_seen"); ok && t.After(last) {
			last = t
		}
	}
	sum.Sighted = sum.Count > 0
	sum.Orgs = len(orgs)
	sum.Shown = sum.Orgs >= k
	if !sum.Shown {
		sum.Count, sum.Orgs = 0, 0
		return sum
	}
	if !first.IsZero() {
		sum.FirstSeen = FormatTimestamp(first)
	}
	if !last.IsZero() {
		sum.LastSeen = FormatTimestamp(last)
	}
	return sum
}

// countOf returns a sighting's count (0 to 999,999,999, section 5.7).
func countOf(o *stix.Object) (int, bool) {
	raw, ok := o.Property("count")
	if !ok || len(raw) == 0 || len(raw) > 9 {
		return 0, false
	}
	n := 0
	for _, b := range raw {
		if b < '0' || b > '9' {
			return 0, false
		}
		n = n*10 + int(b-'0')
	}
	return n, true
}

// stamp returns the timestamp property of o, else its created.
func stamp(o *stix.Object, name string) (time.Time, bool) {
	s := o.String(name)
	if s == "" {
		s = o.Created()
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
