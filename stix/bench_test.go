package stix_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/isachub/isachub/stix"
)

// mixedBundle builds a bundle of n objects cycling through one realistic
// object of every STIX 2.1 type, each with its own id.
func mixedBundle(b *testing.B, n int) []byte {
	b.Helper()
	data, err := os.ReadFile("testdata/valid-every-type.json")
	if err != nil {
		b.Fatal(err)
	}
	var bundle struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		b.Fatal(err)
	}
	objs := make([]map[string]any, 0, n)
	for i := 0; len(objs) < n; i++ {
		src := bundle.Objects[i%len(bundle.Objects)]
		o := make(map[string]any, len(src))
		for k, v := range src {
			o[k] = v
		}
		if stix.TypeClass(o["type"].(string)) != stix.ClassSCO && o["type"] != "marking-definition" {
			o["id"] = fmt.Sprintf("%s--%08x-0000-4000-8000-000000000000", o["type"], i)
		}
		objs = append(objs, o)
	}
	out, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objs})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkValidateBundle parses and validates a bundle of 10,000 mixed
// objects; the objects/s metric is what the package doc quotes.
func BenchmarkValidateBundle(b *testing.B) {
	const n = 10000
	data := mixedBundle(b, n)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		objs, err := stix.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range objs {
			if res := stix.Validate(o); !res.Valid() {
				b.Fatalf("%s: %+v", o.ID(), res.Errors)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "objects/s")
}
