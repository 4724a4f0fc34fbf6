package stix_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/isachub/isachub/internal/oasistest"
	"github.com/isachub/isachub/stix"
)

// exampleFiles returns every JSON file of the OASIS examples folder
// (interop holds schemas, not content), read in place; without the folder
// the test skips, or fails when CI is set (internal/oasistest).
func exampleFiles(t *testing.T) []string {
	t.Helper()
	examples := oasistest.Dir(t, "examples")
	var files []string
	{
		err := filepath.WalkDir(examples, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && filepath.Ext(path) == ".json" {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading the OASIS examples: %v", err)
		}
	}
	if len(files) == 0 {
		t.Fatal("no OASIS example files found under " + examples)
	}
	return files
}

// TestOASISExamplesValid checks that every example bundle and interop file
// published with the OASIS schemas validates with zero errors.
func TestOASISExamplesValid(t *testing.T) {
	for _, path := range exampleFiles(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			doc := mustParseFile(t, path)
			for _, it := range doc.Items {
				if it.Err != nil {
					t.Errorf("%s: %v", it.Path, it.Err)
					continue
				}
				res := stix.Validate(it.Object)
				for _, e := range res.Errors {
					t.Errorf("%s (%s) %s: %s", it.Path, it.Object.ID(), e.Path, e.Message)
				}
				for _, w := range res.Warnings {
					t.Logf("warning: %s (%s) %s: %s", it.Path, it.Object.ID(), w.Path, w.Message)
				}
			}
		})
	}
}

// TestRoundTrip checks that every example object, parsed and serialised
// again, is the same JSON value.
func TestRoundTrip(t *testing.T) {
	for _, path := range exampleFiles(t) {
		doc := mustParseFile(t, path)
		for _, it := range doc.Items {
			if it.Object == nil {
				continue
			}
			out, err := json.Marshal(it.Object)
			if err != nil {
				t.Fatalf("%s %s: marshal: %v", path, it.Path, err)
			}
			want := rawElement(t, path, it.Path, doc)
			var got, exp any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s %s: re-read: %v", path, it.Path, err)
			}
			if err := json.Unmarshal(want, &exp); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(exp, got); diff != "" {
				t.Errorf("%s %s: round trip changed the object (-want +got):\n%s", path, it.Path, diff)
			}
		}
	}
}

// rawElement reads the element at path ("$", "$[i]" or "$.objects[i]")
// from the file with plain encoding/json, independently of stix.Parse.
func rawElement(t *testing.T, file, path string, doc *stix.Document) json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if path == "$" {
		return data
	}
	var idx int
	var elems []json.RawMessage
	if doc.Kind == stix.KindArray {
		if err := json.Unmarshal(data, &elems); err != nil {
			t.Fatal(err)
		}
		if _, err := fmtSscanf(path, "$[%d]", &idx); err != nil {
			t.Fatal(err)
		}
	} else {
		var env struct{ Objects []json.RawMessage }
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatal(err)
		}
		elems = env.Objects
		if _, err := fmtSscanf(path, "$.objects[%d]", &idx); err != nil {
			t.Fatal(err)
		}
	}
	return elems[idx]
}

func mustParseFile(t *testing.T, path string) *stix.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := stix.ParseDocument(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}
