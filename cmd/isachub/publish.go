package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/isachub/isachub/convert/formats"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/taxii"
)

// envelopeOverhead is the size of an envelope around its objects:
// {"objects":[ ... ]} and a newline.
const envelopeOverhead = len(`{"objects":[`) + len("]}\n")

// maxRefusalLines bounds the refused objects the summary lists one by one;
// --json prints them all.
const maxRefusalLines = 50

// runPublish implements "isachub publish": it adds STIX content to a
// collection of the hub (TAXII 2.1 section 5.4). Each object's bytes go
// as they are in the file. Content larger than the API root's
// max_content_length (section 4.2) goes in several envelopes, each one
// submission with its own status resource (and, when anonymous, its own
// withdrawal handle); progress goes to standard error. Standard output
// gets a summary, or with --json every status resource, one per line.
// Withdrawal handles go to standard error only. Exit 0 when every object
// was accepted (stored or pending), 1 when the hub refused the submission
// or some of its objects.
func runPublish(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "publish", "--url API_ROOT_URL --collection ID_OR_ALIAS [--from "+formats.Names("|")+"] [--anonymous] [--json] [FILE|-]")
	coll := c.fs.String("collection", "", "the collection's id or alias")
	anonymous := c.fs.Bool("anonymous", false, "publish this submission anonymously, under the community's identity (see isachub preview)")
	asJSON := c.fs.Bool("json", false, "print each status resource the hub answered, one JSON object per line, instead of a summary")
	from := c.fs.String("from", "", "send a document of another format, converted on the hub: "+formatChoices())
	hub, code := c.parse(args, 1)
	if code >= 0 {
		return code
	}
	if *coll == "" {
		return c.missing("--collection")
	}
	var extra map[string]string
	if *anonymous {
		extra = map[string]string{server.HeaderAnonymous: "true"}
	}
	if *from != "" {
		f, ok := formats.Lookup(*from)
		if !ok {
			c.failf("--from must be %s, not %q", formats.Names(" or "), *from)
			return exitUsage
		}
		return publishImport(ctx, c, hub, f, *coll, extra, *anonymous, *asJSON)
	}
	envelopes, sum, code := c.pack(ctx, hub)
	if code >= 0 {
		return code
	}
	progress := newProgress(env.Stderr, c.name, len(envelopes) > 1)
	var handles []string
	sent := 0
	step := fmt.Sprintf("adding objects to collection %q", *coll)
	for n, e := range envelopes {
		resp, err := hub.post(ctx, step, hub.Endpoint("collections", *coll, "objects"), e.body, http.StatusAccepted, extra)
		if err != nil {
			progress.done()
			if n > 0 { // what was accepted before stays: say what it was
				sum.print(env.Stdout, *asJSON)
				printHandles(env.Stderr, handles, envelopes, *anonymous)
				fmt.Fprintf(env.Stderr, "isachub publish: envelope %d of %d failed; envelopes 1 to %d (%d objects) were submitted, as printed.\n", n+1, len(envelopes), n, sent)
			}
			return c.fail(err)
		}
		var ans taxii.AnonymousStatus
		if err := json.Unmarshal(resp.Body, &ans); err != nil {
			progress.done()
			if n > 0 {
				sum.print(env.Stdout, *asJSON)
				printHandles(env.Stderr, handles, envelopes, *anonymous)
			}
			return c.fail(fmt.Errorf("the hub's status resource for envelope %d is not the expected JSON: %v", n+1, err))
		}
		handle := resp.Header.Get(server.HeaderWithdrawalHandle)
		if handle == "" {
			handle = ans.WithdrawalHandle
		}
		if handle = taxii.Printable(handle, 200); handle != "" {
			handles = append(handles, handle)
		}
		sum.statuses = append(sum.statuses, ans.Status)
		sent += e.count
		progress.update(n+1, len(envelopes), sent, sum.objects)
	}
	progress.done()
	if err := sum.print(env.Stdout, *asJSON); err != nil {
		return c.fail(err)
	}
	printHandles(env.Stderr, handles, envelopes, *anonymous)
	if refused := sum.refused(); refused > 0 {
		fmt.Fprintf(env.Stderr, "isachub publish: %d of %d objects were refused.\n", refused, sum.objects)
		return exitNegative
	}
	return exitOK
}

