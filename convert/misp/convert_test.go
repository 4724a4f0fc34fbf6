package misp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/misp"
)

// TestShapes converts the same two events as a JSON list and as a
// restSearch response: the same objects, the entries at their own paths.
func TestShapes(t *testing.T) {
	list := MustConvert(t, "list.json", convert.Options{})
	rest := MustConvert(t, "restsearch.json", convert.Options{})
	if len(list.raw) != len(rest.raw) {
		t.Fatalf("%d objects from the list, %d from restSearch", len(list.raw), len(rest.raw))
	}
	for i := range list.raw {
		if !bytes.Equal(list.raw[i], rest.raw[i]) {
			t.Errorf("object %d differs:\n%s\n%s", i, list.raw[i], rest.raw[i])
		}
	}
	if got := len(list.ofType("report")); got != 2 {
		t.Errorf("%d reports, want one per event", got)
	}
	if got := len(list.ofType("domain-name")); got != 1 {
		t.Errorf("the domain both events name must be one SCO, got %d", got)
	}
	if got := len(list.ofType("identity")); got != 1 {
		t.Errorf("the creator of both events must be one identity, got %d", got)
	}
	for _, rep := range list.ofType("report") {
		dn := list.ofType("domain-name")[0].ID()
		if !hasRef(prop[[]string](t, rep, "object_refs"), dn) {
			t.Errorf("%s lacks the shared %s", rep.ID(), dn)
		}
	}
	if list.rep.Counts["event"][convert.Converted] != 2 {
		t.Errorf("counts %v", list.rep.Counts)
	}
	bad := []byte(`{"response": [{"Event": {"uuid": "f2000000-0000-4000-8000-000000000009", "info": "ok"}}, {"NotAnEvent": 1}, {"Event": 3}]}`)
	r := run(t, bad, convert.Options{Now: now})
	if r.err != nil {
		t.Fatal(r.err)
	}
	r.wantEntry(t, "$.response[1]", convert.NotConverted, "not a MISP event")
	r.wantEntry(t, "$.response[2].Event", convert.NotConverted, "not an object")
	checkObjects(t, r, true)
	empty := run(t, []byte(`{"response": []}`), convert.Options{Now: now})
	if empty.err != nil || len(empty.objs) != 0 {
		t.Errorf("an empty restSearch answer: %v, %d objects", empty.err, len(empty.objs))
	}
}

// TestDeterminism converts every fixture twice: the same bytes. The
// fixtures carry their times, so opts.Now does not change them either.
func TestDeterminism(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			a := MustConvert(t, name, convert.Options{})
			b := MustConvert(t, name, convert.Options{Now: now.Add(time.Hour)})
			if len(a.raw) != len(b.raw) {
				t.Fatalf("%d objects, then %d", len(a.raw), len(b.raw))
			}
			for i := range a.raw {
				if !bytes.Equal(a.raw[i], b.raw[i]) && !strings.Contains(name, "wrong-types") && !strings.Contains(name, "attribute-string") {
					t.Errorf("object %d differs:\n%s\n%s", i, a.raw[i], b.raw[i])
				}
			}
			ea, _ := json.Marshal(a.rep)
			eb, _ := json.Marshal(b.rep)
			if !bytes.Equal(ea, eb) {
				t.Errorf("the reports differ:\n%s\n%s", ea, eb)
			}
		})
	}
	t.Run("Now", func(t *testing.T) {
		// an event without any time takes opts.Now, the same each time
		data := []byte(`{"Event": {"uuid": "f3000000-0000-4000-8000-000000000001", "info": "timeless", "Attribute": [{"uuid": "f3000000-0000-4000-8000-000000000002", "type": "domain", "value": "x.example", "to_ids": true}]}}`)
		a, b := run(t, data, convert.Options{Now: now}), run(t, data, convert.Options{Now: now})
		ja, _ := json.Marshal(a.raw)
		jb, _ := json.Marshal(b.raw)
		if !bytes.Equal(ja, jb) {
			t.Error("two conversions with the same Now differ")
		}
		checkObjects(t, a, true)
		if got := a.ofType("indicator")[0].Modified(); got != "2024-05-01T12:00:00.000Z" {
			t.Errorf("modified %s, want opts.Now", got)
		}
	})
}

