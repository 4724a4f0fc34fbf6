package stix1_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/stix1"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// now is the Options.Now of the tests.
var now = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// result is what one conversion gave.
type result struct {
	raws []json.RawMessage
	objs []map[string]any
	rep  *convert.Report
	err  error
}

// convertBytes converts data and checks every object sent with
// stix.ParseObject and pattern.Validate, the hub's rule of what may be
// stored.
func convertBytes(tb testing.TB, data []byte, opts convert.Options) *result {
	tb.Helper()
	r := &result{}
	rep, err := stix1.Convert(bytes.NewReader(data), "test.xml", opts, func(raw json.RawMessage) error {
		o, err := stix.ParseObject(raw)
		if err != nil {
			tb.Fatalf("object is not JSON: %v\n%s", err, raw)
		}
		if res := pattern.Validate(o); !res.Valid() {
			tb.Fatalf("object does not pass pattern.Validate: %+v\n%s", res.Errors, raw)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			tb.Fatal(err)
		}
		r.raws = append(r.raws, append(json.RawMessage(nil), raw...))
		r.objs = append(r.objs, m)
		return nil
	})
	if rep == nil {
		tb.Fatal("Convert returned a nil report")
	}
	if rep.Format != "stix1" || rep.Input != "test.xml" {
		tb.Fatalf("report is of %q/%q", rep.Format, rep.Input)
	}
	if rep.Objects != len(r.raws) {
		tb.Fatalf("report counts %d objects, the sink got %d", rep.Objects, len(r.raws))
	}
	r.rep, r.err = rep, err
	return r
}

// readFixture returns a file of testdata.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// mustConvert converts a fixture that must convert without error.
func mustConvert(tb testing.TB, name string, opts convert.Options) *result {
	tb.Helper()
	r := convertBytes(tb, readFixture(tb, name), opts)
	if r.err != nil {
		tb.Fatalf("%s: %v", name, r.err)
	}
	return r
}

func opts() convert.Options { return convert.Options{Now: now} }

// id is the STIX 2.1 id the converter derives from a STIX 1.x id.
func id(typ, src string) string { return convert.ID("stix1", typ, src) }

// get returns the object with this id, failing the test when absent.
func (r *result) get(tb testing.TB, id string) map[string]any {
	tb.Helper()
	for _, o := range r.objs {
		if o["id"] == id {
			return o
		}
	}
	tb.Fatalf("no object %s among %d", id, len(r.objs))
	return nil
}

// has reports whether an object with this id was sent.
func (r *result) has(id string) bool {
	for _, o := range r.objs {
		if o["id"] == id {
			return true
		}
	}
	return false
}

// ofType returns the objects of a type.
func (r *result) ofType(typ string) []map[string]any {
	var out []map[string]any
	for _, o := range r.objs {
		if o["type"] == typ {
			out = append(out, o)
		}
	}
	return out
}

// rel returns the relationship of this type between the two ids, or nil.
func (r *result) rel(src, typ, dst string) map[string]any {
	for _, o := range r.ofType("relationship") {
		if o["source_ref"] == src && o["relationship_type"] == typ && o["target_ref"] == dst {
			return o
		}
	}
	return nil
}

// entry returns the report entry at path whose reason contains want.
func (r *result) entry(path string, outcome convert.Outcome, want string) *convert.Entry {
	for i, e := range r.rep.Entries {
		if e.Path == path && e.Outcome == outcome && strings.Contains(e.Reason, want) {
			return &r.rep.Entries[i]
		}
	}
	return nil
}

// mustEntry fails the test unless the report has the entry.
func (r *result) mustEntry(tb testing.TB, path string, outcome convert.Outcome, want string) {
	tb.Helper()
	if r.entry(path, outcome, want) == nil {
		var b strings.Builder
		r.rep.WriteText(&b)
		tb.Errorf("no %s entry at %s saying %q; report:\n%s", outcome, path, want, b.String())
	}
}

// formatError returns err as a *convert.FormatError, or nil.
func formatError(err error) *convert.FormatError {
	var fe *convert.FormatError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

// strs returns a JSON list of strings.
func strs(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, e := range a {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}
