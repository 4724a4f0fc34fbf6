package stix_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/isachub/isachub/stix"
)

// FuzzParseValidate feeds arbitrary bytes to the parser and the validator:
// neither may panic, every object that parses must write back exactly the
// bytes it was read from, and its decoded value must be what encoding/json
// decodes.
func FuzzParseValidate(f *testing.F) {
	f.Add([]byte(minimalIndicator))
	f.Add([]byte(`{"objects":[{"type":"file","id":"file--b2c0b8e6-2d1f-4d3b-8a4b-6a3b2c1d0e9f","hashes":{"MD5":"x"}}]}`))
	f.Add([]byte(`[{"type":"x-a","granular_markings":[{"selectors":["a.[0].b"],"lang":"en"}],"a":[{"b":1}]}]`))
	// One seed per object type, each small, so that the fuzzer's
	// minimisation stays quick.
	if data, err := os.ReadFile("testdata/valid-every-type.json"); err == nil {
		if objs, err := stix.Parse(data); err == nil {
			for _, o := range objs {
				f.Add([]byte(o.Raw()))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := stix.ParseDocument(data)
		if err != nil {
			return
		}
		for _, it := range doc.Items {
			if it.Object == nil {
				continue
			}
			res := stix.Validate(it.Object)
			// Nothing valid may fail to be UTF-8 (issue 13 item 2): a
			// valid object is stored and served as sent.
			if res.Valid() && !utf8.Valid(it.Object.Raw()) {
				t.Fatalf("a valid object is not UTF-8: %q", it.Object.Raw())
			}
			_ = stix.EffectiveTLP(it.Object)
			_, _, _ = stix.DeterministicID(it.Object)
			// Value's fast decoder must agree with encoding/json.
			got, _ := it.Object.Value()
			var want map[string]any
			dec := json.NewDecoder(bytes.NewReader(it.Object.Raw()))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("encoding/json rejects an object we parsed: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Value() = %v, encoding/json gives %v", got, want)
			}
			out, err := it.Object.MarshalJSON()
			if err != nil || !bytes.Equal(out, it.Object.Raw()) {
				t.Fatalf("MarshalJSON changed the object")
			}
		}
	})
}
