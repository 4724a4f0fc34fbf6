package main

import (
	"strings"
	"testing"
)

// TestREADMEExamples runs the offline examples of README.md on the files
// in docs/examples, so that the README keeps telling the truth.
func TestREADMEExamples(t *testing.T) {
	t.Run("Match", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", nil, "match", "--indicators", "../../docs/examples/indicators.json", "../../docs/examples/events.jsonl")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		want := []string{
			"events.jsonl:1\tindicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f\tRunway phishing domain",
			"events.jsonl:2\tindicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\tRunwayRAT command-and-control network",
			"events.jsonl:4\tindicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2\tRunwayRAT dropper",
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(want) {
			t.Fatalf("%d hits, want %d:\n%s", len(lines), len(want), out)
		}
		for i, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("hit %d = %q, want it to contain %q", i, lines[i], w)
			}
		}
		if !strings.Contains(errOut, "events.jsonl:5: skipped") {
			t.Errorf("the malformed line 5 is not reported: %s", errOut)
		}
	})
	t.Run("Validate", func(t *testing.T) {
		for _, f := range []string{"../../docs/examples/indicators.json", "testdata/aviation-bundle.json"} {
			if code, out, _ := runCLI(t, "", nil, "stix", "validate", f); code != exitOK || !strings.Contains(out, "0 invalid, 0 warnings") {
				t.Errorf("%s: exit %d, %s", f, code, out)
			}
		}
	})
	t.Run("PatternCheck", func(t *testing.T) {
		code, out, _ := runCLI(t, "", nil, "pattern", "check", "[ipv4-addr:value ISSUBSET '203.0.113.0/24'] WITHIN 600 SECONDS")
		if code != exitOK || strings.TrimSpace(out) != "[ipv4-addr:value ISSUBSET '203.0.113.0/24'] WITHIN 600 SECONDS" {
			t.Errorf("exit %d, %q", code, out)
		}
	})
}
