package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// serve's configuration comes from three places, the first that sets a
// setting winning: the command line (--page-size 50), the environment
// (ISACHUB_PAGE_SIZE=50: the flag's name in capitals, dashes as
// underscores) and a configuration file (--config FILE or
// $ISACHUB_CONFIG: lines of "page-size = 50", # for comments). Secrets
// that no flag takes stay in the environment only (ISACHUB_METRICS_TOKEN).

// configSource says where a setting's effective value came from.
type configSource string

const (
	fromDefault configSource = "default"
	fromFlag    configSource = "flag"
	fromEnv     configSource = "environment"
	fromFile    configSource = "file"
)

// envName is the environment variable of a flag.
func envName(flagName string) string {
	return "ISACHUB_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// applyConfig sets every flag of fs that the command line did not set from
// the environment, else from the configuration file at path ("" for
// none), and returns where each flag's value came from. A file line that
// names no flag, or a value a flag refuses, is an error that names the
// line.
func applyConfig(fs *flag.FlagSet, env *Env, path string, skip ...string) (map[string]configSource, error) {
	sources := map[string]configSource{}
	fs.VisitAll(func(f *flag.Flag) { sources[f.Name] = fromDefault })
	fs.Visit(func(f *flag.Flag) { sources[f.Name] = fromFlag })
	file := map[string]string{}
	fileLine := map[string]int{}
	if path != "" {
		var err error
		if file, fileLine, err = readConfigFile(fs, path); err != nil {
			return nil, err
		}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || sources[f.Name] == fromFlag || slices.Contains(skip, f.Name) {
			return
		}
		if v := env.Getenv(envName(f.Name)); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, e)
				return
			}
			sources[f.Name] = fromEnv
		} else if v, ok := file[f.Name]; ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s line %d: %s = %q: %v", path, fileLine[f.Name], f.Name, v, e)
				return
			}
			sources[f.Name] = fromFile
		}
	})
	return sources, err
}

// readConfigFile reads "name = value" lines; blank lines and lines
// starting with # are skipped; a value may be quoted with double quotes.
func readConfigFile(fs *flag.FlagSet, path string) (map[string]string, map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("the configuration file: %w", err)
	}
	defer f.Close()
	values, lines := map[string]string{}, map[string]int{}
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return nil, nil, fmt.Errorf("%s line %d: want name = value, got %q", path, n, clipLine(line))
		}
		if fs.Lookup(name) == nil || name == "config" || name == "print-config" {
			return nil, nil, fmt.Errorf("%s line %d: %q is not a setting of serve (see isachub serve --help)", path, n, clipLine(name))
		}
		if _, dup := values[name]; dup {
			return nil, nil, fmt.Errorf("%s line %d: %s is set twice (first on line %d)", path, n, name, lines[name])
		}
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		values[name], lines[name] = value, n
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return values, lines, nil
}

func clipLine(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// printConfig writes each setting's effective value and its source, one
// per line, with secrets masked: the password of a database URL, and
// whether ISACHUB_METRICS_TOKEN is set, never its value.
func printConfig(w io.Writer, fs *flag.FlagSet, sources map[string]configSource, env *Env) {
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "config" || f.Name == "print-config" {
			return
		}
		v := f.Value.String()
		if f.Name == "db" {
			v = redactDSN(resolveDSN(env, v))
		}
		fmt.Fprintf(w, "%-20s = %-40s # %s\n", f.Name, quoteConfig(v), sources[f.Name])
	})
	token := "(unset: /metrics answers anyone who reaches it)"
	if env.Getenv("ISACHUB_METRICS_TOKEN") != "" {
		token = "(set; masked)"
	}
	fmt.Fprintf(w, "%-20s   %s\n", "ISACHUB_METRICS_TOKEN", token)
}

func quoteConfig(v string) string {
	if v == "" || strings.ContainsAny(v, " #\"") {
		return fmt.Sprintf("%q", v)
	}
	return v
}
