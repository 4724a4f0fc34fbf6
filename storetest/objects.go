package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/isachub/isachub/stix"
)

// Epoch is the created timestamp of every generated object.
var Epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// stamp formats t as a STIX timestamp with millisecond precision.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// UUID returns a deterministic, well-formed UUIDv4 string for n and a
// namespace byte, so that generated ids are stable across runs.
func UUID(ns byte, n int) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n), uint16(ns), 0, 0, uint64(n))
}

// IndicatorID returns the id of Indicator(i).
func IndicatorID(i int) string { return "indicator--" + UUID(1, i) }

// Indicator returns a valid STIX 2.1 indicator number i, first version.
func Indicator(i int) *stix.Object { return IndicatorVersion(i, Epoch) }

// IndicatorVersion returns version modified of indicator number i.
func IndicatorVersion(i int, modified time.Time) *stix.Object {
	ip := fmt.Sprintf("198.51.%d.%d", (i/256)%256, i%256)
	return mustObject(map[string]any{
		"type":            "indicator",
		"spec_version":    "2.1",
		"id":              IndicatorID(i),
		"created":         stamp(Epoch),
		"modified":        stamp(modified),
		"name":            fmt.Sprintf("Malicious IP %s", ip),
		"description":     fmt.Sprintf("Command and control server number %d seen in version %s", i, stamp(modified)),
		"indicator_types": []string{"malicious-activity"},
		"pattern":         fmt.Sprintf("[ipv4-addr:value = '%s']", ip),
		"pattern_type":    "stix",
		"valid_from":      stamp(Epoch),
	})
}

// MalwareID returns the id of Malware(i).
func MalwareID(i int) string { return "malware--" + UUID(2, i) }

// Malware returns a valid STIX 2.1 malware object number i.
func Malware(i int) *stix.Object {
	return mustObject(map[string]any{
		"type":          "malware",
		"spec_version":  "2.1",
		"id":            MalwareID(i),
		"created":       stamp(Epoch),
		"modified":      stamp(Epoch),
		"name":          fmt.Sprintf("Trojan family %d", i),
		"description":   "A remote access trojan.",
		"is_family":     true,
		"malware_types": []string{"remote-access-trojan"},
	})
}

// DomainID returns the id of Domain(value): the deterministic UUIDv5 of
// STIX 2.1 section 2.9.
func DomainID(value string) string {
	o := mustObject(map[string]any{"type": "domain-name", "value": value})
	id, ok, err := stix.DeterministicID(o)
	if err != nil || !ok {
		panic(fmt.Sprintf("no deterministic id for domain %q: %v", value, err)) // a domain-name always has one
	}
	return id
}

// Domain returns a valid STIX 2.1 domain-name SCO with the given value. SCOs
// have no created or modified: each distinct copy of one is a version.
func Domain(value string) *stix.Object {
	return mustObject(map[string]any{
		"type":         "domain-name",
		"spec_version": "2.1",
		"id":           DomainID(value),
		"value":        value,
	})
}

// Parse parses one STIX object from JSON text or fails the test.
func Parse(tb testing.TB, s string) *stix.Object {
	tb.Helper()
	o, err := stix.ParseObject([]byte(s))
	if err != nil {
		tb.Fatalf("parse %s: %v", s, err)
	}
	return o
}

func mustObject(m map[string]any) *stix.Object {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // generated values always encode
	}
	o, err := stix.ParseObject(b)
	if err != nil {
		panic(err) // json.Marshal output is always a JSON object
	}
	return o
}

// Indicators returns indicators number from to to-1.
func Indicators(from, to int) []*stix.Object {
	objs := make([]*stix.Object, 0, to-from)
	for i := from; i < to; i++ {
		objs = append(objs, Indicator(i))
	}
	return objs
}
