package misp

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// MISP writes three kinds of time: Unix seconds as decimal strings
// (timestamp, publish_timestamp, date_sighting; draft-dulaunoy-misp-core-format
// section 2.2), dates (the event's date, YYYY-MM-DD) and ISO 8601 date-times
// with microseconds and a zone (first_seen, last_seen). STIX 2.1 wants RFC
// 3339 in UTC (section 3.2), with millisecond precision for created and
// modified.

// timeLayouts are the date-time forms MISP instances and tools write.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads a MISP time: Unix seconds (string or number), a date or an
// ISO 8601 date-time (UTC when it has no zone). ok is false for anything
// else, for 0 (MISP's "never", as in publish_timestamp), and for times
// outside the years 1 to 9999 that RFC 3339 can write.
func parseTime(v any) (time.Time, bool) {
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case json.Number:
		s = string(v)
	default:
		return time.Time{}, false
	}
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		if len(s) > 12 {
			return time.Time{}, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return time.Time{}, false
		}
		return inRange(time.Unix(n, 0))
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return inRange(t)
		}
	}
	return time.Time{}, false
}

func inRange(t time.Time) (time.Time, bool) {
	t = t.UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// stampMs writes t as a STIX timestamp with millisecond precision, as
// created and modified require (section 3.2).
func stampMs(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// stamp writes t as a STIX timestamp, with milliseconds, or microseconds
// when t has them (MISP's first_seen and last_seen do).
func stamp(t time.Time) string {
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	return stampMs(t)
}

// earlier returns the earlier of a and b, ignoring zero times.
func earlier(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
