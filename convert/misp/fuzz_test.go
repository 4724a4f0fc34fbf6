package misp_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/misp"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// FuzzConvert holds Convert to its contract on any input: no panic; either
// a *convert.FormatError before any object, or success; every object sent
// parses and passes pattern.Validate with no error. The seeds are the
// fixtures of testdata, hostile ones included.
func FuzzConvert(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/hostile"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, anonymous := range []bool{false, true} {
			n := 0
			rep, err := misp.Convert(bytes.NewReader(data), "fuzz", convert.Options{Now: now, Anonymous: anonymous}, func(raw json.RawMessage) error {
				n++
				o, err := stix.ParseObject(raw)
				if err != nil {
					t.Fatalf("an object that does not parse: %v\n%s", err, raw)
				}
				for _, e := range pattern.Validate(o).Errors {
					t.Fatalf("%s: %s: %s\n%s", o.ID(), e.Path, e.Message, raw)
				}
				if anonymous && (o.CreatedByRef() != "" || o.Type() == "identity" && o.String("identity_class") == "organization") {
					t.Fatalf("an anonymous conversion names a source: %s", raw)
				}
				return nil
			})
			var fe *convert.FormatError
			switch {
			case err != nil && !errors.As(err, &fe):
				t.Fatalf("an error that is no FormatError: %v", err)
			case err != nil && n > 0:
				t.Fatalf("%d objects before the FormatError %v", n, err)
			case rep == nil:
				t.Fatal("no report")
			case err == nil && rep.Objects != n:
				t.Fatalf("report.Objects %d, sent %d", rep.Objects, n)
			}
		}
	})
}
