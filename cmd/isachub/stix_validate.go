package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
)

// validateLine is one line of `stix validate --json` output.
type validateLine struct {
	File     string       `json:"file"`
	Path     string       `json:"path"`
	ID       string       `json:"id,omitempty"`
	Type     string       `json:"type,omitempty"`
	Valid    bool         `json:"valid"`
	Errors   []stix.Issue `json:"errors"`
	Warnings []stix.Issue `json:"warnings"`
}

// runStixValidate implements `isachub stix validate [--json] FILE...`.
func runStixValidate(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("stix validate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "print one JSON line per object")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub stix validate [--json] FILE... ('-' reads stdin)")
		fmt.Fprintln(env.Stderr, "Validates STIX 2.1 JSON: a single object, an array, a bundle or a TAXII envelope.")
		fmt.Fprintln(env.Stderr, "Exit status: 0 all valid, 1 some invalid, 2 unreadable input or bad usage.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	out := &validateOutput{w: env.Stdout, json: *asJSON}
	code := exitOK
	for _, name := range fs.Args() {
		code = max(code, out.file(name, env))
	}
	if !*asJSON {
		fmt.Fprintf(env.Stdout, "%d objects: %d valid, %d invalid, %d warnings\n", out.objects, out.objects-out.invalid, out.invalid, out.warnings)
	}
	return code
}

// validateOutput writes results as text or JSON lines and keeps counts.
type validateOutput struct {
	w                          io.Writer
	json                       bool
	objects, invalid, warnings int
}

// file validates one file and returns its exit code.
func (o *validateOutput) file(name string, env *Env) int {
	data, err := readInput(env, name)
	if err != nil {
		o.fileError(name, "$", err.Error())
		return exitUsage
	}
	doc, err := stix.ParseDocument(data)
	if err != nil {
		var pe *stix.PathError
		path, msg := "$", err.Error()
		if errors.As(err, &pe) {
			path, msg = pe.Path, pe.Msg
		}
		o.fileError(name, path, msg)
		return exitNegative
	}
	code := exitOK
	if doc.Bundle != nil {
		code = max(code, o.object(name, "$", doc.Bundle))
	}
	for _, it := range doc.Items {
		if it.Err != nil {
			var pe *stix.PathError
			msg := it.Err.Error()
			if errors.As(it.Err, &pe) {
				msg = pe.Msg
			}
			o.objects++
			o.invalid++
			o.write(validateLine{File: name, Path: it.Path, Errors: []stix.Issue{{Path: it.Path, Message: msg}}})
			code = exitNegative
			continue
		}
		code = max(code, o.object(name, it.Path, it.Object))
	}
	return code
}

func (o *validateOutput) object(file, path string, obj *stix.Object) int {
	res := pattern.Validate(obj)
	line := validateLine{File: file, Path: path, ID: obj.ID(), Type: obj.Type(), Valid: res.Valid(),
		Errors: absolute(path, res.Errors), Warnings: absolute(path, res.Warnings)}
	if obj.Type() == "bundle" {
		if len(res.Errors)+len(res.Warnings) == 0 {
			return exitOK // a bundle is a wrapper: reported only when it has issues
		}
	} else {
		o.objects++
	}
	o.warnings += len(res.Warnings)
	o.write(line)
	if !res.Valid() {
		o.invalid++
		return exitNegative
	}
	return exitOK
}

func (o *validateOutput) fileError(file, path, msg string) {
	o.write(validateLine{File: file, Path: path, Errors: []stix.Issue{{Path: path, Message: msg}}})
}

func (o *validateOutput) write(l validateLine) {
	if l.Errors == nil {
		l.Errors = []stix.Issue{}
	}
	if l.Warnings == nil {
		l.Warnings = []stix.Issue{}
	}
	if o.json {
		b, _ := json.Marshal(l)
		fmt.Fprintf(o.w, "%s\n", b)
		return
	}
	what := l.Path
	if l.ID != "" {
		what += " (" + l.ID + ")"
	}
	for _, e := range l.Errors {
		fmt.Fprintf(o.w, "%s: %s: error: %s: %s\n", l.File, what, e.Path, e.Message)
	}
	for _, w := range l.Warnings {
		fmt.Fprintf(o.w, "%s: %s: warning: %s: %s\n", l.File, what, w.Path, w.Message)
	}
}

// absolute turns paths relative to an object into JSONPaths in the file.
func absolute(base string, issues []stix.Issue) []stix.Issue {
	out := make([]stix.Issue, len(issues))
	for i, is := range issues {
		p := base
		switch {
		case is.Path == "":
		case is.Path[0] == '[':
			p += is.Path
		default:
			p += "." + is.Path
		}
		out[i] = stix.Issue{Path: p, Message: is.Message}
	}
	return out
}
