package pattern_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isachub/isachub/internal/oasistest"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

func TestValidateIndicatorPattern(t *testing.T) {
	indicator := func(extra string) string {
		return `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` +
			`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","valid_from":"2026-01-01T00:00:00Z",` + extra + `}`
	}
	for _, tc := range []struct {
		name, obj string
		wantErr   string // "" for valid
	}{
		{"valid", indicator(`"pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.1']"`), ""},
		{"unbalanced", indicator(`"pattern_type":"stix","pattern":"["`), "the STIX pattern is not valid: offset"},
		{"semantic", indicator(`"pattern_type":"stix","pattern":"[ipv4-addr:value = '1.2.3.4'] START t'2026-01-02T00:00:00Z' STOP t'2026-01-01T00:00:00Z'"`), "the STIX pattern is not valid"},
		{"other language", indicator(`"pattern_type":"snort","pattern":"alert tcp any any -> any any (msg:\"x\";)"`), ""},
		{"not an indicator", `{"type":"malware","spec_version":"2.1","id":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"x","is_family":false}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := stix.ParseObject([]byte(tc.obj))
			if err != nil {
				t.Fatal(err)
			}
			res := pattern.Validate(o)
			var got string
			for _, is := range res.Errors {
				if is.Path == "pattern" {
					got = is.Message
				}
			}
			if tc.wantErr == "" {
				if !res.Valid() {
					t.Errorf("errors: %v", res.Errors)
				}
			} else if !strings.HasPrefix(got, tc.wantErr) {
				t.Errorf("pattern error %q, want one starting with %q (all: %v)", got, tc.wantErr, res.Errors)
			}
		})
	}
}

// TestValidateOASISExamples checks that every indicator of the OASIS
// example bundles (../shared/oasis, read in place) passes pattern.Validate:
// their STIX patterns parse.
func TestValidateOASISExamples(t *testing.T) {
	dir := oasistest.Dir(t, "examples")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no OASIS examples under %s (%v)", dir, err)
	}
	indicators := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := stix.ParseDocument(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, o := range doc.Objects() {
			if o.Type() == "indicator" {
				indicators++
			}
			for _, e := range pattern.Validate(o).Errors {
				t.Errorf("%s %s %s: %s", filepath.Base(f), o.ID(), e.Path, e.Message)
			}
		}
	}
	if indicators == 0 {
		t.Fatal("the examples hold no indicator")
	}
}
