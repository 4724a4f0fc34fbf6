package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/warninglist"
)

// maxEventLine bounds one line of an events file; longer lines are
// reported and skipped.
const maxEventLine = 64 << 20

// runMatch implements "isachub match --indicators FILE [--json] EVENTS...":
// it compiles the STIX indicators of FILE (a bundle, envelope or array)
// into a pattern index and prints one line per indicator that fires on an
// event. EVENTS are JSON-lines files ("-" or none: standard input), each
// line an ECS event, a STIX bundle or an observed-data. A malformed line
// or an indicator whose pattern does not parse is reported on standard
// error and skipped. --warninglists flag or drop checks the hits against
// the warninglists (the shipped ones and the files of --warninglist; with
// --url, the hub's), as POST /{root}/match does: a hit that fires only on
// the event's values on a warninglist is flagged (a fifth column, or the
// JSON keys warninglist and warninglist_reason) or left out. Exit 0 when
// anything fired, 1 when nothing did, 2 on bad usage or an unreadable
// file.
func runMatch(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	indicators := fs.String("indicators", "", "a JSON file of STIX indicators: bundle, TAXII envelope or array (this or --url)")
	hubURL := fs.String("url", "", "match on a hub instead: its API root URL, with the community's indicators that you may see (credentials as for publish)")
	asJSON := fs.Bool("json", false, "print one JSON object per hit")
	tf := addTLSFlags(fs) // with --url
	progress := fs.Duration("progress", 5*time.Second, "how often to report progress on standard error (0: never)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "how many events to match at once (output stays in input order)")
	warnMode := fs.String("warninglists", "", "flag or drop the hits that fire only on an event's values on a warninglist (default: nothing is checked)")
	warnFiles := addWarninglistFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub match --indicators FILE [--json] [--warninglists flag|drop [--warninglist FILE]...] [EVENTS...]")
		fmt.Fprintln(env.Stderr, "       isachub match --url API_ROOT_URL [--json] [--warninglists flag|drop] [EVENTS...]")
		fmt.Fprintln(env.Stderr, "\nReport which STIX indicators fire on events. EVENTS are JSON-lines files (\"-\" or")
		fmt.Fprintln(env.Stderr, "none for standard input); each line is an ECS event, a STIX bundle or an observed-data.")
		fmt.Fprintln(env.Stderr, "Output: FILE:LINE, indicator id, name and pattern, tab-separated (with --warninglists flag,")
		fmt.Fprintln(env.Stderr, "a fifth column \"warninglist: <why>\" on a hit that fired only on warninglisted values).")
		fmt.Fprintln(env.Stderr, "Exit 0 when an indicator fired, 1 when none did, 2 on error.")
		fs.PrintDefaults()
	}
	files, err := parseFlagsAnywhere(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	switch {
	case *warnMode != "" && *warnMode != "flag" && *warnMode != "drop":
		fmt.Fprintf(env.Stderr, "isachub match: --warninglists is flag or drop, not %q\n", *warnMode)
		return exitUsage
	case len(*warnFiles) > 0 && *warnMode == "":
		fmt.Fprintln(env.Stderr, "isachub match: --warninglist needs --warninglists flag or drop")
		return exitUsage
	case len(*warnFiles) > 0 && *hubURL != "":
		fmt.Fprintln(env.Stderr, "isachub match: --warninglist is for --indicators: with --url, the hub's warninglists apply")
		return exitUsage
	case *indicators != "" && *hubURL != "":
		fmt.Fprintln(env.Stderr, "isachub match: give --indicators or --url, not both")
		return exitUsage
	case *hubURL != "":
		return runRemoteMatch(ctx, env, *hubURL, tf, files, *asJSON, *warnMode)
	case *indicators == "":
		fmt.Fprintln(env.Stderr, "isachub match: --indicators is required (or --url, to match on a hub)")
		fs.Usage()
		return exitUsage
	}
	ix, err := loadIndex(env, *indicators)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
		return exitUsage
	}
	if *workers < 1 {
		fmt.Fprintln(env.Stderr, "isachub match: --workers must be at least 1")
		return exitUsage
	}
	m := &matchRun{env: env, ix: ix, json: *asJSON, every: *progress, workers: *workers, out: bufio.NewWriter(env.Stdout), warnMode: *warnMode}
	if m.warnMode != "" {
		if m.warn, err = loadWarninglists(*warnFiles); err != nil {
			fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
			return warninglistExit(err)
		}
		if m.warn == nil {
			m.warn = warninglist.Default()
		}
	}
	code := exitNegative
	stdinUsed := false
	for _, name := range files {
		if name == "-" {
			if stdinUsed {
				fmt.Fprintln(env.Stderr, `isachub match: "-" (standard input) given twice`)
				code = exitUsage
				continue
			}
			stdinUsed = true
		}
		if err := m.file(ctx, name); err != nil {
			fmt.Fprintf(env.Stderr, "isachub match: %v\n", err)
			code = exitUsage
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := m.out.Flush(); err != nil {
		fmt.Fprintf(env.Stderr, "isachub match: writing the results: %v\n", err)
		return exitUsage
	}
	dropped := ""
	if m.warnMode == "drop" {
		dropped = fmt.Sprintf(", %d hits left out by the warninglists", m.dropped)
	}
	fmt.Fprintf(env.Stderr, "isachub match: %d events, %d hits, %d lines skipped, %d indicators%s\n",
		m.events, m.hits, m.skipped, ix.Len(), dropped)
	if code == exitUsage || ctx.Err() != nil {
		return exitUsage
	}
	if m.hits > 0 {
		return exitOK
	}
	return code
}

// loadIndex reads and compiles the indicators file, reporting each
// indicator it leaves out.
func loadIndex(env *Env, name string) (*pattern.Index, error) {
	data, err := readInput(env, name)
	if err != nil {
		return nil, fmt.Errorf("reading the indicators: %w", err)
	}
	objs, err := stix.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ix, errs := pattern.Compile(objs)
	for _, e := range errs {
		fmt.Fprintf(env.Stderr, "isachub match: %s: skipped %v\n", name, e)
	}
	if ix.Len() == 0 {
		fmt.Fprintf(env.Stderr, "isachub match: %s: no usable STIX indicator\n", name)
	}
	return ix, nil
}

// matchRun is the state of one "isachub match" run.
type matchRun struct {
	env     *Env
	ix      *pattern.Index
	json    bool
	every   time.Duration
	workers int
	out     *bufio.Writer
	// warn, with warnMode flag or drop, are the warninglists.
	warn     *warninglist.Set
	warnMode string

	events, hits, skipped, dropped int
	start, lastReport              time.Time
}

// eventLine is one line of an events file.
type eventLine struct {
	no      int
	data    []byte
	tooLong bool
}

// lineBatch is a run of lines matched by one worker; done is closed when
// out, errs and the counts are filled in.
type lineBatch struct {
	lines                          []eventLine
	done                           chan struct{}
	out, errs                      bytes.Buffer
	events, hits, skipped, dropped int
}

// maxBatch is the most lines one worker takes at a time.
const maxBatch = 128

// file matches every line of one events file. A reader goroutine cuts the
// input into batches, m.workers goroutines match them, and this goroutine
// prints their results in input order.
func (m *matchRun) file(ctx context.Context, name string) error {
	var r io.Reader = m.env.Stdin
	display := name
	if name == "-" {
		display = "(stdin)"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if m.start.IsZero() {
		m.start, m.lastReport = time.Now(), time.Now()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *lineBatch)
	ordered := make(chan *lineBatch, 2*m.workers)
	var readErr error
	go func() {
		defer close(work)
		defer close(ordered)
		readErr = m.readBatches(ctx, bufio.NewReaderSize(r, 1<<20), display, work, ordered)
	}()
	var wg sync.WaitGroup
	for range m.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				m.matchBatch(display, b)
				close(b.done)
			}
		}()
	}
	lastLine := 0
	for b := range ordered {
		<-b.done
		m.env.Stderr.Write(b.errs.Bytes())
		m.out.Write(b.out.Bytes())
		if b.hits > 0 {
			m.out.Flush()
		}
		m.events += b.events
		m.hits += b.hits
		m.skipped += b.skipped
		m.dropped += b.dropped
		lastLine = b.lines[len(b.lines)-1].no
		if m.every > 0 && time.Since(m.lastReport) >= m.every {
			m.report(display, lastLine)
		}
	}
	wg.Wait()
	if readErr != nil {
		return readErr
	}
	return nil
}

