package pattern

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ObservationFromECS is ParseECS for an event already decoded with
// json.Decoder.UseNumber.
func ObservationFromECS(event map[string]any) (*Observation, error) {
	f, groups, err := flattenECS(event)
	if err != nil {
		return nil, err
	}
	return observationFromFields(f, groups)
}

// observationFromFields maps flattened ECS fields to an Observation.
func observationFromFields(f ecsFields, groups uint32) (*Observation, error) {
	b := &scoBuilder{objs: make(map[string]map[string]any, 8)}
	ob := &Observation{NumberObserved: 1}
	for _, step := range ecsSteps {
		if groups&step.groups == 0 {
			continue
		}
		if err := step.fn(f, b); err != nil {
			return nil, err
		}
	}
	ob.Objects = b.objs
	if err := ecsTime(f, ob); err != nil {
		return nil, err
	}
	return ob, nil
}

// ecsSteps are the mappings, in order, with the field sets each reads.
var ecsSteps = []struct {
	groups uint32
	fn     func(ecsFields, *scoBuilder) error
}{
	{ecsSource | ecsDestination | ecsClient | ecsServer | ecsNetworkSet, ecsNetwork},
	{ecsHostSet, ecsHost},
	{ecsDNSSet, ecsDNS},
	{ecsURLSet, ecsURL},
	{ecsFileSet, ecsFile},
	{ecsProcessSet, ecsProcess},
	{ecsEmailSet, ecsEmail},
	{ecsUserSet, ecsUser},
	{ecsRegistrySet, ecsRegistry},
	{ecsTLSSet, ecsTLS},
}

// scoBuilder collects the SCOs of one event.
type scoBuilder struct {
	objs    map[string]map[string]any
	byValue map[[2]string]string // {type, value} -> key, for dedup
}

// add stores an SCO and returns its key.
func (b *scoBuilder) add(sco map[string]any) string {
	key := strconv.Itoa(len(b.objs))
	b.objs[key] = sco
	return key
}

// value returns the key of the SCO {type, value}, adding it once.
func (b *scoBuilder) value(typ, value string) string {
	k := [2]string{typ, value}
	if key, ok := b.byValue[k]; ok {
		return key
	}
	if b.byValue == nil {
		b.byValue = make(map[[2]string]string, 8)
	}
	key := b.add(map[string]any{"type": typ, "value": value})
	b.byValue[k] = key
	return key
}

// ip adds an ipv4-addr or ipv6-addr for an IP address field.
func (b *scoBuilder) ip(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", fmt.Errorf("field %s: %q is not an IP address", field, s)
	}
	typ := "ipv6-addr"
	if a.Is4() || a.Is4In6() {
		typ = "ipv4-addr"
		s = a.Unmap().String()
	}
	return b.value(typ, s), nil
}

// ips adds an address SCO for each value of a field that may be an array.
func (b *scoBuilder) ips(f ecsFields, field string) ([]any, error) {
	vals, err := f.strs(field)
	if err != nil {
		return nil, err
	}
	var keys []any
	for _, s := range vals {
		k, err := b.ip(field, s)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// mac adds a mac-addr, normalised to the lower-case colon form STIX requires
// (ECS writes 00-00-5E-00-53-23).
func (b *scoBuilder) mac(s string) string {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", ":"))
	return b.value("mac-addr", s)
}

// setStr copies a string field into an SCO property when present.
func setStr(f ecsFields, field string, sco map[string]any, prop string) error {
	s, ok, err := f.str(field)
	if err != nil {
		return err
	}
	if ok {
		sco[prop] = s
	}
	return nil
}

// setInt copies an integer field into an SCO property when present.
func setInt(f ecsFields, field string, sco map[string]any, prop string) error {
	n, ok, err := f.integer(field)
	if err != nil {
		return err
	}
	if ok {
		sco[prop] = n
	}
	return nil
}

// ecsTime sets the observation times from @timestamp, event.start and
// event.end, and number_observed from event.count.
func ecsTime(f ecsFields, ob *Observation) error {
	get := func(name string) (time.Time, bool, error) {
		s, ok, err := f.str(name)
		if err != nil || !ok {
			return time.Time{}, false, err
		}
		t, err := parseRFC3339(s)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("field %s: %q is not an RFC 3339 timestamp such as 2024-05-01T10:00:00Z", name, s)
		}
		return t, true, nil
	}
	ts, hasTS, err := get("@timestamp")
	if err != nil {
		return err
	}
	ob.FirstObserved, ob.LastObserved = ts, ts
	start, ok, err := get("event.start")
	if err != nil {
		return err
	}
	if ok {
		ob.FirstObserved = start
		if !hasTS {
			ob.LastObserved = start
		}
	}
	end, ok, err := get("event.end")
	if err != nil {
		return err
	}
	if ok {
		ob.LastObserved = end
		if ob.FirstObserved.IsZero() {
			ob.FirstObserved = end
		}
	}
	if ob.LastObserved.Before(ob.FirstObserved) {
		return fmt.Errorf("field event.end is before event.start")
	}
	n, ok, err := f.integer("event.count")
	if err != nil {
		return err
	}
	if ok {
		c, _ := strconv.Atoi(n.String())
		if c < 1 || c > 999_999_999 {
			return fmt.Errorf("field event.count must be between 1 and 999999999, found %s", n)
		}
		ob.NumberObserved = c
	}
	return nil
}
