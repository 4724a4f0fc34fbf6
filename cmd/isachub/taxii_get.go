package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/isachub/isachub/taxii"
)

// matchFields are the match[...] filters of TAXII 2.1 (section 3.4.2).
var matchFields = []string{"id", "type", "version", "spec_version"}

// runTaxiiGet implements "isachub taxii get": every page of a collection's
// objects (section 5.3), written as one STIX 2.1 bundle (STIX section 8)
// with each object's bytes exactly as the server sent them, streamed page
// by page; or, with --manifest, its manifest records (section 5.6), one
// per line. -o writes a temporary file beside FILE and renames it at the
// end, so that a failure leaves no partial file. Progress goes to
// standard error.
func runTaxiiGet(ctx context.Context, env *Env, args []string) int {
	c := newTaxiiCmd(env, "taxii get", "--url API_ROOT_URL --collection ID [--added-after T] [--match FIELD=V1,V2]... [--limit N] [--manifest] [-o FILE]", apiRootHelp)
	coll := c.fs.String("collection", "", "the collection's id")
	addedAfter := c.fs.String("added-after", "", "only what the server added after this timestamp, for example 2026-12-01T00:00:00Z")
	var matches listFlag
	c.fs.Var(&matches, "match", "a filter FIELD=V1,V2 (FIELD: "+strings.Join(matchFields, ", ")+"); may be repeated")
	limit := c.fs.Int("limit", 0, "objects per page to ask for (default: the server's)")
	manifest := c.fs.Bool("manifest", false, "print the manifest records instead: id, date_added and version, tab-separated")
	out := c.fs.String("o", "", "the file to write (default: standard output)")
	cl, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	if *coll == "" {
		return c.missing("--collection")
	}
	q, err := pageQuery(*addedAfter, matches, *limit)
	if err != nil {
		return c.failf("%v", err)
	}
	dst, err := newDestination(env, *out)
	if err != nil {
		return c.fail(err)
	}
	w := bufio.NewWriter(dst)
	p := &pageProgress{w: env.Stderr, name: c.name, what: "objects", tty: isTerminal(env.Stderr)}
	if *manifest {
		p.what = "manifest records"
	}
	if *manifest {
		err = writeManifest(ctx, cl, *coll, q, w, p)
	} else {
		err = writeBundle(ctx, cl, *coll, q, w, p)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = dst.commit()
	}
	p.done()
	if err != nil {
		dst.abort()
		return c.fail(err)
	}
	fmt.Fprintf(env.Stderr, "isachub %s: %d %s in %d pages\n", c.name, p.records, p.what, p.pages)
	return exitOK
}

// pageQuery reads the filter flags of taxii get.
func pageQuery(addedAfter string, matches []string, limit int) (taxii.PageQuery, error) {
	q := taxii.PageQuery{Limit: limit, Match: map[string][]string{}}
	if limit < 0 {
		return q, fmt.Errorf("--limit must be positive")
	}
	if addedAfter != "" {
		t, err := taxii.ParseTimestamp(addedAfter)
		if err != nil {
			return q, fmt.Errorf("--added-after: %v", err)
		}
		q.AddedAfter = t
	}
	for _, m := range matches {
		field, values, ok := strings.Cut(m, "=")
		if !ok || !slices.Contains(matchFields, field) || values == "" {
			return q, fmt.Errorf("--match %q is not FIELD=V1,V2 with FIELD one of %s", m, strings.Join(matchFields, ", "))
		}
		q.Match[field] = append(q.Match[field], strings.Split(values, ",")...)
	}
	return q, nil
}

// writeBundle writes every page of the collection's objects to w as one
// bundle, each object as the server sent it, on a line of its own.
func writeBundle(ctx context.Context, cl *hubClient, coll string, q taxii.PageQuery, w *bufio.Writer, p *pageProgress) error {
	fmt.Fprintf(w, `{"type":"bundle","id":"bundle--%s","objects":[`, uuid.NewString())
	err := cl.EachPage(ctx, coll, q, func(page *taxii.ObjectsPage) error {
		for _, o := range page.Objects {
			if p.records > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
			if _, err := w.Write(o); err != nil {
				return err
			}
			p.records++
		}
		p.page()
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]}\n")
	return err
}

// writeManifest writes every manifest record of the collection to w: id,
// date_added and version, tab-separated.
func writeManifest(ctx context.Context, cl *hubClient, coll string, q taxii.PageQuery, w io.Writer, p *pageProgress) error {
	return cl.EachManifestPage(ctx, coll, q, func(page *taxii.ManifestPage) error {
		for _, r := range page.Objects {
			if _, err := fmt.Fprintf(w, "%s\t%s\t%s\n", taxii.Printable(r.ID, 200), taxii.Printable(r.DateAdded, 40), taxii.Printable(r.Version, 40)); err != nil {
				return err
			}
			p.records++
		}
		p.page()
		return nil
	})
}

// pageProgress reports the pages read: on a terminal one line rewritten
// in place, otherwise a line every 10 pages.
type pageProgress struct {
	w              io.Writer
	name, what     string // the command's, and what the pages hold
	tty            bool
	pages, records int
}

func (p *pageProgress) page() {
	p.pages++
	line := fmt.Sprintf("isachub %s: %d %s so far, %d pages", p.name, p.records, p.what, p.pages)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
	} else if p.pages%10 == 0 {
		fmt.Fprintln(p.w, line)
	}
}

func (p *pageProgress) done() {
	if p.tty && p.pages > 0 {
		fmt.Fprintln(p.w)
	}
}
