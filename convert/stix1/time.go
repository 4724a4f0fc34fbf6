package stix1

import (
	"strings"
	"time"
)

// xs:dateTime as STIX 1.x writes it: with a zone ("Z" or an offset), or
// without (read as UTC), with any fraction of a second; xs:date is read as
// midnight UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02Z07:00",
	"2006-01-02",
}

// parseTime reads an xs:dateTime. STIX 2.1 timestamps need a four-digit
// year, so years outside 1-9999 are refused.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			if t.Year() < 1 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// stamp writes a STIX 2.1 timestamp with millisecond precision (section
// 3.2), as created and modified require.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// timeAttr returns the attribute name of n as a STIX 2.1 timestamp, or ""
// when it is absent; a value that is not an xs:dateTime is reported.
func (c *conv) timeAttr(n *node, name, construct string) string {
	v := n.attr(name)
	if v == "" {
		return ""
	}
	t, ok := parseTime(v)
	if !ok {
		c.approx(n.path()+"/@"+name, construct, "the "+name+" "+quoteText(v)+" is not an xs:dateTime; the enclosing time is used instead")
		return ""
	}
	return stamp(t)
}

// timeText returns the text of n as a STIX 2.1 timestamp, reporting a
// value that is not one.
func (c *conv) timeText(n *node, construct string) string {
	if n == nil || n.str() == "" {
		return ""
	}
	t, ok := parseTime(n.str())
	if !ok {
		c.skip(n.path(), construct, quoteText(n.str())+" is not an xs:dateTime; not converted")
		return ""
	}
	return stamp(t)
}

// quoteText quotes a value of the input for a report, cut to a readable
// length.
func quoteText(s string) string {
	if len(s) > 80 {
		cut := 80
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return "\"" + s + "\""
}
