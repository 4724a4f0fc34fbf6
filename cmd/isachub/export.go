package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/isachub/isachub/taxii"
)

// runExport implements "isachub export": it downloads a feed's export
// (GET /{community}/feeds/{id}/export, issue 10) to a file or standard
// output, streaming, with progress on standard error when it is a
// terminal. A file is written beside its final name and renamed when
// complete, so that an interrupted download leaves the old file whole.
// --if-none-match sends the ETag of the previous download: exit 0 with
// the file untouched when nothing changed. The ETag goes to standard
// error.
func runExport(ctx context.Context, env *Env, args []string) int {
	c := newClientCmd(env, "export", "--url API_ROOT_URL --feed ID --format csv|txt|suricata|snort|stix [--kind K] [--since T] [--if-none-match ETAG] [-o FILE]")
	feed := c.fs.String("feed", "", "the feed's id")
	format := c.fs.String("format", "", "csv, txt (with --kind), suricata, snort or stix")
	kind := c.fs.String("kind", "", "for txt: ipv4, ipv6, cidr, domain, url, sha256, md5, sha1 or email")
	since := c.fs.String("since", "", "only what the hub received after this timestamp, for example 2026-12-01T00:00:00Z")
	etag := c.fs.String("if-none-match", "", "the ETag of the previous download: nothing is downloaded when it still holds")
	out := c.fs.String("o", "", "the file to write (default: standard output)")
	hub, code := c.parse(args, 0)
	if code >= 0 {
		return code
	}
	if *feed == "" || *format == "" {
		c.failf("--feed and --format are required")
		c.fs.Usage()
		return exitUsage
	}
	q := url.Values{"format": {*format}}
	for k, v := range map[string]string{"kind": *kind, "since": *since} {
		if v != "" {
			q.Set(k, v)
		}
	}
	endpoint := hub.Endpoint("feeds", *feed, "export")
	endpoint = endpoint[:len(endpoint)-1] + "?" + q.Encode()
	// Any Accept: an export is a file, not a TAXII resource.
	header := map[string]string{"Accept": "*/*"}
	if *etag != "" {
		header["If-None-Match"] = *etag
	}
	// Streamed, without an overall timeout: an export of a large feed
	// takes as long as it takes; the context (Ctrl-C) ends it.
	resp, err := hub.Stream(ctx, taxii.Request{Method: http.MethodGet, URL: endpoint, Step: fmt.Sprintf("downloading the export of feed %q", *feed), Header: header})
	if ce := (*taxii.ClientError)(nil); errors.As(err, &ce) && ce.Status == http.StatusNotModified {
		fmt.Fprintf(env.Stderr, "isachub export: not modified since %s\n", *etag)
		return exitOK
	} else if err != nil {
		return c.fail(err)
	}
	defer resp.Body.Close()
	dst, err := newDestination(env, *out)
	if err != nil {
		return c.fail(err)
	}
	p := newByteProgress(env.Stderr)
	n, err := io.Copy(io.MultiWriter(dst, p), resp.Body)
	p.done()
	if err == nil {
		err = dst.commit()
	}
	if err != nil {
		dst.abort()
		return c.fail(fmt.Errorf("the export was cut short after %d bytes: %w", n, err))
	}
	fmt.Fprintf(env.Stderr, "isachub export: %d bytes, ETag %s\n", n, resp.Header.Get("ETag"))
	return exitOK
}

// destination is where a download goes: standard output, or a temporary
// file beside the file named, renamed to it by commit, so that a download
// cut short leaves the old file whole and no partial one.
type destination struct {
	io.Writer
	tmp  *os.File // nil for standard output
	name string
}

func newDestination(env *Env, name string) (*destination, error) {
	if name == "" {
		return &destination{Writer: env.Stdout}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return nil, err
	}
	return &destination{Writer: f, tmp: f, name: name}, nil
}

// commit completes the download: the file takes its name.
func (d *destination) commit() error {
	if d.tmp == nil {
		return nil
	}
	if err := d.tmp.Close(); err != nil {
		os.Remove(d.tmp.Name())
		return err
	}
	if err := os.Rename(d.tmp.Name(), d.name); err != nil {
		os.Remove(d.tmp.Name())
		return err
	}
	return nil
}

// abort removes the temporary file; the file named is untouched.
func (d *destination) abort() {
	if d.tmp != nil {
		d.tmp.Close()
		os.Remove(d.tmp.Name())
	}
}

// byteProgress shows, on a terminal, how much of a download has arrived.
type byteProgress struct {
	w    io.Writer
	tty  bool
	n    int64
	last time.Time
}

func newByteProgress(w io.Writer) *byteProgress {
	return &byteProgress{w: w, tty: isTerminal(w)}
}

func (p *byteProgress) Write(b []byte) (int, error) {
	p.n += int64(len(b))
	if p.tty && time.Since(p.last) > 200*time.Millisecond {
		p.last = time.Now()
		fmt.Fprintf(p.w, "\risachub export: %.1f MiB received", float64(p.n)/(1<<20))
	}
	return len(b), nil
}

func (p *byteProgress) done() {
	if p.tty && !p.last.IsZero() {
		fmt.Fprintln(p.w)
	}
}
