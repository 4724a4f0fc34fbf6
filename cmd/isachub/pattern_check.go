package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/isachub/isachub/pattern"
)

// runPatternCheck implements "isachub pattern check [--json] 'PATTERN'":
// it parses the pattern with the semantic checks of STIX 2.1 section 9 and
// prints its canonical form (exit 0), or the error with its byte offset
// (exit 1). Bad usage exits 2.
func runPatternCheck(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("pattern check", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, `print {"valid":true,"pattern":...} or {"valid":false,"offset":N,"message":...}`)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub pattern check [--json] 'PATTERN'")
		fmt.Fprintln(env.Stderr, "\nCheck a STIX 2.1 pattern and print its canonical form. Exit 0 valid, 1 invalid, 2 usage.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(env.Stderr, "isachub pattern check: want exactly one pattern argument, got %d (quote the pattern)\n", fs.NArg())
		fs.Usage()
		return exitUsage
	}
	p, err := pattern.Parse(fs.Arg(0))
	if err != nil {
		var perr *pattern.Error
		if !errors.As(err, &perr) {
			perr = &pattern.Error{Msg: err.Error()}
		}
		if *asJSON {
			printPatternCheckJSON(env, map[string]any{"valid": false, "offset": perr.Offset, "message": perr.Error()})
		} else {
			fmt.Fprintf(env.Stdout, "invalid pattern: %v\n", perr)
		}
		return exitNegative
	}
	if *asJSON {
		printPatternCheckJSON(env, map[string]any{"valid": true, "pattern": p.String()})
	} else {
		fmt.Fprintln(env.Stdout, p.String())
	}
	return exitOK
}

// printPatternCheckJSON prints v as one line of JSON on standard output.
func printPatternCheckJSON(env *Env, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub: %v\n", err)
		return
	}
	fmt.Fprintln(env.Stdout, string(b))
}
