package warninglist_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub/warninglist"
)

// MustLoad loads text as a list named name and fails the test on error.
func MustLoad(tb testing.TB, name, text string) *warninglist.List {
	tb.Helper()
	l, err := warninglist.Load(name, strings.NewReader(text))
	if err != nil {
		tb.Fatalf("Load(%q): %v", name, err)
	}
	return l
}

// MustSet builds a set and fails the test on error.
func MustSet(tb testing.TB, lists ...*warninglist.List) *warninglist.Set {
	tb.Helper()
	s, err := warninglist.NewSet(lists...)
	if err != nil {
		tb.Fatalf("NewSet: %v", err)
	}
	return s
}

// listNames returns the distinct list names of hits, in order.
func listNames(hits []warninglist.Hit) []string {
	var names []string
	for _, h := range hits {
		if !slices.Contains(names, h.List) {
			names = append(names, h.List)
		}
	}
	return names
}

// onList reports whether hits include list.
func onList(hits []warninglist.Hit, list string) bool {
	return slices.Contains(listNames(hits), list)
}
