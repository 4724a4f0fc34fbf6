package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The member-side commands (preview, publish, withdraw) talk HTTP to a
// running hub, so that a member without access to the database can use
// them. Credentials come from the environment only, never from flags,
// which other users of the machine can read in the process list:
// ISACHUB_TOKEN (sent as Bearer), else ISACHUB_USER and ISACHUB_PASSWORD
// (HTTP Basic).

// clientTimeout bounds one request to the hub, answer included.
const clientTimeout = 30 * time.Second

// errHubAnswer is returned, wrapped, when the hub answered with an error:
// the command exits with exitNegative (the hub said no) rather than
// exitFailure (the hub could not be reached or answered nonsense).
var errHubAnswer = errors.New("the hub answered with an error")

// clientCmd is the common frame of the member-side commands: a flag set
// with --url, the credentials of the environment and an HTTP client.
type clientCmd struct {
	name  string
	usage string
	fs    *flag.FlagSet
	url   *string
	env   *Env
}

func newClientCmd(env *Env, name, usage string) *clientCmd {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	c := &clientCmd{name: name, usage: usage, fs: fs, env: env}
	c.url = fs.String("url", "", "the hub's API root URL, for example https://hub.example/aviation-isac/")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: isachub %s %s\n", name, usage)
		fmt.Fprintln(env.Stderr, "Credentials come from the environment: ISACHUB_TOKEN, else ISACHUB_USER and ISACHUB_PASSWORD.")
		fs.PrintDefaults()
	}
	return c
}

// hubClient sends requests to one API root of a hub.
type hubClient struct {
	root *url.URL // the API root, its path without the final slash
	http *http.Client
	auth func(*http.Request)
}

// failf prints a usage error with the command's name and returns
// exitUsage.
func (c *clientCmd) failf(format string, args ...any) int {
	fmt.Fprintf(c.env.Stderr, "isachub %s: %s\n", c.name, fmt.Sprintf(format, args...))
	return exitUsage
}

// fail prints err and returns the exit code it calls for: exitNegative
// when the hub answered with an error, exitFailure otherwise.
func (c *clientCmd) fail(err error) int {
	fmt.Fprintf(c.env.Stderr, "isachub %s: %v\n", c.name, err)
	if errors.Is(err, errHubAnswer) {
		return exitNegative
	}
	return exitFailure
}

// parse parses args (at most maxArgs positional ones) and builds the
// client from --url and the environment. It returns a non-negative exit
// code when the command must stop.
func (c *clientCmd) parse(args []string, maxArgs int) (*hubClient, int) {
	if code, ok := parseFlags(c.fs, args); !ok {
		return nil, code
	}
	if c.fs.NArg() > maxArgs {
		return nil, c.failf("unexpected argument %q", c.fs.Arg(maxArgs))
	}
	if *c.url == "" {
		c.failf("--url is required")
		c.fs.Usage()
		return nil, exitUsage
	}
	h, err := newHubClient(c.env, c.name, *c.url)
	if err != nil {
		return nil, c.failf("%v", err)
	}
	return h, -1
}

// newHubClient returns the client of the API root at rawURL, with the
// credentials of the environment; name is the command's, for its warning
// about plain HTTP.
func newHubClient(env *Env, name, rawURL string) (*hubClient, error) {
	root, err := url.Parse(rawURL)
	if err != nil || (root.Scheme != "http" && root.Scheme != "https") || root.Host == "" || root.User != nil {
		return nil, fmt.Errorf("--url %q is not an http:// or https:// URL of an API root (without credentials in it)", rawURL)
	}
	root.RawQuery, root.Fragment = "", ""
	root.Path = strings.TrimSuffix(root.Path, "/")
	root.RawPath = strings.TrimSuffix(root.RawPath, "/")
	auth, err := credentials(env)
	if err != nil {
		return nil, err
	}
	if root.Scheme == "http" && !loopbackHost(root.Hostname()) {
		fmt.Fprintf(env.Stderr, "isachub %s: warning: %s is plain HTTP: your credentials cross the network in clear.\n", name, root.Host)
	}
	// Redirects are not followed: one could take the credentials from
	// https to plain http, and a POST has no business being redirected.
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hubClient{root: root, http: &http.Client{Timeout: clientTimeout, CheckRedirect: noRedirect}, auth: auth}, nil
}

// loopbackHost reports whether host is a loopback address or localhost.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// credentials returns what sets the Authorization header of a request:
// ISACHUB_TOKEN as a Bearer token, else ISACHUB_USER and ISACHUB_PASSWORD
// as HTTP Basic.
func credentials(env *Env) (func(*http.Request), error) {
	if tok := strings.TrimSpace(env.Getenv("ISACHUB_TOKEN")); tok != "" {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }, nil
	}
	user, pass := env.Getenv("ISACHUB_USER"), env.Getenv("ISACHUB_PASSWORD")
	if user != "" && pass != "" {
		return func(r *http.Request) { r.SetBasicAuth(user, pass) }, nil
	}
	return nil, errors.New("no credentials: set ISACHUB_TOKEN to an API token, or ISACHUB_USER and ISACHUB_PASSWORD")
}

