package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/convert/formats"
)

// runConvert implements "isachub convert --from stix1|misp FILE... [-o OUT]"
// (issue 11's Contract): it converts each file to STIX 2.1 and writes one
// bundle of everything to standard output or OUT, and each file's
// conversion report to standard error. It exits 0 when every input was
// read and converted, even with constructs reported as not converted, and
// 1 when an input cannot be read as the format; then nothing is written
// (the bundle is built in a temporary file first), so no partial bundle
// survives a failure.
func runConvert(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	from := fs.String("from", "", "the input format: "+formatChoices())
	out := fs.String("o", "", "the file to write the bundle to (default: standard output)")
	anonymous := fs.Bool("anonymous", false, "leave out what names the source (information sources become no identity, no created_by_ref)")
	asJSON := fs.Bool("json", false, "write the reports to standard error as JSON, one per line")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: isachub convert --from %s FILE... [-o OUT] [--anonymous] [--json]\n", formats.Names("|"))
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	f, ok := formats.Lookup(*from)
	if !ok {
		fmt.Fprintf(env.Stderr, "isachub convert: --from must be %s, not %q\n", formats.Names(" or "), *from)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.Stderr, "isachub convert: name at least one FILE")
		return exitUsage
	}
	tmp, err := os.CreateTemp(tempDirFor(*out), ".isachub-convert-*")
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub convert: %v\n", err)
		return exitFailure
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	w := bufio.NewWriterSize(tmp, 1<<20)
	fmt.Fprintf(w, `{"type":"bundle","id":"bundle--%s","objects":[`, uuid.NewString())
	n := 0
	sink := func(obj json.RawMessage) error {
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		_, err := w.Write(obj)
		return err
	}
	opts := convert.Options{Anonymous: *anonymous, Now: time.Now()}
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(env.Stderr, "isachub convert: %v\n", err)
			return exitFailure
		}
		report, err := convertFile(name, f.Convert, opts, sink)
		if report != nil {
			writeReport(env, report, *asJSON)
		}
		if err != nil { // a *convert.FormatError, or the file cannot be read
			fmt.Fprintf(env.Stderr, "isachub convert: %s: %v\n", name, err)
			return exitFailure
		}
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "isachub convert: %v\n", err)
		return exitFailure
	}
	if err := finishConvert(env, tmp, *out); err != nil {
		fmt.Fprintf(env.Stderr, "isachub convert: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// convertFile converts one input file, bounded like every input of the
// command line (maxInputSize).
func convertFile(name string, conv formats.Func, opts convert.Options, sink convert.Sink) (*convert.Report, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return conv(bufio.NewReaderSize(io.LimitReader(f, maxInputSize+1), 1<<16), name, opts, sink)
}

func writeReport(env *Env, r *convert.Report, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(r)
		fmt.Fprintf(env.Stderr, "%s\n", b)
		return
	}
	r.WriteText(env.Stderr)
}

// tempDirFor is where the bundle is built: beside OUT, so that the rename
// stays on one file system, or the system's temporary directory.
func tempDirFor(out string) string {
	if out == "" {
		return ""
	}
	return filepath.Dir(out)
}

// finishConvert moves the complete bundle to OUT, or copies it to
// standard output.
func finishConvert(env *Env, tmp *os.File, out string) error {
	if out != "" {
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), out)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(env.Stdout, tmp)
	return err
}

// formatChoices lists the formats for a flag's help: "stix1 (STIX
// 1.1.1/1.2 XML with CybOX 2.1) or misp (MISP JSON events)".
func formatChoices() string {
	var b strings.Builder
	for i, f := range formats.All {
		if i > 0 {
			b.WriteString(" or ")
		}
		fmt.Fprintf(&b, "%s (%s)", f.Name, f.Title)
	}
	return b.String()
}
