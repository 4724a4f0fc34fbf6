package main

import (
	"errors"
	"flag"
)

// parseFlags parses args with fs, flags before or after the positional
// arguments ("stix validate FILE --json"; "--" ends the flags), so that
// fs.Args() then holds the positional ones. -h and --help print the usage
// and stop with exit code 0; a bad flag stops with exitUsage. ok is false
// when the command must stop with code.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	pos, err := parseFlagsAnywhere(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK, false
	} else if err != nil {
		return exitUsage, false
	}
	// Only positional arguments are left: after "--", Parse keeps them all.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return exitUsage, false
	}
	return exitOK, true
}
