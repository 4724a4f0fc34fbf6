package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// runPatternCLI runs the command line with args and no standard input.
func runPatternCLI(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	return runCLI(tb, "", nil, args...)
}

func TestPatternCheck(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		code, out, _ := runPatternCLI(t, "pattern", "check", "[file:hashes.'MD5'='cead3f77f6cda6ec00f57d76c9a6879f']  WITHIN 5.0 SECONDS")
		if code != exitOK || out != "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] WITHIN 5 SECONDS\n" {
			t.Fatalf("code %d, out %q", code, out)
		}
	})
	t.Run("OKJSON", func(t *testing.T) {
		code, out, _ := runPatternCLI(t, "pattern", "check", "--json", "[a:b = 1]")
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitOK {
			t.Fatalf("code %d, out %q: %v", code, out, err)
		}
		if got["valid"] != true || got["pattern"] != "[a:b = 1]" {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		code, out, _ := runPatternCLI(t, "pattern", "check", "[file:name foo 'a']")
		if code != exitNegative || !strings.Contains(out, "offset 11: expected a comparison operator") {
			t.Fatalf("code %d, out %q", code, out)
		}
	})
	t.Run("ErrInvalidJSON", func(t *testing.T) {
		code, out, _ := runPatternCLI(t, "pattern", "check", "--json", "[file:hashes.'SHA-256' = 'f00']")
		var got struct {
			Valid   bool   `json:"valid"`
			Offset  int    `json:"offset"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitNegative {
			t.Fatalf("code %d, out %q: %v", code, out, err)
		}
		if got.Valid || got.Offset != 25 || !strings.Contains(got.Message, "not a valid SHA-256 hash") {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{{"pattern", "check"}, {"pattern", "check", "a", "b"}, {"pattern", "check", "--nope", "[a:b=1]"}} {
			if code, _, errOut := runPatternCLI(t, args...); code != exitUsage || errOut == "" {
				t.Fatalf("%v: code %d, stderr %q", args, code, errOut)
			}
		}
	})
}
