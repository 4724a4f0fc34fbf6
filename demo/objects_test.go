package demo_test

import (
	"bytes"
	"testing"

	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/stix"
)

func TestObjects(t *testing.T) {
	objs, err := demo.Objects()
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) < 300 || len(objs) > 1000 {
		t.Errorf("%d objects, want a few hundred", len(objs))
	}
	types := map[string]int{}
	versions := map[string]bool{}
	for _, p := range objs {
		o := p.Object
		types[o.Type()]++
		if res := stix.Validate(o); !res.Valid() || len(res.Warnings) > 0 {
			t.Errorf("%s: errors %+v, warnings %+v", o.ID(), res.Errors, res.Warnings)
		}
		key := o.ID() + "@" + o.Version()
		if versions[key] {
			t.Errorf("%s is generated twice", key)
		}
		versions[key] = true
		if p.Collection != demo.Shared && p.Collection != demo.Circle {
			t.Errorf("%s goes to unknown collection %q", o.ID(), p.Collection)
		}
	}
	for _, typ := range []string{"identity", "indicator", "malware", "threat-actor", "campaign", "attack-pattern",
		"vulnerability", "relationship", "sighting", "report"} {
		if types[typ] == 0 {
			t.Errorf("no %s objects", typ)
		}
	}
	t.Logf("%d objects: %v", len(objs), types)
}

func TestObjectsDeterministic(t *testing.T) {
	a, err := demo.Objects()
	if err != nil {
		t.Fatal(err)
	}
	b, err := demo.Objects()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d then %d objects", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i].Object.Raw(), b[i].Object.Raw()) {
			t.Fatalf("object %d differs between calls", i)
		}
	}
}