// readBatches reads lines into batches and hands each to a worker (work)
// and to the printer (ordered). A batch is cut early when no more input is
// buffered, so that a slow stream (tail -f) is matched as it comes.
func (m *matchRun) readBatches(ctx context.Context, br *bufio.Reader, display string, work, ordered chan<- *lineBatch) error {
	b := &lineBatch{done: make(chan struct{})}
	send := func() bool {
		if len(b.lines) == 0 {
			return true
		}
		select {
		case ordered <- b:
		case <-ctx.Done():
			return false
		}
		select {
		case work <- b:
		case <-ctx.Done():
			close(b.done) // the printer waits on it
			return false
		}
		b = &lineBatch{done: make(chan struct{})}
		return true
	}
	for lineNo := 1; ; lineNo++ {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: stopped at line %d: %w", display, lineNo, ctx.Err())
		}
		line, tooLong, err := readEventLine(br)
		if len(line) > 0 || tooLong {
			b.lines = append(b.lines, eventLine{no: lineNo, data: line, tooLong: tooLong})
		}
		if err == io.EOF {
			send()
			return nil
		}
		if err != nil {
			send()
			return fmt.Errorf("%s: line %d: %w", display, lineNo, err)
		}
		if len(b.lines) >= maxBatch || br.Buffered() == 0 && len(b.lines) > 0 {
			if !send() {
				return fmt.Errorf("%s: stopped at line %d: %w", display, lineNo, ctx.Err())
			}
		}
	}
}

