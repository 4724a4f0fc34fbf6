package taxii

import (
	"fmt"
	"strings"
	"time"
)

// FormatTimestamp formats t as a TAXII 2.1 timestamp (section 3.2): RFC 3339
// in UTC with a "Z" and microsecond precision, the precision of date_added,
// for example "2026-11-23T06:22:27.123456Z".
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// ParseTimestamp parses a TAXII/STIX timestamp such as
// "2026-11-23T06:22:27.123Z": RFC 3339 with any number of fractional digits.
// Section 3.2 requires UTC with a "Z"; an explicit offset is accepted and
// converted, since it names one instant all the same.
func ParseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("empty timestamp; expected RFC 3339 in UTC such as 2026-01-02T15:04:05.000Z")
	}
	if len(s) > 64 || strings.ContainsAny(s, " \t") {
		return time.Time{}, fmt.Errorf("%q is not a timestamp; expected RFC 3339 in UTC such as 2026-01-02T15:04:05.000Z", clip(s))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a timestamp; expected RFC 3339 in UTC such as 2026-01-02T15:04:05.000Z", clip(s))
	}
	return t.UTC(), nil
}

// clip shortens s for an error message so that hostile input cannot make
// a message arbitrarily long.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
