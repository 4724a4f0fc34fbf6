package stix

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextIssue holds the rule of text.go: strings must be Unicode in
// UTF-8, with no lone surrogate escapes, and the issue names the string.
func TestTextIssue(t *testing.T) {
	for _, tc := range []struct {
		name, raw, path, want string
	}{
		{"ASCII", `{"name":"plain","list":["a",1,true,null,{"x":"y"}]}`, "", ""},
		{"UTF-8", `{"name":"Zürich – 東京 🛫"}`, "", ""},
		{"EscapedPair", `{"name":"\ud83d\ude00"}`, "", ""},
		{"EscapedBMP", `{"name":"\u00e9\u0041"}`, "", ""},
		{"EscapedBackslashU", `{"name":"\\ud800"}`, "", ""},
		{"InvalidBytes", "{\"name\":\"a\xff\xfe\"}", "name", "not valid UTF-8: byte 0xff"},
		{"Truncated", "{\"name\":\"\xe2\x82\"}", "name", "not valid UTF-8"},
		{"Nested", "{\"external_references\":[{\"source_name\":\"x\"},{\"url\":\"\xc0\"}]}", "external_references[1].url", "not valid UTF-8"},
		{"LoneHigh", `{"description":"a\ud800b"}`, "description", `\ud800, a lone UTF-16 surrogate`},
		{"LoneHighAtEnd", `{"description":"\uD83D"}`, "description", `\uD83D, a lone UTF-16 surrogate`},
		{"HighThenHigh", `{"description":"\ud800\ud800"}`, "description", `lone UTF-16 surrogate`},
		{"LoneLow", `{"x_custom":{"k":"\udc00"}}`, "x_custom.k", `\udc00, a lone UTF-16 surrogate`},
		{"Key", "{\"x_\xff\":1}", "", "a property name that is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, problem, ok := TextIssue([]byte(tc.raw))
			if tc.want == "" {
				if !ok {
					t.Fatalf("TextIssue = %q at %q, want none", problem, path)
				}
				return
			}
			if ok || path != tc.path || !strings.Contains(problem, tc.want) {
				t.Fatalf("TextIssue = (%q, %q, %v), want %q at %q", path, problem, ok, tc.want, tc.path)
			}
		})
	}
}

// TestValidateRefusesInvalidText: an indicator whose name holds 0xFF 0xFE
// parses (encoding/json accepts it) but fails Validate at its path, as
// does a lone surrogate escape.
func TestValidateRefusesInvalidText(t *testing.T) {
	base := `{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",` +
		`"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']",` +
		`"pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","name":"NAME"}`
	for _, name := range []string{"a\xff\xfe", `\ud800`} {
		o, err := ParseObject([]byte(strings.Replace(base, "NAME", name, 1)))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		res := Validate(o)
		if res.Valid() || res.Errors[0].Path != "name" {
			t.Fatalf("%q: Validate = %+v, want an error at name", name, res)
		}
	}
	o, err := ParseObject([]byte(strings.Replace(base, "NAME", "fine", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if res := Validate(o); !res.Valid() || !utf8.Valid(o.Raw()) {
		t.Fatalf("the valid indicator fails: %+v", res)
	}
}