// endpoint returns the URL of a resource under the API root: each part is
// one path segment, escaped, and the URL ends with a slash as TAXII's do.
func (h *hubClient) endpoint(parts ...string) string {
	u := *h.root
	escaped := make([]string, len(parts))
	for i, p := range parts {
		escaped[i] = url.PathEscape(p)
	}
	u.RawPath = u.EscapedPath() + "/" + strings.Join(escaped, "/") + "/"
	u.Path = u.Path + "/" + strings.Join(parts, "/") + "/"
	return u.String()
}

// hubResponse is an answer of the hub: its status, headers and body.
type hubResponse struct {
	status int
	header http.Header
	body   []byte
}

// post sends body to the endpoint as a TAXII 2.1 resource, with the extra
// headers, and returns the answer when its status is want; any other
// status is an error wrapping errHubAnswer that tells what the hub said.
func (h *hubClient) post(ctx context.Context, endpoint string, body []byte, want int, extra map[string]string) (*hubResponse, error) {
	return h.do(ctx, http.MethodPost, endpoint, body, want, extra)
}

// get reads the TAXII resource at the endpoint, as post does.
func (h *hubClient) get(ctx context.Context, endpoint string) (*hubResponse, error) {
	return h.do(ctx, http.MethodGet, endpoint, nil, http.StatusOK, nil)
}

func (h *hubClient) do(ctx context.Context, method, endpoint string, body []byte, want int, extra map[string]string) (*hubResponse, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", taxii.MediaTypeTAXII21)
	}
	req.Header.Set("Accept", taxii.MediaTypeTAXII21)
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	h.auth(req)
	resp, err := h.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the hub: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the hub's answer: %w", err)
	}
	if len(data) > maxInputSize {
		return nil, fmt.Errorf("the hub's answer is larger than %d MiB", maxInputSize>>20)
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		return nil, fmt.Errorf("%w: %d %s to %s; isachub does not follow redirects: give the API root's address in --url",
			errHubAnswer, resp.StatusCode, http.StatusText(resp.StatusCode), hubText(loc, 500))
	}
	if resp.StatusCode != want {
		return nil, hubError(resp.StatusCode, data)
	}
	return &hubResponse{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// hubError describes an error answer: the TAXII error resource's title and
// description (section 3.6.1) when it is one, else the start of the body.
// What the hub wrote is cleaned and clipped before it reaches a terminal.
func hubError(status int, body []byte) error {
	var e taxii.Error
	if json.Unmarshal(body, &e) == nil && e.Title != "" {
		if e.Description != "" {
			return fmt.Errorf("%w: %d %s: %s", errHubAnswer, status, hubText(e.Title, 200), hubText(e.Description, 2000))
		}
		return fmt.Errorf("%w: %d %s", errHubAnswer, status, hubText(e.Title, 200))
	}
	text := hubText(strings.TrimSpace(string(body)), 200)
	if text == "" {
		return fmt.Errorf("%w: %d %s", errHubAnswer, status, http.StatusText(status))
	}
	return fmt.Errorf("%w: %d %s: %s", errHubAnswer, status, http.StatusText(status), text)
}

// hubText makes a string the hub sent safe to print on one line of a
// terminal: control characters (escape sequences, tabs, newlines) and
// invalid UTF-8 become spaces, and it is clipped to max bytes.
func hubText(s string, max int) string {
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// submission returns the --collection flag's value (coll) and the
// envelope read from the command's argument, for the commands that send
// content to a collection; code is -1 when both are there, and the exit
// code otherwise.
func (c *clientCmd) submission(coll *string) (envl []byte, code int) {
	if *coll == "" {
		c.failf("--collection is required")
		c.fs.Usage()
		return nil, exitUsage
	}
	envl, err := readEnvelope(c.env, c.fs)
	if err != nil {
		return nil, c.failf("%v", err)
	}
	return envl, -1
}

// readEnvelope reads STIX content from the file named by the command's
// only argument, or standard input when there is none or it is "-", in any
// of the four shapes stix.Parse accepts, and returns it as one TAXII 2.1
// envelope (section 3.7).
func readEnvelope(env *Env, fs *flag.FlagSet) ([]byte, error) {
	objs, err := readObjects(env, fs)
	if err != nil {
		return nil, err
	}
	return envelopeOf(objs), nil
}

// readObjects reads STIX content as readEnvelope does and returns its
// objects, each one's bytes exactly as they are in the input (the hub
// stores and returns them as sent; an encoder would compact them).
func readObjects(env *Env, fs *flag.FlagSet) ([][]byte, error) {
	name := "-"
	if fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	data, err := readInput(env, name)
	if err != nil {
		return nil, err
	}
	objs, err := parseObjects(data)
	if err != nil {
		return nil, fmt.Errorf("%s %v", inputName(name), err)
	}
	return objs, nil
}

// parseObjects returns the objects of STIX content in any of the shapes
// stix.Parse accepts, each one's bytes as they are in data.
func parseObjects(data []byte) ([][]byte, error) {
	objs, err := stix.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("is not STIX content: %v", err)
	}
	if len(objs) == 0 {
		return nil, errors.New("holds no STIX objects")
	}
	raws := make([][]byte, len(objs))
	for i, o := range objs {
		raws[i] = o.Raw()
	}
	return raws, nil
}

// inputName names an input in messages.
func inputName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// writeJSON writes v indented, without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
