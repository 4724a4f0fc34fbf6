package pattern_test

import (
	"strings"
	"testing"

	"github.com/isachub/isachub/pattern"
)

// TestWalk checks that Walk visits every node in source order and that
// Comparisons lists the leaves.
func TestWalk(t *testing.T) {
	p := mustParse(t, "([a:x = 1 OR a:y IN (2, 3)] AND [b:z LIKE 'q%']) WITHIN 5 SECONDS FOLLOWEDBY [NOT EXISTS c:w]")
	var kinds []string
	pattern.Walk(p, func(n pattern.Node) bool {
		switch n := n.(type) {
		case *pattern.Pattern:
			kinds = append(kinds, "pattern")
		case *pattern.ObservationCompound:
			kinds = append(kinds, n.Op.String())
		case *pattern.ObservationSimple:
			kinds = append(kinds, "[]")
		case *pattern.ComparisonCompound:
			kinds = append(kinds, "c"+n.Op.String())
		case *pattern.Comparison:
			kinds = append(kinds, n.Path.String())
		}
		return true
	})
	want := "pattern FOLLOWEDBY AND [] cOR a:x a:y [] b:z [] c:w"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("Walk order = %q, want %q", got, want)
	}
	var paths []string
	for _, c := range p.Comparisons() {
		paths = append(paths, c.Path.String()+" "+c.Op.String())
	}
	if got := strings.Join(paths, ", "); got != "a:x =, a:y IN, b:z LIKE, c:w EXISTS" {
		t.Fatalf("Comparisons = %q", got)
	}
	root := p.Root.(*pattern.ObservationCompound)
	if q := root.Operands[0].Quals(); len(q) != 1 || q[0].Kind != pattern.QualWithin || q[0].Seconds != 5 {
		t.Fatalf("qualifiers of the group = %+v", q)
	}
	// Returning false stops the descent.
	n := 0
	pattern.Walk(p, func(pattern.Node) bool { n++; return false })
	if n != 1 {
		t.Fatalf("Walk visited %d nodes after false, want 1", n)
	}
}

// TestMustParse checks that MustParse panics with the error.
func TestMustParse(t *testing.T) {
	if got := pattern.MustParse("[a:b = 1]").String(); got != "[a:b = 1]" {
		t.Fatalf("MustParse = %q", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "offset 0") {
			t.Fatalf("recover() = %v", r)
		}
	}()
	pattern.MustParse("a")
}
