package pattern_test

import (
	"testing"

	"github.com/isachub/isachub/pattern"
)

// TestMatch_Like checks LIKE's % and _ (STIX 2.1 section 9.5).
func TestMatch_Like(t *testing.T) {
	tests := []struct {
		like, value string
		want        bool
	}{
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"a%c", "abc", true},
		{"a%c", "ac", true},
		{"a%c", "abcb", false},
		{"a%b%c", "aXbYc", true},
		{"a%b%c", "acb", false},
		{"%", "", true},
		{"%%", "anything", true},
		{"_", "", false},
		{"_", "é", true},
		{"__", "é", false},
		{"%.example.com", "www.example.com", true},
		{"%.example.com", "example.com", false},
		{"a%", "a\nb", true},
		{"%a%a%a%a%b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	}
	for _, tt := range tests {
		t.Run(tt.like+"/"+tt.value, func(t *testing.T) {
			p := &pattern.Pattern{Root: &pattern.ObservationSimple{Expr: &pattern.Comparison{
				Path:  pattern.ObjectPath{ObjectType: "x", Steps: []pattern.PathStep{{Kind: pattern.StepKey, Key: "v"}}},
				Op:    pattern.OpLike,
				Value: pattern.Literal{Kind: pattern.KindString, Str: tt.like},
			}}}
			o := &pattern.Observation{NumberObserved: 1, Objects: map[string]map[string]any{"0": {"type": "x", "v": tt.value}}}
			if got := p.MatchOne(o); got != tt.want {
				t.Fatalf("%q LIKE %q = %v, want %v", tt.value, tt.like, got, tt.want)
			}
		})
	}
}
