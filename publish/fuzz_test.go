package publish_test

import (
	"testing"
	"unicode/utf8"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// FuzzCheck feeds arbitrary objects to the one rule of what may be stored
// (publish.Check: pattern.Validate and the TLP rule): it must never panic,
// every refusal must say why, and nothing it accepts may fail to be UTF-8
// without lone surrogates (issue 13 item 2), since the hub serves objects
// as sent.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(storetest.Indicator(1).Raw()))
	f.Add([]byte(red(2)))
	f.Add([]byte("{\"type\":\"note\",\"spec_version\":\"2.1\",\"id\":\"note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"content\":\"\xff\",\"object_refs\":[\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"]}"))
	f.Add([]byte(`{"type":"note","content":"\ud800"}`))
	coll := &isachub.Collection{ReadAll: true, WriteAll: true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := stix.ParseObject(raw)
		if err != nil {
			return
		}
		valid, failures := publish.Check(coll, []publish.Item{{Path: "$.objects[0]", Object: o}})
		if len(valid)+len(failures) != 1 {
			t.Fatalf("%d valid and %d failures for one object", len(valid), len(failures))
		}
		for _, f := range failures {
			if f.Message == "" || f.ID == "" {
				t.Fatalf("a failure without id or reason: %+v", f)
			}
		}
		for _, v := range valid {
			if !utf8.Valid(v.Raw()) {
				t.Fatalf("accepted an object that is not UTF-8: %q", v.Raw())
			}
			if _, problem, ok := stix.TextIssue(v.Raw()); !ok {
				t.Fatalf("accepted an object whose text %s", problem)
			}
		}
	})
}
