package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/isachub/isachub/warninglist"
)

// warninglistFlag is the repeatable --warninglist [NAME=]FILE of serve and
// match: warninglists an operator maintains (a top-sites list, the
// organisation's own ranges), loaded at start beside the shipped ones.
// One value may also list several, separated by commas, as the
// environment (ISACHUB_WARNINGLIST) and the configuration file give them.
type warninglistFlag []string

func (f *warninglistFlag) String() string { return strings.Join(*f, ",") }

func (f *warninglistFlag) Set(v string) error {
	for _, spec := range strings.Split(v, ",") {
		if spec = strings.TrimSpace(spec); spec != "" {
			*f = append(*f, spec)
		}
	}
	return nil
}

// addWarninglistFlag defines --warninglist on fs.
func addWarninglistFlag(fs *flag.FlagSet) *warninglistFlag {
	f := &warninglistFlag{}
	fs.Var(f, "warninglist", "also load the warninglist in `FILE`, one value a line (see docs/FEEDS.md), named after the file without its extension, or NAME=FILE; repeat or separate with commas for several")
	return f
}

// listName is what a loaded list may be called.
var listName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// errWarninglistFile is wrapped by the error of a file that cannot be
// opened, as against one that is not a warninglist.
var errWarninglistFile = errors.New("cannot open the file")

// loadWarninglists loads the files of specs ([NAME=]FILE each) and returns
// the set of the shipped lists (warninglist.Default) and them; nil for no
// specs, which the server and match take as Default. A file that is not a
// warninglist fails with Load's *LineError (the list, the line, what is
// wrong) after the file's name; a name given twice, or a shipped list's,
// is an error too.
func loadWarninglists(specs []string) (*warninglist.Set, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	lists := warninglist.Default().Lists()
	taken := map[string]string{}
	for _, l := range lists {
		taken[l.Name] = "a shipped list"
	}
	for _, spec := range specs {
		name, path, ok := strings.Cut(spec, "=")
		if !ok || strings.ContainsAny(name, `/\`) {
			path = spec
			base := filepath.Base(path)
			name = strings.TrimSuffix(base, filepath.Ext(base))
		}
		if !listName.MatchString(name) {
			return nil, fmt.Errorf("--warninglist %s: %q is not a list name (letters, digits, '.', '_', '-'; at most 64): give one as NAME=FILE", spec, name)
		}
		if by, dup := taken[name]; dup {
			return nil, fmt.Errorf("--warninglist %s: the name %q is %s already: give another as NAME=FILE", spec, name, by)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--warninglist %s: %w: %w", spec, errWarninglistFile, err)
		}
		l, err := warninglist.Load(name, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("--warninglist %s: %w", path, err)
		}
		l.Source, l.Description = path, "loaded from "+path
		taken[name] = "the list of " + path
		lists = append(lists, l)
	}
	return warninglist.NewSet(lists...)
}

// warninglistExit is the exit code of a loadWarninglists error: a file
// that cannot be opened is a failure to start, any other a bad input.
func warninglistExit(err error) int {
	if errors.Is(err, errWarninglistFile) {
		return exitFailure
	}
	return exitUsage
}
