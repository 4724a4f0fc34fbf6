package main

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs the command line in-process, as main would, with stdin as
// standard input and environ as the only environment variables, and
// returns the exit code, stdout and stderr.
func runCLI(tb testing.TB, stdin string, environ map[string]string, args ...string) (int, string, string) {
	tb.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return environ[k] }}
	code := Run(tb.Context(), env, args)
	return code, out.String(), errb.String()
}

func TestRunHelpAndUnknown(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "help")
	if code != exitOK || !strings.Contains(out, "stix validate") || !strings.Contains(out, "serve") {
		t.Errorf("help: exit %d, out %q", code, out)
	}
	code, _, errOut := runCLI(t, "", nil, "frobnicate")
	if code != exitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown: exit %d, stderr %q", code, errOut)
	}
}