// TestAnonymous converts every fixture with Anonymous: no identity of an
// organisation, no created_by_ref, no where_sighted_refs and no
// organisation's name anywhere. (A sector cluster is an identity of class
// "class": content of the event, naming nobody.)
func TestAnonymous(t *testing.T) {
	names := []string{"CIRCL", "ACME CERT", "Member A", "Member B", "Org \ufffd lone"}
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			r := MustConvert(t, name, convert.Options{Anonymous: true})
			for i, o := range r.objs {
				if o.Type() == "identity" && o.String("identity_class") != "class" {
					t.Errorf("an identity: %s", o.Raw())
				}
				if o.CreatedByRef() != "" || o.Has("where_sighted_refs") {
					t.Errorf("%s names a source: %s", o.ID(), o.Raw())
				}
				for _, n := range names {
					if bytes.Contains(r.raw[i], []byte(n)) {
						t.Errorf("%s holds the name %q", o.ID(), n)
					}
				}
			}
		})
	}
}

// TestFormatErrors checks inputs that are no MISP JSON at all: a
// *convert.FormatError with the path where reading stopped.
func TestFormatErrors(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(`{"Event": {"Attribute": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}}`)
	}
	tests := []struct {
		name string
		data []byte
		path string
		msg  string
	}{
		{"ErrNotJSON", readFixture(t, "hostile/not-json.txt"), "$", "not JSON"},
		{"ErrTruncated", readFixture(t, "hostile/truncated.json"), "$.Event.Attribute[1]", "truncated"},
		{"ErrEmpty", readFixture(t, "hostile/empty.json"), "$", "empty"},
		{"ErrNoEvent", readFixture(t, "hostile/no-event.json"), "$", "no MISP event"},
		{"ErrEventString", readFixture(t, "hostile/event-string.json"), "$.Event", "not an object"},
		{"ErrListWithoutEvents", readFixture(t, "hostile/list-no-events.json"), "$[0]", "no MISP event"},
		{"ErrTrailingData", readFixture(t, "hostile/trailing.json"), "$", "after the top-level value"},
		{"ErrNumber", readFixture(t, "hostile/number.json"), "$", "a number"},
		{"ErrSyntax", readFixture(t, "hostile/syntax.json"), "$.Event.Attribute[0]", "invalid character"},
		{"ErrDeep", readFixture(t, "hostile/deep.json"), "$.Event.Attribute" + strings.Repeat("[0]", 62), "deeper than 64"},
		{"ErrDeep65", deep(63), "$.Event.Attribute" + strings.Repeat("[0]", 62), "deeper than 64"},
		{"ErrResponseNotList", []byte(`{"response": {"Event": {}}}`), "$.response", "not a list"},
		{"ErrBadKey", []byte(`{"Event": {"we\"ird key": [1, 2, }}`), `$.Event["we\"ird key"][2]`, "invalid character"},
		{"ErrNUL", []byte("{\"Event\": {\"info\": \"a\x00b\"}}"), "$.Event.info", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.data, convert.Options{Now: now})
			var fe *convert.FormatError
			if !errors.As(r.err, &fe) {
				t.Fatalf("error %v (%T), want a *convert.FormatError", r.err, r.err)
			}
			if fe.Format != "misp" || fe.Path != tt.path || !strings.Contains(fe.Error(), tt.msg) {
				t.Errorf("FormatError at %q: %v; want at %q with %q", fe.Path, fe, tt.path, tt.msg)
			}
			if len(r.objs) != 0 {
				t.Errorf("%d objects sent before the error", len(r.objs))
			}
		})
	}
	t.Run("OK64", func(t *testing.T) {
		// 64 levels in all is the limit, not an error
		r := run(t, deep(62), convert.Options{Now: now})
		if r.err != nil {
			t.Fatal(r.err)
		}
		checkObjects(t, r, true)
	})
}

