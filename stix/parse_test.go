package stix_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/isachub/isachub/stix"
)

const minimalIndicator = `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z","x_acme_score":{"a":[1,2.50,1e3]}}`

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		kind  stix.Kind
		paths []string
	}{
		{"Object", minimalIndicator, stix.KindObject, []string{"$"}},
		{"Array", "[" + minimalIndicator + "," + minimalIndicator + "]", stix.KindArray, []string{"$[0]", "$[1]"}},
		{"Bundle", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[` + minimalIndicator + `]}`, stix.KindBundle, []string{"$.objects[0]"}},
		{"EmptyBundle", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982"}`, stix.KindBundle, nil},
		{"Envelope", `{"more":false,"objects":[` + minimalIndicator + `]}`, stix.KindEnvelope, []string{"$.objects[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := stix.ParseDocument([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Kind != tt.kind {
				t.Errorf("kind %v, want %v", doc.Kind, tt.kind)
			}
			if len(doc.Items) != len(tt.paths) {
				t.Fatalf("%d items, want %d", len(doc.Items), len(tt.paths))
			}
			for i, it := range doc.Items {
				if it.Path != tt.paths[i] || it.Object == nil {
					t.Errorf("item %d: path %q object %v, want path %q", i, it.Path, it.Object, tt.paths[i])
				}
			}
		})
	}
}

func TestObjectAccessors(t *testing.T) {
	o, err := stix.ParseObject([]byte(`{"type":"malware","spec_version":"2.1","id":"malware--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-07T20:03:48.000Z","created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","revoked":true,"object_marking_refs":["` + stix.TLP2Amber + `"],"name":"x","is_family":false}`))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{o.Type(), o.ID(), o.SpecVersion(), o.Created(), o.Modified(), o.Version(), o.CreatedByRef(), o.String("name")}
	want := []string{"malware", "malware--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f", "2.1", "2016-04-06T20:03:48.000Z", "2016-04-07T20:03:48.000Z", "2016-04-07T20:03:48.000Z", "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "x"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("accessor %d = %q, want %q", i, got[i], want[i])
		}
	}
	if !o.Revoked() || len(o.ObjectMarkingRefs()) != 1 || !o.Has("is_family") || o.Has("nope") {
		t.Errorf("revoked %v markings %v", o.Revoked(), o.ObjectMarkingRefs())
	}
	if keys := o.Keys(); keys[0] != "type" || keys[len(keys)-1] != "is_family" {
		t.Errorf("keys not in received order: %v", keys)
	}
}

// TestRawPreserved checks that an object is written back byte for byte:
// timestamps keep ".000Z", numbers keep their form, custom properties stay.
func TestRawPreserved(t *testing.T) {
	o, err := stix.ParseObject([]byte(minimalIndicator))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != minimalIndicator {
		t.Errorf("got  %s\nwant %s", out, minimalIndicator)
	}
	var back stix.Object
	if err := json.Unmarshal(out, &back); err != nil || back.ID() != o.ID() {
		t.Errorf("UnmarshalJSON: %v %q", err, back.ID())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input, wantPath, wantMsg string
	}{
		{"ErrEmpty", "  ", "$", "empty"},
		{"ErrSyntax", "{\n  \"type\": \"indicator\",\n  \"id\": }", "$", "line 3, column"},
		{"ErrTruncated", minimalIndicator[:40], "$", "invalid JSON"},
		{"ErrScalar", `"indicator"`, "$", "JSON object or array"},
		{"ErrElementNotObject", `[` + minimalIndicator + `, 42]`, "$[1]", "expected a JSON object, found a number"},
		{"ErrBundleObjectsNotArray", `{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":{}}`, "$.objects", "expected an array"},
		{"ErrDeepNesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "$", "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stix.Parse([]byte(tt.input))
			var pe *stix.PathError
			if err == nil {
				t.Fatal("no error")
			}
			if !asPathError(err, &pe) || pe.Path != tt.wantPath || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("got %v, want path %q and %q", err, tt.wantPath, tt.wantMsg)
			}
		})
	}
}

// TestParseHugeString checks that a 100 MB string property is parsed and
// validated without trouble: memory stays proportional to the input.
func TestParseHugeString(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB; skipped with -short")
	}
	big := strings.Replace(minimalIndicator, `"x_acme_score"`, `"description":"`+strings.Repeat("A", 100<<20)+`","x_acme_score"`, 1)
	o, err := stix.ParseObject([]byte(big))
	if err != nil {
		t.Fatal(err)
	}
	if res := stix.Validate(o); !res.Valid() {
		t.Errorf("errors: %+v", res.Errors)
	}
}
