package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"
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
	endpoint := hub.endpoint("feeds", *feed, "export")
	endpoint = endpoint[:len(endpoint)-1] + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return c.fail(err)
	}
	if *etag != "" {
		req.Header.Set("If-None-Match", *etag)
	}
	hub.auth(req)
	// No overall timeout: an export of a large feed takes as long as it
	// takes; the context (Ctrl-C) ends it.
	client := &http.Client{CheckRedirect: hub.http.CheckRedirect}
	resp, err := client.Do(req)
	if err != nil {
		return c.fail(fmt.Errorf("cannot reach the hub: %w", err))
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		fmt.Fprintf(env.Stderr, "isachub export: not modified since %s\n", *etag)
		return exitOK
	case http.StatusOK:
	default:
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return c.fail(hubError(resp.StatusCode, body))
	}
	dst, commit, err := exportDestination(env, *out)
	if err != nil {
		return c.fail(err)
	}
	p := newByteProgress(env.Stderr)
	n, err := io.Copy(io.MultiWriter(dst, p), resp.Body)
	p.done()
	if err == nil {
		err = commit()
	}
	if err != nil {
		if f, ok := dst.(*os.File); ok && f != os.Stdout {
			f.Close()
			os.Remove(f.Name())
		}
		return c.fail(fmt.Errorf("the export was cut short after %d bytes: %w", n, err))
	}
	fmt.Fprintf(env.Stderr, "isachub export: %d bytes, ETag %s\n", n, resp.Header.Get("ETag"))
	return exitOK
}

// exportDestination returns where an export goes and the function that
// completes it: standard output, or a temporary file beside name renamed
// to name.
func exportDestination(env *Env, name string) (io.Writer, func() error, error) {
	if name == "" {
		return env.Stdout, func() error { return nil }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return nil, nil, err
	}
	return f, func() error {
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return err
		}
		return os.Rename(f.Name(), name)
	}, nil
}

// byteProgress shows, on a terminal, how much of a download has arrived.
type byteProgress struct {
	w    io.Writer
	tty  bool
	n    int64
	last time.Time
}

func newByteProgress(w io.Writer) *byteProgress {
	f, ok := w.(*os.File)
	return &byteProgress{w: w, tty: ok && term.IsTerminal(int(f.Fd()))}
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
