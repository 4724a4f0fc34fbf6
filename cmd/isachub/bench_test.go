package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBench: isachub bench drives a real hub for its duration and reports
// what it published and read, with percentiles; a wrong collection is one
// clear error before any load.
func TestBench(t *testing.T) {
	// One credential for every publisher and reader: the per-caller limit
	// would answer 429 (which bench counts as failures, as it should).
	base, stop := startServe(t, filepath.Join(t.TempDir(), "bench.db"), "--rate-per-caller", "0")
	defer stop()
	env := map[string]string{"ISACHUB_USER": "bob", "ISACHUB_PASSWORD": "bob-demo-password"}
	code, out, errOut := runCLI(t, "", env, "bench", "--url", base+"/demo-isac/", "--collection", "shared",
		"--publishers", "2", "--envelope", "20", "--readers", "3", "--poll", "50ms", "--duration", "1500ms")
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	for _, re := range []string{
		`(?m)^published: [1-9]\d* objects, \d+ objects/s$`,
		`(?m)^POST +[1-9]\d* ok +0 failed .* median \S+ +p90 \S+ +p99 \S+ +max \S+$`,
		`(?m)^GET +[1-9]\d* ok +0 failed `,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output lacks %s:\n%s", re, out)
		}
	}
	code, _, errOut = runCLI(t, "", env, "bench", "--url", base+"/demo-isac/", "--collection", "nope", "--duration", "1s")
	if code == exitOK || !strings.Contains(errOut, "404") && !strings.Contains(strings.ToLower(errOut), "not found") {
		t.Errorf("a missing collection: exit %d, %q", code, errOut)
	}
}