// publishImport sends one document of format f, as it is, to the
// collection's import endpoint (issue 11), which converts it and publishes
// the objects as one submission. The conversion report goes to standard
// error, the summary (or with --json the status resource) to standard
// output. The exit code is publish's.
func publishImport(ctx context.Context, c *clientCmd, hub *hubClient, f formats.Format, coll string, extra map[string]string, anonymous, asJSON bool) int {
	env := c.env
	name := "-"
	if c.fs.NArg() > 0 {
		name = c.fs.Arg(0)
	}
	data, err := readInput(env, name)
	if err != nil {
		return c.failf("%v", err)
	}
	headers := map[string]string{"Content-Type": f.MediaType, "Accept": taxii.MediaTypeTAXII21}
	for k, v := range extra {
		headers[k] = v
	}
	endpoint := strings.TrimSuffix(hub.Endpoint("collections", coll, "import"), "/") + "?format=" + url.QueryEscape(f.Name)
	fmt.Fprintf(env.Stderr, "isachub publish: sending %s (%d bytes) to be converted from %s on the hub...\n", inputName(name), len(data), f.Name)
	step := fmt.Sprintf("importing %s into collection %q", f.Name, coll)
	resp, err := hub.post(ctx, step, endpoint, data, http.StatusAccepted, headers)
	if err != nil {
		return c.fail(err)
	}
	var ans taxii.ImportStatus
	if err := json.Unmarshal(resp.Body, &ans); err != nil {
		return c.fail(fmt.Errorf("the hub's answer to the import is not the expected JSON: %v", err))
	}
	if ans.Report != nil {
		ans.Report.Input = inputName(name)
		writeReport(env, ans.Report, asJSON)
	}
	sum := publishSummary{objects: ans.TotalCount, envelopes: 1, statuses: []taxii.Status{ans.Status}}
	if err := sum.print(env.Stdout, asJSON); err != nil {
		return c.fail(err)
	}
	handle := resp.Header.Get(server.HeaderWithdrawalHandle)
	if handle == "" {
		handle = ans.WithdrawalHandle
	}
	var handles []string
	if handle = taxii.Printable(handle, 200); handle != "" {
		handles = append(handles, handle)
	}
	printHandles(env.Stderr, handles, nil, anonymous)
	if ans.FailureCount > 0 {
		fmt.Fprintf(env.Stderr, "isachub publish: %d of %d converted objects were refused.\n", ans.FailureCount, ans.TotalCount)
		return exitNegative
	}
	return exitOK
}

// printHandles writes the withdrawal handles, one per envelope, with the
// warning to keep them.
func printHandles(w io.Writer, handles []string, envelopes []envelope, anonymous bool) {
	switch {
	case len(handles) == 0 && anonymous:
		fmt.Fprintln(w, "The hub answered no withdrawal handle.")
		return
	case len(handles) == 0:
		return
	case len(handles) == 1:
		fmt.Fprintf(w, "Withdrawal handle: %s\n", handles[0])
	default:
		first := 1
		for i, h := range handles {
			if i < len(envelopes) {
				fmt.Fprintf(w, "Withdrawal handle (envelope %d, objects %d to %d): %s\n", i+1, first, first+envelopes[i].count-1, h)
				first += envelopes[i].count
			} else {
				fmt.Fprintf(w, "Withdrawal handle: %s\n", h)
			}
		}
		fmt.Fprintln(w, "Each envelope is a submission of its own: a handle withdraws that envelope's objects only.")
		fmt.Fprintln(w, "Keep them secret: whoever holds one can withdraw its envelope, and they are shown only this once (isachub withdraw --handle, or $ISACHUB_WITHDRAWAL_HANDLE).")
		return
	}
	fmt.Fprintln(w, "Keep it secret: whoever holds it can withdraw this submission, and it is shown only this once (isachub withdraw --handle, or $ISACHUB_WITHDRAWAL_HANDLE).")
}

// envelope is one TAXII envelope (section 3.7) of a publish, ready to send.
type envelope struct {
	body  []byte
	count int // objects in it
}

