package storetest_test

import (
	"testing"

	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/storetest"
)

// TestGeneratedObjectsAreValid checks that the suite's generated objects
// are valid STIX 2.1, so that backends are tested with real content.
func TestGeneratedObjectsAreValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		obj  *stix.Object
	}{
		{"Indicator", storetest.Indicator(0)},
		{"IndicatorLarge", storetest.Indicator(1 << 20)},
		{"IndicatorVersion", storetest.IndicatorVersion(3, storetest.Epoch.Add(36e11))},
		{"Malware", storetest.Malware(7)},
		{"Domain", storetest.Domain("evil.example.com")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := stix.Validate(tc.obj)
			if !res.Valid() || len(res.Warnings) > 0 {
				t.Fatalf("%s is invalid: %+v %+v", tc.obj.Raw(), res.Errors, res.Warnings)
			}
		})
	}
}
