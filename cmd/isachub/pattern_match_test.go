package main

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runMatchCLI runs the command line with the given standard input.
func runMatchCLI(tb testing.TB, stdin string, args ...string) (code int, stdout, stderr string) {
	tb.Helper()
	return runCLI(tb, stdin, nil, args...)
}

// writeTemp writes content to a file in a fresh temporary directory.
func writeTemp(tb testing.TB, name, content string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

const observationsJSON = `[
 {"type":"bundle","id":"bundle--1","objects":[
  {"type":"observed-data","spec_version":"2.1","id":"observed-data--a","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
   "first_observed":"2024-01-01T00:00:00Z","last_observed":"2024-01-01T00:00:00Z","number_observed":1,"object_refs":["domain-name--1"]},
  {"type":"domain-name","spec_version":"2.1","id":"domain-name--1","value":"stage1.example"}]},
 {"type":"observed-data","id":"observed-data--b","created":"2024-01-01T00:00:00Z","modified":"2024-01-01T00:00:00Z",
  "first_observed":"2024-01-01T00:01:00Z","last_observed":"2024-01-01T00:01:00Z","number_observed":1,
  "objects":{"0":{"type":"domain-name","value":"stage2.example"}}}
]`

func TestPatternMatch(t *testing.T) {
	file := writeTemp(t, "obs.json", observationsJSON)
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		out     string // exact standard output
		errWant string // in standard error
	}{
		{"OKMatch", []string{"--pattern", "[domain-name:value = 'stage1.example'] FOLLOWEDBY [domain-name:value = 'stage2.example']", file},
			"", exitOK, "match: observed-data--a observed-data--b\n", ""},
		{"OKNoMatch", []string{"--pattern", "[domain-name:value = 'stage2.example'] FOLLOWEDBY [domain-name:value = 'stage1.example']", file},
			"", exitNegative, "no match\n", ""},
		{"OKFlagsAfterFile", []string{file, "--json", "--pattern", "[domain-name:value LIKE 'stage%']"},
			"", exitOK, `{"matched":true,"observed_data_ids":["observed-data--a"]}` + "\n", ""},
		{"OKJSONNoMatch", []string{"--json", "--pattern", "[ipv4-addr:value = '192.0.2.1']", file},
			"", exitNegative, `{"matched":false,"observed_data_ids":[]}` + "\n", ""},
		{"OKStdin", []string{"--pattern", "[domain-name:value = 'stage2.example']", "-"},
			observationsJSON, exitOK, "match: observed-data--b\n", ""},
		{"OKNoObservedData", []string{"--pattern", "[ipv4-addr:value = '192.0.2.1']", "-"},
			`{"type":"bundle","id":"bundle--1","objects":[]}`, exitNegative, "no match\n", "holds no observed-data"},
		{"ErrParse", []string{"--pattern", "[domain-name:value foo 'x']", file},
			"", exitUsage, "", "the pattern is invalid: offset 19"},
		{"ErrParseJSON", []string{"--json", "--pattern", "[domain-name:value foo 'x']", file},
			"", exitUsage, `{"error":"parse","message":"the pattern is invalid: offset 19: `, ""},
		{"ErrEvaluationJSON", []string{"--json", "--pattern", "[domain-name:value = 'x'] WITHIN 5 SECONDS", "-"},
			`[{"type":"observed-data","id":"observed-data--c","first_observed":"2024-01-01T00:00:00Z","last_observed":"2024-01-01","number_observed":1,"objects":{"0":{"type":"domain-name","value":"x"}}}]`,
			exitUsage, `{"error":"evaluation","message":"-: observed-data observed-data--c: last_observed \"2024-01-01\" is not an RFC 3339 timestamp`, ""},
		{"ErrMissingFile", []string{"--pattern", "[a:b = 1]", filepath.Join(t.TempDir(), "nope.json")},
			"", exitUsage, "", "no such file"},
		{"ErrNoPattern", []string{file}, "", exitUsage, "", "want --pattern and exactly one FILE"},
		{"ErrTwoFiles", []string{"--pattern", "[a:b = 1]", file, file}, "", exitUsage, "", "want --pattern and exactly one FILE"},
		{"ErrUnknownFlag", []string{"--nope", "--pattern", "[a:b = 1]", file}, "", exitUsage, "", "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMatchCLI(t, tt.stdin, append([]string{"pattern", "match"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if strings.HasSuffix(tt.out, "\n") && out != tt.out || !strings.HasPrefix(out, tt.out) {
				t.Errorf("stdout %q, want %q", out, tt.out)
			}
			if !strings.Contains(errOut, tt.errWant) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.errWant)
			}
			if strings.Contains(strings.Join(tt.args, " "), "--json") && out != "" {
				var v map[string]any
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Errorf("--json output is not JSON: %v", err)
				}
			}
		})
	}
}

func TestParseFlagsAnywhere(t *testing.T) {
	tests := []struct {
		name string
		args []string
		rest []string
	}{
		{"OKFlagsFirst", []string{"--json", "a", "b"}, []string{"a", "b"}},
		{"OKFlagsBetween", []string{"a", "--json", "b"}, []string{"a", "b"}},
		{"OKDash", []string{"-", "--json"}, []string{"-"}},
		{"OKDoubleDash", []string{"a", "--", "--json"}, []string{"a", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			fs.Bool("json", false, "")
			rest, err := parseFlagsAnywhere(fs, tt.args)
			if err != nil || !slices.Equal(rest, tt.rest) {
				t.Fatalf("rest %q, err %v; want %q", rest, err, tt.rest)
			}
		})
	}
}
