package stix

import (
	"time"
)

// ParseTimestamp parses a STIX timestamp (section 3.2): RFC 3339 in UTC
// with a literal "Z" and any number of fractional-second digits, for
// example "2016-05-12T08:17:27.000Z". A leap second (":60") is accepted and
// read as the last instant of that minute's 59th second.
func ParseTimestamp(s string) (time.Time, error) {
	if msg := checkTimestamp(s, 0); msg != "" {
		return time.Time{}, &PathError{Path: "$", Msg: quote(s) + " " + msg}
	}
	if s[17:19] == "60" {
		s = s[:17] + "59" + s[19:]
	}
	return time.Parse(time.RFC3339Nano, s)
}

// checkTimestamp reports what is wrong with s as a STIX timestamp needing at
// least minFrac fractional-second digits; "" when it is valid.
func checkTimestamp(s string, minFrac int) string {
	const shape = "must be an RFC 3339 timestamp in UTC such as 2016-05-12T08:17:27.000Z"
	// YYYY-MM-DDTHH:MM:SS[.fff...]Z
	if len(s) < 20 || s[len(s)-1] != 'Z' {
		return shape + " (ending in Z)"
	}
	for i, want := range "dddd-dd-ddTdd:dd:dd" {
		c := s[i]
		if want == 'd' {
			if c < '0' || c > '9' {
				return shape
			}
		} else if rune(c) != want {
			return shape
		}
	}
	frac := s[19 : len(s)-1]
	if frac != "" {
		if frac[0] != '.' || len(frac) == 1 {
			return shape
		}
		for i := 1; i < len(frac); i++ {
			if frac[i] < '0' || frac[i] > '9' {
				return shape
			}
		}
	}
	if digits := max(len(frac)-1, 0); digits < minFrac {
		return "must be precise to the millisecond: use at least 3 fractional digits, for example " + s[:19] + ".000Z"
	}
	norm := s
	if s[17:19] == "60" { // a leap second
		norm = s[:17] + "59" + s[19:]
	}
	if _, err := time.Parse(time.RFC3339Nano, norm); err != nil {
		return "is not a real date and time (" + shape + ")"
	}
	return ""
}
