package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/export"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
	"github.com/isachub/isachub/warninglist"
)

// The export formats of GET /{root}/feeds/{id}/export (issue 10): the
// format parameter's values and their media types.
var exportFormats = map[string]string{
	"csv":      "text/csv; charset=utf-8",
	"txt":      "text/plain; charset=utf-8",
	"suricata": "text/plain; charset=utf-8",
	"snort":    "text/plain; charset=utf-8",
	"stix":     taxii.MediaTypeSTIX21,
}

// exportRequest is a parsed export request.
type exportRequest struct {
	feed   *isachub.Feed
	format string
	kind   export.Kind // for txt
	since  time.Time   // added_after of the feed's versions; zero: all
	report bool        // answer the report of what was not exported
	now    time.Time
}

// handleFeedExport serves a feed as a file: CSV, a one-kind blocklist,
// Suricata 7 or Snort 3 rules, or a STIX 2.1 bundle, streamed a page at a
// time so that its memory does not grow with the feed. The ETag is a hash
// of what the export holds (every selected version's collection, id,
// version and date_added, and the request): a first pass computes it,
// and a request whose If-None-Match names it answers 304 without the
// body. report=true answers, as JSON, what the format could not export
// and why, instead of the file.
func (s *Server) handleFeedExport(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	fd, err := s.feed(r.Context(), c, comm, r.PathValue("id"))
	if err != nil {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no feed %q in this API root.", clip(r.PathValue("id")))
	}
	req, err := parseExportRequest(r, fd)
	if err != nil {
		return err
	}
	req.now = s.now()
	colls, err := s.store.Collections(r.Context(), fd.CommunityID)
	if err != nil {
		return err
	}
	sources, err := c.reader().FeedSources(fd, colls)
	if err != nil {
		return err
	}
	e := &exporter{s: s, req: req, sources: sources}
	etag, err := e.etag(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if req.report {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", exportFormats[req.format])
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", req.filename()))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	// The status line is sent: a failure now can only cut the body short,
	// which the client sees as a broken transfer; it is logged.
	if err := e.write(r.Context(), w); err != nil {
		s.log.Error("feed export cut short", "feed", fd.ID, "format", req.format, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

func parseExportRequest(r *http.Request, fd *isachub.Feed) (*exportRequest, error) {
	q := r.URL.Query()
	req := &exportRequest{feed: fd, format: q.Get("format")}
	if _, ok := exportFormats[req.format]; !ok {
		return nil, isachub.Errorf(isachub.EINVALID, "format %q is not one of csv, txt, suricata, snort, stix.", clip(req.format))
	}
	if k := q.Get("kind"); req.format == "txt" {
		kind, err := export.ParseKind(k)
		if err != nil {
			return nil, isachub.Errorf(isachub.EINVALID, "format=txt needs kind=ipv4, ipv6, cidr, domain, url, sha256, md5, sha1 or email; %q is none of them.", clip(k))
		}
		req.kind = kind
	} else if k != "" {
		return nil, isachub.Errorf(isachub.EINVALID, "kind is for format=txt only.")
	}
	if v := q.Get("since"); v != "" {
		t, err := parseSince(v)
		if err != nil {
			return nil, err
		}
		req.since = t
	}
	switch q.Get("report") {
	case "", "false":
	case "true":
		req.report = true
	default:
		return nil, isachub.Errorf(isachub.EINVALID, "report takes true or false.")
	}
	return req, nil
}

func (req *exportRequest) filename() string {
	ext := map[string]string{"csv": "csv", "txt": "txt", "suricata": "rules", "snort": "rules", "stix": "json"}[req.format]
	name := req.format
	if req.format == "txt" {
		name = string(req.kind)
	}
	return "feed-" + req.feed.ID + "-" + name + "." + ext
}

// etagMatches reports whether an If-None-Match header names etag (RFC
// 9110 section 13.1.2, weak comparison).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// exporter reads a feed's selected versions for one export request.
type exporter struct {
	s       *Server
	req     *exportRequest
	sources []isachub.FeedSource
}

// each calls fn with every selected version of the feed, a page at a
// time, in the feed's order.
func (e *exporter) each(ctx context.Context, fn func(p *isachub.FeedPage) error) error {
	f := isachub.ObjectFilter{AddedAfter: e.req.since, Limit: isachub.MaxPageSize}
	if e.req.format != "stix" {
		f.Types = []string{"indicator"}
	}
	for {
		p, err := isachub.ReadFeed(ctx, e.s.store, e.req.feed, e.sources, f, e.req.now)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if !p.More {
			return nil
		}
		f.Next = p.Next
	}
}

// etag is the export's entity tag: a hash of the request, of the sources'
// default TLP (the level an unmarked version shows), and of each selected
// version's collection, id, version and date_added.
func (e *exporter) etag(ctx context.Context) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00%t\x00%d\x00%s\n", e.req.feed.ID, e.req.format, e.req.kind,
		e.req.feed.UpdatedAt.UTC().Format(time.RFC3339Nano), e.req.since.UnixMicro(), e.req.report, e.s.cfg.SIDBase,
		e.req.feed.Filter.Warninglists)
	for _, src := range e.sources {
		fmt.Fprintf(h, "%s %s\n", src.Collection.ID, src.Collection.DefaultTLP)
	}
	err := e.each(ctx, func(p *isachub.FeedPage) error {
		for _, v := range p.Objects {
			fmt.Fprintf(h, "%s %s %s %d\n", v.CollectionID, v.ID, v.Version(), v.DateAdded.UnixMicro())
		}
		return nil
	})
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`, err
}

// indicatorWriter is what the export package's writers share.
type indicatorWriter interface {
	Write(export.Indicator) error
	Flush() error
	Report() export.Report
}

// write streams the export to w. Rule files carry, after each page's
// rules, a comment line for each indicator of the page not translated
// and why, and end with a summary comment; CSV and blocklists hold only
// values (report=true lists what they left out).
func (e *exporter) write(ctx context.Context, w io.Writer) error {
	if e.req.format == "stix" && !e.req.report {
		return e.writeBundle(ctx, w)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	out := io.Writer(bw)
	var report *reportWriter
	if e.req.report {
		report, out = newReportWriter(bw), io.Discard
	}
	var skipped, flagged []export.Skip // of the current page
	skip := func(s export.Skip) { skipped = append(skipped, s) }
	// Known false positives (FeedFilter.Warninglists): left out, or
	// reported beside the values kept.
	mode := e.req.feed.Filter.Warninglists
	var curID string // the indicator being written, for flagged values
	exclude := func(o export.Observable) bool {
		if mode == "" {
			return false
		}
		hits := e.s.cfg.Warninglists.Match(string(o.Kind), o.Value)
		if len(hits) > 0 && mode == "flag" {
			flagged = append(flagged, export.Skip{ID: curID, Reason: warned(o, hits)})
		}
		return len(hits) > 0 && mode == "drop"
	}
	var iw indicatorWriter
	switch e.req.format {
	case "csv", "stix": // stix with report=true: a bundle leaves nothing out
		cw := export.NewCSVWriter(out)
		cw.SkipFunc, cw.Exclude, iw = skip, exclude, cw
	case "txt":
		tw := export.NewTXTWriter(out, e.req.kind)
		tw.SkipFunc, tw.Exclude, iw = skip, exclude, tw
	case "suricata", "snort":
		rw := export.NewSuricataWriter(out)
		if e.req.format == "snort" {
			rw = export.NewSnortWriter(out)
		}
		rw.SkipFunc, iw = skip, rw
	}
	rules := e.req.format == "suricata" || e.req.format == "snort"
	total, seen := 0, 0
	err := e.each(ctx, func(p *isachub.FeedPage) error {
		if e.req.format == "stix" {
			return nil
		}
		var numbers map[string]int64
		if rules {
			ids := make([]string, len(p.Objects))
			for i, v := range p.Objects {
				ids[i] = v.ID
			}
			var err error
			if numbers, err = e.s.store.RuleSIDs(ctx, ids); err != nil {
				return err
			}
		}
		seen += len(p.Objects)
		for i, v := range p.Objects {
			ind, err := export.FromObject(p.Parsed[i], e.tlp(v).String())
			if err != nil {
				skip(export.Skip{ID: v.ID, Reason: err.Error()})
				continue
			}
			if rules {
				sid := e.s.cfg.SIDBase + numbers[v.ID]*export.MaxRulesPerIndicator
				if sid+export.MaxRulesPerIndicator-1 > e.s.cfg.SIDLast {
					skip(export.Skip{ID: v.ID, Reason: "the hub's sid range is used up"})
					continue
				}
				ind.SID = int(sid)
				// Rules are made from an indicator whole: one named value
				// on a warninglist drops (or flags) the indicator.
				if reason := e.warnedRule(ind, mode); reason != "" {
					if mode == "drop" {
						skip(export.Skip{ID: v.ID, Reason: reason})
						continue
					}
					flagged = append(flagged, export.Skip{ID: v.ID, Reason: reason})
				}
			}
			curID = v.ID
			if err := iw.Write(ind); err != nil {
				return err
			}
		}
		total += len(skipped)
		switch {
		case report != nil:
			for _, s := range skipped {
				report.skip(s, false)
			}
			for _, s := range flagged {
				report.skip(s, true)
			}
		case rules && len(skipped)+len(flagged) > 0:
			// The rule writer buffers whole rules: flush them before the
			// comments, so that a comment never lands inside a rule.
			if err := iw.Flush(); err != nil {
				return err
			}
			for _, s := range skipped {
				fmt.Fprintf(bw, "# not translated: %s: %s\n", s.ID, oneLine(s.Reason))
			}
			for _, s := range flagged {
				fmt.Fprintf(bw, "# warninglist: %s: %s\n", s.ID, oneLine(s.Reason))
			}
		}
		skipped, flagged = skipped[:0], flagged[:0]
		return nil
	})
	if err != nil {
		return err
	}
	if err := iw.Flush(); err != nil {
		return err
	}
	rep := iw.Report()
	if report != nil {
		return report.close(rep, total)
	}
	if rules {
		fmt.Fprintf(bw, "# isachub feed %s: %d indicators, %d translated into %d rules, %d not translated\n",
			e.req.feed.ID, seen, rep.Exported, rep.Written, total)
	}
	return bw.Flush()
}

// tlp is the effective TLP of a version of the feed.
func (e *exporter) tlp(v *isachub.ObjectVersion) stix.TLP {
	for _, src := range e.sources {
		if src.Collection.ID == v.CollectionID {
			return isachub.CollectionTLP(src.Collection, v.TLP)
		}
	}
	return stix.TLPRed // never: a feed's versions come from its sources
}

// writeBundle streams the selected versions as one STIX 2.1 bundle
// (section 8), each object exactly as stored.
func (e *exporter) writeBundle(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, `{"type":"bundle","id":"bundle--%s","objects":[`, uuid.New())
	first := true
	err := e.each(ctx, func(p *isachub.FeedPage) error {
		for _, v := range p.Objects {
			if !first {
				bw.WriteByte(',')
			}
			first = false
			if _, err := bw.Write(v.Raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// oneLine keeps a reason on one comment line.
func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

// reportWriter streams an export's report as JSON: {"skipped": [...],
// "indicators": N, "exported": N, "written": N}.
type reportWriter struct {
	w     *bufio.Writer
	first bool
}

func newReportWriter(w *bufio.Writer) *reportWriter {
	w.WriteString(`{"skipped":[`)
	return &reportWriter{w: w, first: true}
}

func (r *reportWriter) skip(s export.Skip, flagged bool) {
	entry := map[string]any{"id": s.ID, "reason": s.Reason}
	if flagged {
		entry["flagged"] = true
	}
	b, _ := json.Marshal(entry)
	if !r.first {
		r.w.WriteByte(',')
	}
	r.first = false
	r.w.Write(b)
}

func (r *reportWriter) close(rep export.Report, skipped int) error {
	fmt.Fprintf(r.w, `],"exported":%d,"written":%d,"not_exported":%d}`+"\n", rep.Exported, rep.Written, skipped)
	return r.w.Flush()
}

// parseSince reads the since parameter of an export or a stream.
func parseSince(v string) (time.Time, error) {
	t, err := taxii.ParseTimestamp(v)
	if err != nil {
		return time.Time{}, isachub.Errorf(isachub.EINVALID, "since %q is not a timestamp such as 2026-01-02T03:04:05Z.", clip(v))
	}
	return t, nil
}

// warnedRule returns, for a feed whose mode is flag or drop, why an
// indicator's rules would fire on a known false positive: its first named
// value on a warninglist. "" when none is.
func (e *exporter) warnedRule(ind export.Indicator, mode string) string {
	if mode == "" {
		return ""
	}
	obs, err := export.Observables(ind.Pattern)
	if err != nil {
		return "" // the rule writer reports the pattern
	}
	for _, o := range obs {
		if hits := e.s.cfg.Warninglists.Match(string(o.Kind), o.Value); len(hits) > 0 {
			return warned(o, hits)
		}
	}
	return ""
}

// warned says which lists a value is on.
func warned(o export.Observable, hits []warninglist.Hit) string {
	return warninglist.Warning{Kind: string(o.Kind), Value: o.Value, Hits: hits}.String()
}