// TestHostile converts inputs that are MISP JSON with wrong types, bad
// uuids, NUL characters and invalid UTF-8, and huge values: every object
// still passes pattern.Validate and every problem is a report entry.
func TestHostile(t *testing.T) {
	t.Run("WrongTypes", func(t *testing.T) {
		r := MustConvert(t, "hostile/attribute-string.json", convert.Options{})
		for path, reason := range map[string]string{
			"$.Event.Attribute":           "Attribute is a string, not a list",
			"$.Event.Tag":                 "Tag is a string, not a list",
			"$.Event.Galaxy":              "Galaxy is a number, not a list",
			"$.Event.Object.Attribute":    "Attribute is a string, not a list",
			"$.Event.Sighting":            "Sighting is a string, not a list",
			"$.Event.EventReport[0]":      "not an object",
			"$.Event.ShadowAttribute":     "proposals",
			"$.Event.RelatedEvent":        "correlations",
			"$.Event.FutureThing":         "not a MISP construct this converter knows",
			"$.Event.Orgc":                "no creator organisation",
			"$.Event.uuid":                "",
			"$.Event.Object":              "no attribute to convert",
			"$.Event.Object.ShadowObject": "",
		} {
			if reason == "" {
				if _, ok := r.entry(path); ok {
					t.Errorf("unexpected entry at %s", path)
				}
				continue
			}
			e, ok := r.entry(path)
			if !ok || !strings.Contains(e.Reason, reason) {
				t.Errorf("entry at %s: %+v, want %q\n%s", path, e, reason, r.entries())
			}
		}
		if len(r.ofType("report")) != 1 {
			t.Error("the event still becomes a report")
		}
	})
	t.Run("WrongAttributeFields", func(t *testing.T) {
		r := MustConvert(t, "hostile/wrong-types.json", convert.Options{})
		r.wantEntry(t, "$.Event.Attribute[0]", convert.NotConverted, "is a string, not an attribute object")
		r.wantEntry(t, "$.Event.Attribute[1]", convert.NotConverted, "is a number")
		r.wantEntry(t, "$.Event.Attribute[2]", convert.NotConverted, "is null")
		r.wantEntry(t, "$.Event.Attribute[3].value", convert.NotConverted, "is an object, not a string")
		r.wantEntry(t, "$.Event.Attribute[4]", convert.NotConverted, `type "7" is not converted`)
		r.wantEntry(t, "$.Event.Attribute[5].Tag[2]", convert.NotConverted, "without a name")
		r.wantEntry(t, "$.Event.Attribute[5].Galaxy[0].GalaxyCluster[0]", convert.NotConverted, "not a cluster object")
		r.wantEntry(t, "$.Event.Attribute[5].Sighting[1]", convert.NotConverted, "not a sighting object")
		r.wantEntry(t, "$.Event.Attribute[5].Sighting[0]", convert.Approximate, "no date_sighting")
		r.wantEntry(t, "$.Event.Attribute[7]", convert.NotConverted, "deleted in MISP")
		r.wantEntry(t, "$.Event.Attribute[8].value", convert.NotConverted, "empty")
		r.wantEntry(t, "$.Event.Attribute[9].value", convert.NotConverted, "not a port number")
		ind := r.madeFrom(t, "indicator", "9a000000-0000-4000-8000-000000000103")
		if marking(ind).String() != "green" || ind.Modified() != "2024-01-02T03:04:05.000Z" {
			t.Errorf("a bare tlp:green string tag and an absurd timestamp (the event's is used): %s", ind.Raw())
		}
		if r.madeFrom(t, "indicator", "9a000000-0000-4000-8000-000000000104").String("pattern") != "[autonomous-system:number = 174]" {
			t.Error("a number value and to_ids 1")
		}
		if r.named(t, "malware", "Emotet") == nil {
			t.Error("a cluster whose meta is no object")
		}
	})
	t.Run("BadUUIDs", func(t *testing.T) {
		r := MustConvert(t, "hostile/bad-uuid.json", convert.Options{})
		r.wantEntry(t, "$.Event.uuid", convert.Approximate, "not an RFC 4122 UUID")
		r.wantEntry(t, "$.Event.Attribute[1].uuid", convert.Approximate, "also used at $.Event.Attribute[0]")
		r.wantEntry(t, "$.Event.Attribute[2].uuid", convert.Approximate, "no uuid")
		r.wantEntry(t, "$.Event.Attribute[3].uuid", convert.Approximate, "not an RFC 4122 UUID")
		r.wantEntry(t, "$.Event.Attribute[4].uuid", convert.Approximate, "not an RFC 4122 UUID")
		if n := len(r.ofType("indicator")); n != 5 {
			t.Errorf("%d indicators, want 5 with 5 distinct ids", n)
		}
		if r.ofType("report")[0].ID() != convert.ID("misp", "report", "not-a-uuid") {
			t.Error("the report id derives from the uuid as written")
		}
	})
	t.Run("NULAndInvalidUTF8", func(t *testing.T) {
		r := MustConvert(t, "hostile/nul-utf8.json", convert.Options{})
		rep := r.ofType("report")[0]
		if rep.String("name") != "NUL \x00 and bad \ufffd\ufffd bytes" {
			t.Errorf("report name %q", rep.String("name"))
		}
		if !hasRef(prop[[]string](t, rep, "labels"), "label\x00nul") {
			t.Errorf("labels %q", prop[[]string](t, rep, "labels"))
		}
		if r.named(t, "identity", "Org \ufffd lone") == nil {
			t.Error("a lone surrogate is U+FFFD")
		}
		f := r.ofType("file")[0]
		if f.String("name") != "\U0001F600\ufffd.exe\n\t\x1b[31m" {
			t.Errorf("file name %q", f.String("name"))
		}
	})
	t.Run("HugeValues", func(t *testing.T) {
		big := strings.Repeat("a'\\", 400000) + ".example"
		ev := map[string]any{"Event": map[string]any{"uuid": "f4000000-0000-4000-8000-000000000001", "info": big, "timestamp": "1704164645",
			"Attribute": []any{
				map[string]any{"uuid": "f4000000-0000-4000-8000-000000000002", "type": "domain", "value": big, "to_ids": true, "comment": big},
				map[string]any{"uuid": "f4000000-0000-4000-8000-000000000003", "type": "domain", "value": big, "to_ids": false},
			}}}
		data, _ := json.Marshal(ev)
		r := run(t, data, convert.Options{Now: now})
		if r.err != nil {
			t.Fatal(r.err)
		}
		checkObjects(t, r, true)
		ind := r.ofType("indicator")[0]
		if len(ind.String("pattern")) < len(big) || len(ind.String("name")) > 256 {
			t.Errorf("pattern %d bytes, name %d bytes", len(ind.String("pattern")), len(ind.String("name")))
		}
	})
}

// TestSinkError checks that an error of the sink stops the conversion and
// is returned.
func TestSinkError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := misp.Convert(bytes.NewReader(readFixture(t, "event.json")), "x", convert.Options{Now: now}, func(json.RawMessage) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("err %v after %d objects", err, n)
	}
}

// TestReadError checks that an error of the reader is returned as it is,
// not as a FormatError.
func TestReadError(t *testing.T) {
	_, err := misp.Convert(errReader{}, "x", convert.Options{}, func(json.RawMessage) error { return nil })
	var fe *convert.FormatError
	if err == nil || errors.As(err, &fe) {
		t.Errorf("err %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }
