package stix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/internal/oasistest"
)

// TestTypesMatchOASISSchemas cross-checks our hand-written type tables
// against the OASIS JSON schemas: every property a schema names is one we
// know for that type, and every property a schema requires, we require.
// The validator does not read the schemas; this test keeps the two honest.
func TestTypesMatchOASISSchemas(t *testing.T) {
	dir := oasistest.Dir(t, "schemas")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no OASIS schemas under %s: %v", dir, err)
	}
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		def, ok := registry[name]
		if !ok {
			continue // bundle, core, hashes and other building blocks
		}
		checked++
		schemaProps, schemaReq := readSchema(t, f)
		all := merge(def.common, def.props)
		for _, p := range schemaProps {
			if _, ok := all[p]; !ok {
				t.Errorf("%s: the schema defines %q, our table does not", name, p)
			}
		}
		for _, p := range schemaReq {
			if pr, ok := all[p]; ok && !pr.required && !requiredByRule(name, p) {
				t.Errorf("%s: the schema requires %q, our table does not", name, p)
			}
		}
	}
	if want := len(typeClasses); checked != want {
		t.Errorf("cross-checked %d types against schemas, want all %d", checked, want)
	}
}

// requiredByRule lists properties the schema marks required that our
// tables enforce through a rule instead, with the reason.
func requiredByRule(typ, prop string) bool {
	switch typ + "." + prop {
	case "granular-marking.marking_ref": // exactly one of marking_ref or lang
		return true
	}
	return false
}

func readSchema(t *testing.T, path string) (props, required []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	var walk func(m map[string]any)
	walk = func(m map[string]any) {
		if ps, ok := m["properties"].(map[string]any); ok {
			for k := range ps {
				props = append(props, k)
			}
		}
		for _, r := range stringsOf(m["required"]) {
			required = append(required, r)
		}
		for _, key := range []string{"allOf"} {
			subs, _ := m[key].([]any)
			for _, sub := range subs {
				if sm, ok := sub.(map[string]any); ok {
					if ref, _ := sm["$ref"].(string); ref != "" {
						sub := filepath.Join(filepath.Dir(path), ref)
						p, r := readSchema(t, sub)
						props = append(props, p...)
						required = append(required, r...)
						continue
					}
					walk(sm)
				}
			}
		}
	}
	walk(s)
	slices.Sort(props)
	return slices.Compact(props), required
}
