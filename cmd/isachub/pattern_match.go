package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// runPatternMatch implements "isachub pattern match [--json] --pattern
// 'PATTERN' FILE": it matches one STIX pattern (STIX 2.1 section 9) against
// the observations in FILE, a JSON array of STIX 2.1 bundles and/or
// STIX 2.0-style observed-data ("-" reads standard input). Exit 0 match,
// 1 no match, 2 for bad usage, a pattern that does not parse, unreadable
// observations or an evaluation error.
func runPatternMatch(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("pattern match", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, `print {"matched":bool,"observed_data_ids":[...]} or {"error":"parse"|"evaluation","message":...}`)
	text := fs.String("pattern", "", "the STIX pattern to match (required)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub pattern match [--json] --pattern 'PATTERN' FILE")
		fmt.Fprintln(env.Stderr, "\nMatch a STIX pattern against the observations in FILE: a JSON array of STIX 2.1")
		fmt.Fprintln(env.Stderr, "bundles and/or STIX 2.0-style observed-data (\"-\" for standard input).")
		fmt.Fprintln(env.Stderr, "Exit 0 match, 1 no match, 2 error.")
		fs.PrintDefaults()
	}
	rest, err := parseFlagsAnywhere(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *text == "" || len(rest) != 1 {
		fmt.Fprintln(env.Stderr, "isachub pattern match: want --pattern and exactly one FILE")
		fs.Usage()
		return exitUsage
	}
	fail := func(kind string, err error) int {
		if *asJSON {
			printJSONLine(env, map[string]any{"error": kind, "message": err.Error()})
		} else {
			fmt.Fprintf(env.Stderr, "isachub pattern match: %v\n", err)
		}
		return exitUsage
	}
	p, err := pattern.Parse(*text)
	if err != nil {
		return fail("parse", fmt.Errorf("the pattern is invalid: %w", err))
	}
	data, err := readInput(env, rest[0])
	if err != nil {
		return fail("evaluation", err)
	}
	obs, err := pattern.LoadObservations(data)
	if err != nil {
		return fail("evaluation", fmt.Errorf("%s: %w", rest[0], err))
	}
	if len(obs) == 0 {
		fmt.Fprintf(env.Stderr, "isachub pattern match: %s holds no observed-data\n", rest[0])
	}
	if err := ctx.Err(); err != nil {
		return fail("evaluation", err)
	}
	res, err := p.Match(obs)
	if err != nil {
		return fail("evaluation", err)
	}
	if *asJSON {
		ids := res.ObservedDataIDs
		if ids == nil {
			ids = []string{}
		}
		printJSONLine(env, map[string]any{"matched": res.Matched, "observed_data_ids": ids})
	} else if res.Matched {
		fmt.Fprintf(env.Stdout, "match: %s\n", strings.Join(res.ObservedDataIDs, " "))
	} else {
		fmt.Fprintln(env.Stdout, "no match")
	}
	if !res.Matched {
		return exitNegative
	}
	return exitOK
}

// parseFlagsAnywhere parses flags that may come before or after the
// positional arguments ("match EVENTS --json"), and returns the
// positional ones. "--" ends the flags.
func parseFlagsAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		pos := fs.Args()
		if len(pos) == 0 {
			return rest, nil
		}
		if n := len(args) - len(pos); n > 0 && args[n-1] == "--" {
			return append(rest, pos...), nil
		}
		rest = append(rest, pos[0])
		args = pos[1:]
	}
}

// printJSONLine prints v as one line of JSON on standard output.
func printJSONLine(env *Env, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub: %v\n", err)
		return
	}
	fmt.Fprintln(env.Stdout, string(b))
}