// matchBatch matches the lines of one batch, writing hits to b.out and
// problems to b.errs.
func (m *matchRun) matchBatch(file string, b *lineBatch) {
	for _, l := range b.lines {
		if l.tooLong {
			b.skipped++
			fmt.Fprintf(&b.errs, "%s:%d: skipped: the line is longer than %d bytes\n", file, l.no, maxEventLine)
			continue
		}
		data := bytes.TrimSpace(l.data)
		if len(data) == 0 {
			continue
		}
		obs, err := pattern.ParseEvent(data)
		if err != nil {
			b.skipped++
			fmt.Fprintf(&b.errs, "%s:%d: skipped: %v\n", file, l.no, err)
			continue
		}
		b.events++
		var checked *warninglist.Event // once an indicator fires
		for _, h := range m.ix.Match(obs...) {
			var warned []warninglist.Warning
			if m.warn != nil {
				if checked == nil {
					checked = m.warn.Event(obs...)
				}
				if warned = checked.Fired(h.Pattern); warned != nil && m.warnMode == "drop" {
					b.dropped++
					continue
				}
			}
			b.hits++
			m.printHit(&b.out, file, l.no, h, warned)
		}
	}
}

// printHit writes one hit as a tab-separated line or a JSON object, with
// the warned values it fired on.
func (m *matchRun) printHit(w *bytes.Buffer, file string, lineNo int, h pattern.Hit, warned []warninglist.Warning) {
	name, text := "", h.Pattern.String()
	if o, ok := h.Meta.(*stix.Object); ok {
		name, text = o.String("name"), o.String("pattern")
	}
	if m.json {
		ids := []string{}
		for _, id := range h.ObservedDataIDs {
			if id != "" {
				ids = append(ids, id)
			}
		}
		v := map[string]any{
			"file": file, "line": lineNo, "indicator_id": h.ID, "indicator_name": name,
			"pattern": text, "observed_data_ids": ids,
		}
		if warned != nil {
			v["warninglist"], v["warninglist_reason"] = warnedLists(warned)
		}
		b, err := jsonMarshalLine(v)
		if err == nil {
			w.Write(b)
		}
		return
	}
	fmt.Fprintf(w, "%s:%d\t%s\t%s\t%s%s\n", file, lineNo, h.ID, oneLine(name), oneLine(text), warnedColumn(warned))
}

// warnedLists returns the names of the lists of warned values, each once,
// and why: the fields warninglist and warninglist_reason of the matching
// API's hits.
func warnedLists(warned []warninglist.Warning) ([]string, string) {
	var lists, reasons []string
	for _, w := range warned {
		reasons = append(reasons, w.String())
		for _, l := range w.Lists() {
			if !slices.Contains(lists, l) {
				lists = append(lists, l)
			}
		}
	}
	return lists, strings.Join(reasons, "; ")
}

// warnedColumn is the fifth column of a flagged hit, "" for another.
func warnedColumn(warned []warninglist.Warning) string {
	if warned == nil {
		return ""
	}
	_, why := warnedLists(warned)
	return "\twarninglist: " + oneLine(why)
}

// report prints a progress line on standard error.
func (m *matchRun) report(file string, lineNo int) {
	now := time.Now()
	m.lastReport = now
	rate := float64(m.events+m.skipped) / now.Sub(m.start).Seconds()
	fmt.Fprintf(m.env.Stderr, "isachub match: %s: line %d, %d events, %d hits, %d skipped, %.0f lines/s\n",
		file, lineNo, m.events, m.hits, m.skipped, rate)
}

// readEventLine returns the next line without its end; tooLong is true
// (and the rest of the line discarded) when it exceeds maxEventLine.
func readEventLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxEventLine {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

// jsonMarshalLine marshals v followed by a newline.
func jsonMarshalLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// oneLine keeps a field of tab-separated output on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
