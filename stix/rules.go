package stix

import "strings"

// rule checks a constraint between the properties of one object; paths it
// reports are relative to the object.
type rule func(c *checker, m map[string]any)

// timestampOf returns the parsed timestamp property, ok false when absent
// or malformed (its own check reports that).
func timestampOf(m map[string]any, name string) (string, bool) {
	s, ok := m[name].(string)
	if !ok || checkTimestamp(s, 0) != "" {
		return "", false
	}
	return s, true
}

// compareTimestamps compares two valid STIX timestamps as instants.
func compareTimestamps(a, b string) int {
	ta, _ := ParseTimestamp(a)
	tb, _ := ParseTimestamp(b)
	return ta.Compare(tb)
}

// notBefore requires later >= earlier when both are present.
func notBefore(later, earlier string) rule {
	return func(c *checker, m map[string]any) {
		l, ok1 := timestampOf(m, later)
		e, ok2 := timestampOf(m, earlier)
		if ok1 && ok2 && compareTimestamps(l, e) < 0 {
			c.errorf(later, "must not be earlier than %s (%s < %s)", earlier, l, e)
		}
	}
}

// after requires later > earlier when both are present.
func after(later, earlier string) rule {
	return func(c *checker, m map[string]any) {
		l, ok1 := timestampOf(m, later)
		e, ok2 := timestampOf(m, earlier)
		if ok1 && ok2 && compareTimestamps(l, e) <= 0 {
			c.errorf(later, "must be later than %s (%s <= %s)", earlier, l, e)
		}
	}
}

// anyOf requires at least one of the named properties.
func anyOf(names ...string) rule {
	return func(c *checker, m map[string]any) {
		for _, n := range names {
			if _, ok := m[n]; ok {
				return
			}
		}
		c.errorf("", "at least one of %s is required", strings.Join(names, ", "))
	}
}

// notBoth forbids two properties together.
func notBoth(a, b string) rule {
	return func(c *checker, m map[string]any) {
		_, okA := m[a]
		_, okB := m[b]
		if okA && okB {
			c.errorf(b, "must not be present together with %s", a)
		}
	}
}