// envelopeOf wraps objects, each exactly as given, in one envelope.
func envelopeOf(objs [][]byte) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"objects":[`)
	for i, o := range objs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(o)
	}
	buf.WriteString("]}\n")
	return buf.Bytes()
}

// splitEnvelopes packs objects, in order, into as few envelopes as keep
// each within limit bytes. An object that cannot fit an envelope even
// alone is left out and its index returned in tooLarge.
func splitEnvelopes(objs [][]byte, limit int64) (envelopes []envelope, tooLarge []int) {
	var cur [][]byte
	size := int64(envelopeOverhead)
	flush := func() {
		if len(cur) > 0 {
			envelopes = append(envelopes, envelope{body: envelopeOf(cur), count: len(cur)})
		}
		cur, size = nil, int64(envelopeOverhead)
	}
	for i, o := range objs {
		need := int64(len(o))
		if len(cur) > 0 {
			need++ // the comma
		}
		if int64(envelopeOverhead+len(o)) > limit {
			tooLarge = append(tooLarge, i)
			continue
		}
		if size+need > limit {
			flush()
			need = int64(len(o))
		}
		cur = append(cur, o)
		size += need
	}
	flush()
	return envelopes, tooLarge
}

// pack reads the STIX content of the command's argument (a file, or
// standard input) and packs its objects into envelopes within the API
// root's max_content_length; the summary counts the objects and lists
// those too large to send. code is -1 when the command may send them, the
// exit code otherwise.
func (c *clientCmd) pack(ctx context.Context, hub *hubClient) (envelopes []envelope, sum *publishSummary, code int) {
	objs, err := readObjects(c.env, c.fs)
	if err != nil {
		return nil, nil, c.failf("%v", err)
	}
	limit, err := hub.maxContentLength(ctx)
	if err != nil {
		return nil, nil, c.fail(err)
	}
	envelopes, tooLarge := splitEnvelopes(objs, limit)
	sum = &publishSummary{objects: len(objs), envelopes: len(envelopes)}
	for _, i := range tooLarge {
		sum.local = append(sum.local, fmt.Sprintf("object %d is %d bytes, more than the API root's max_content_length of %d: not sent", i+1, len(objs[i]), limit))
	}
	return envelopes, sum, -1
}

// maxContentLength reads the API root's max_content_length (TAXII 2.1
// section 4.2.1).
func (h *hubClient) maxContentLength(ctx context.Context) (int64, error) {
	root, err := h.APIRoot(ctx)
	if err != nil {
		return 0, err
	}
	if root.MaxContentLength < int64(envelopeOverhead)+2 {
		return 0, fmt.Errorf("the API root's max_content_length %d leaves no room for an object", root.MaxContentLength)
	}
	return root.MaxContentLength, nil
}

// publishSummary is what a publish did, envelope by envelope.
type publishSummary struct {
	objects, envelopes int
	statuses           []taxii.Status
	local              []string // objects refused before sending, and why
}

// refused counts the objects the hub refused and those not sent.
func (s *publishSummary) refused() int {
	n := len(s.local)
	for _, st := range s.statuses {
		n += st.FailureCount
	}
	return n
}

// print writes the summary, or with asJSON each status resource on a line.
func (s *publishSummary) print(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, st := range s.statuses {
			if err := enc.Encode(st); err != nil {
				return err
			}
		}
		return nil
	}
	var stored, pending int
	for _, st := range s.statuses {
		stored += st.SuccessCount
		pending += st.PendingCount
	}
	plural := func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	}
	fmt.Fprintf(w, "%d %s in %d %s: %d stored, %d pending, %d refused.\n", s.objects, plural(s.objects, "object", "objects"),
		s.envelopes, plural(s.envelopes, "envelope", "envelopes"), stored, pending, s.refused())
	for _, st := range s.statuses {
		fmt.Fprintf(w, "status\t%s\t%s\t%d stored, %d pending, %d refused\n", taxii.Printable(st.ID, 100), taxii.Printable(st.Status, 20),
			st.SuccessCount, st.PendingCount, st.FailureCount)
	}
	lines := 0
	for _, msg := range s.local {
		if lines++; lines <= maxRefusalLines {
			fmt.Fprintf(w, "refused\t-\t-\t%s\n", msg)
		}
	}
	for _, st := range s.statuses {
		for _, f := range st.Failures {
			if lines++; lines <= maxRefusalLines {
				fmt.Fprintf(w, "refused\t%s\t%s\t%s\n", taxii.Printable(f.ID, 200), taxii.Printable(f.Version, 40), taxii.Printable(f.Message, 2000))
			}
		}
	}
	if lines > maxRefusalLines {
		fmt.Fprintf(w, "... and %d more refused (--json lists every one).\n", lines-maxRefusalLines)
	}
	return nil
}

// progress reports envelopes sent, on one rewritten line on a terminal and
// a line per tenth of the work otherwise; it says nothing for one envelope.
type progress struct {
	w        io.Writer
	name     string // the command's
	on, tty  bool
	lastTick int
}

func newProgress(w io.Writer, name string, on bool) *progress {
	return &progress{w: w, name: name, on: on, tty: isTerminal(w)}
}

// isTerminal reports whether w is a terminal, where progress is one line
// rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (p *progress) update(env, envs, objs, total int) {
	if !p.on {
		return
	}
	line := fmt.Sprintf("isachub %s: %d of %d envelopes sent (%d of %d objects)", p.name, env, envs, objs, total)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		return
	}
	if tick := env * 10 / envs; tick > p.lastTick || env == envs {
		p.lastTick = tick
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) done() {
	if p.on && p.tty {
		fmt.Fprintln(p.w)
	}
}
