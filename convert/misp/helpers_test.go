package misp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/misp"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// now is opts.Now in every test: the fixtures carry their own times, so it
// shows only where the input has none.
var now = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// result is one conversion.
type result struct {
	objs []*stix.Object
	raw  []json.RawMessage
	rep  *convert.Report
	err  error
}

// run converts data, keeping every object the sink receives.
func run(tb testing.TB, data []byte, opts convert.Options) result {
	tb.Helper()
	var r result
	r.rep, r.err = misp.Convert(bytes.NewReader(data), "test.json", opts, func(o json.RawMessage) error {
		r.raw = append(r.raw, o)
		so, err := stix.ParseObject(o)
		if err != nil {
			tb.Fatalf("the sink received an object that does not parse: %v\n%s", err, o)
		}
		r.objs = append(r.objs, so)
		return nil
	})
	return r
}

// readFixture returns testdata/name.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// MustConvert converts testdata/name, which must convert, and checks what
// every conversion must hold (checkObjects).
func MustConvert(tb testing.TB, name string, opts convert.Options) result {
	tb.Helper()
	if opts.Now.IsZero() {
		opts.Now = now
	}
	r := run(tb, readFixture(tb, name), opts)
	if r.err != nil {
		tb.Fatalf("%s: %v", name, r.err)
	}
	checkObjects(tb, r, true)
	return r
}

// checkObjects checks that every object passes pattern.Validate (with no
// warning either, when strict), that ids are unique, that every reference
// points at an object of the output or a TLP marking definition, and that
// the report counts the objects.
func checkObjects(tb testing.TB, r result, strict bool) {
	tb.Helper()
	ids := map[string]bool{}
	for _, o := range r.objs {
		res := pattern.Validate(o)
		for _, e := range res.Errors {
			tb.Errorf("%s: error at %s: %s\n%s", o.ID(), e.Path, e.Message, o.Raw())
		}
		if strict {
			for _, w := range res.Warnings {
				tb.Errorf("%s: warning at %s: %s\n%s", o.ID(), w.Path, w.Message, o.Raw())
			}
		}
		if ids[o.ID()] {
			tb.Errorf("%s is emitted twice", o.ID())
		}
		ids[o.ID()] = true
	}
	for _, o := range r.objs {
		for _, ref := range refsOf(tb, o) {
			if _, tlp := stix.TLPOfMarking(ref); !ids[ref] && !tlp {
				tb.Errorf("%s refers to %s, which is not in the output", o.ID(), ref)
			}
		}
	}
	if r.rep != nil && r.rep.Objects != len(r.objs) {
		tb.Errorf("report.Objects = %d, the sink received %d", r.rep.Objects, len(r.objs))
	}
}

// refsOf returns every value of a property named *_ref or *_refs, at any
// depth of the object.
func refsOf(tb testing.TB, o *stix.Object) []string {
	tb.Helper()
	m, err := o.Value()
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	var walk func(k string, v any)
	walk = func(k string, v any) {
		switch v := v.(type) {
		case string:
			if strings.HasSuffix(k, "_ref") || strings.HasSuffix(k, "_refs") {
				out = append(out, v)
			}
		case []any:
			for _, e := range v {
				walk(k, e)
			}
		case map[string]any:
			for kk, e := range v {
				walk(kk, e)
			}
		}
	}
	for k, v := range m {
		walk(k, v)
	}
	return out
}

// ofType returns the objects of type typ, in output order.
func (r result) ofType(typ string) []*stix.Object {
	var out []*stix.Object
	for _, o := range r.objs {
		if o.Type() == typ {
			out = append(out, o)
		}
	}
	return out
}

// byID returns the object id, failing the test when there is none.
func (r result) byID(tb testing.TB, id string) *stix.Object {
	tb.Helper()
	for _, o := range r.objs {
		if o.ID() == id {
			return o
		}
	}
	tb.Fatalf("no object %s", id)
	return nil
}

// named returns the object of type typ whose name is name.
func (r result) named(tb testing.TB, typ, name string) *stix.Object {
	tb.Helper()
	for _, o := range r.ofType(typ) {
		if o.String("name") == name {
			return o
		}
	}
	tb.Fatalf("no %s named %q", typ, name)
	return nil
}

// madeFrom returns the object of type typ whose id derives from the MISP
// uuid u.
func (r result) madeFrom(tb testing.TB, typ, u string) *stix.Object {
	tb.Helper()
	return r.byID(tb, convert.ID("misp", typ, u))
}

// entry returns the report entry at path.
func (r result) entry(path string) (convert.Entry, bool) {
	for _, e := range r.rep.Entries {
		if e.Path == path {
			return e, true
		}
	}
	return convert.Entry{}, false
}

// wantEntry fails unless the report has an entry at path with outcome o
// whose reason holds reason.
func (r result) wantEntry(tb testing.TB, path string, o convert.Outcome, reason string) {
	tb.Helper()
	e, ok := r.entry(path)
	switch {
	case !ok:
		tb.Errorf("no report entry at %s; entries:\n%s", path, r.entries())
	case e.Outcome != o || !strings.Contains(e.Reason, reason):
		tb.Errorf("entry at %s is %s %q, want %s with %q", path, e.Outcome, e.Reason, o, reason)
	}
}

func (r result) entries() string {
	var b strings.Builder
	for _, e := range r.rep.Entries {
		b.WriteString("  " + string(e.Outcome) + " " + e.Construct + " at " + e.Path + ": " + e.Reason + "\n")
	}
	return b.String()
}

// prop decodes property name of o.
func prop[T any](tb testing.TB, o *stix.Object, name string) T {
	tb.Helper()
	var v T
	raw, ok := o.Property(name)
	if !ok {
		tb.Fatalf("%s has no %s:\n%s", o.ID(), name, o.Raw())
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("%s.%s: %v", o.ID(), name, err)
	}
	return v
}

// marking returns the one TLP level of o.
func marking(o *stix.Object) stix.TLP { return stix.EffectiveTLP(o) }

// hasRef reports whether list holds id.
func hasRef(list []string, id string) bool { return slices.Contains(list, id) }

// fixtures are the testdata files that convert.
var fixtures = []string{"event.json", "attributes.json", "objects.json", "galaxies.json", "tlp.json", "sightings.json",
	"list.json", "restsearch.json", "hostile/attribute-string.json", "hostile/wrong-types.json", "hostile/bad-uuid.json",
	"hostile/nul-utf8.json"}
