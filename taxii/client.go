package taxii

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Client is a TAXII 2.1 client of one API root (section 4.2): discovery
// (4.1), the API root, its collections (5.1, 5.2), objects and manifests
// with their filters and paging (5.3 to 5.6, 3.4), adding objects and
// following their status (5.4, 4.3).
//
// Every request is bounded in time (ClientOptions.Timeout) and in the size
// of its answer (MaxResponse); one that fails on the network, or that the
// server answers with 429 or a 5xx, is retried with exponential backoff and
// jitter, honouring Retry-After, up to Retries times. Errors are
// *ClientError, naming the server and the step. Redirects are not followed:
// one could carry the credentials from https to plain http.
type Client struct {
	root *url.URL // the API root, its path without the final slash
	opts ClientOptions
	http *http.Client
	// stream is http without its Timeout, for Stream.
	stream *http.Client
}

// ClientOptions configure a Client; the zero value of each field takes the
// default it names.
type ClientOptions struct {
	// Auth sets the credentials of a request: Basic, Bearer, or nil for
	// none (or for client certificates only, in TLS).
	Auth func(*http.Request)
	// TLS is the TLS configuration, for client certificates (mTLS) and
	// private certificate authorities; nil is Go's default.
	TLS *tls.Config
	// Timeout bounds one request, answer included (default 60 s).
	Timeout time.Duration
	// MaxResponse bounds the body of one answer (default 64 MiB).
	MaxResponse int64
	// Retries is how many times a failed request is tried again (default
	// 4; negative for none).
	Retries int
	// MinBackoff and MaxBackoff bound the wait before a retry (defaults
	// 500 ms and 30 s); a Retry-After longer than MaxRetryAfter (default
	// 2 minutes) is not waited for but returned as the error.
	MinBackoff, MaxBackoff, MaxRetryAfter time.Duration
	// UserAgent is sent with every request (default "isachub").
	UserAgent string
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
}

// Basic returns the Auth of HTTP Basic credentials.
func Basic(user, password string) func(*http.Request) {
	return func(r *http.Request) { r.SetBasicAuth(user, password) }
}

// Bearer returns the Auth of a bearer token.
func Bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// NewClient returns the client of the API root at rawURL (for example
// https://hub.example/aviation-isac/).
func NewClient(rawURL string, opts ClientOptions) (*Client, error) {
	root, err := url.Parse(rawURL)
	if err != nil || (root.Scheme != "http" && root.Scheme != "https") || root.Host == "" || root.User != nil {
		return nil, fmt.Errorf("%q is not an http:// or https:// URL of an API root (without credentials in it)", clip(rawURL))
	}
	root.RawQuery, root.Fragment = "", ""
	root.Path = strings.TrimSuffix(root.Path, "/")
	root.RawPath = strings.TrimSuffix(root.RawPath, "/")
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = 64 << 20
	}
	if opts.Retries == 0 {
		opts.Retries = 4
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 500 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 30 * time.Second
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = 2 * time.Minute
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "isachub"
	}
	transport := opts.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = opts.TLS
		t.ResponseHeaderTimeout = opts.Timeout
		transport = t
	}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{root: root, opts: opts,
		http:   &http.Client{Timeout: opts.Timeout, Transport: transport, CheckRedirect: noRedirect},
		stream: &http.Client{Transport: transport, CheckRedirect: noRedirect}}, nil
}

// Root returns the API root's URL, with its final slash.
func (c *Client) Root() string { return c.root.String() + "/" }

// Endpoint returns the URL of a resource under the API root: each part is
// one path segment, escaped, and the URL ends with a slash as TAXII's do.
func (c *Client) Endpoint(parts ...string) string {
	u := *c.root
	escaped := make([]string, len(parts))
	for i, p := range parts {
		escaped[i] = url.PathEscape(p)
	}
	u.RawPath = u.EscapedPath() + "/" + strings.Join(escaped, "/") + "/"
	u.Path = u.Path + "/" + strings.Join(parts, "/") + "/"
	return u.String()
}

// ClientError is why a request of a Client failed: the server, the step
// (what the request was for), and either the server's answer (Status, with
// its TAXII error resource when it sent one) or the failure (Err).
type ClientError struct {
	Server string // the host
	Step   string // "listing the collections", "getting objects of collection X"
	Status int    // the HTTP status when the server answered, else 0
	// Resource is the server's TAXII error resource, when it sent one.
	Resource *Error
	Err      error
}

func (e *ClientError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: ", e.Server, e.Step)
	switch {
	case e.Status != 0 && e.Resource != nil:
		fmt.Fprintf(&b, "%d %s", e.Status, Printable(e.Resource.Title, 200))
		if e.Resource.Description != "" {
			fmt.Fprintf(&b, ": %s", Printable(e.Resource.Description, 2000))
		}
	case e.Status != 0:
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
		if e.Err != nil {
			fmt.Fprintf(&b, ": %v", e.Err)
		}
	default:
		fmt.Fprint(&b, e.Err)
	}
	return b.String()
}

func (e *ClientError) Unwrap() error { return e.Err }

// Answered reports whether the server answered with an error status (it
// said no), as opposed to a failure to reach it or to read its answer.
func (e *ClientError) Answered() bool { return e.Status >= 300 }

// Printable makes a string a server sent safe to print on one line of a
// terminal or a log: control characters (escape sequences, tabs, newlines)
// and invalid UTF-8 become spaces, and it is clipped to max bytes.
func Printable(s string, max int) string {
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

// Response is a successful answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Request is one request for Do.
type Request struct {
	Method, URL string
	// Step says what the request is for, in errors.
	Step string
	Body []byte
	// Header adds to or replaces the TAXII media types Do sets (Accept,
	// and Content-Type with a body).
	Header map[string]string
	// Want is the status of success (default 200).
	Want int
}

// Do sends a request with the client's credentials, retrying as the
// Client says, and returns the answer when its status is r.Want.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	if r.Want == 0 {
		r.Want = http.StatusOK
	}
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.once(ctx, r)
		if err == nil {
			return resp, nil
		}
		var ce *ClientError
		retryable := errors.As(err, &ce) && retryableStatus(ce.Status) || isNetworkError(err)
		if !retryable || attempt >= c.opts.Retries || ctx.Err() != nil {
			return nil, err
		}
		wait := c.backoff(attempt)
		if retryAfter > 0 {
			if retryAfter > c.opts.MaxRetryAfter {
				return nil, fmt.Errorf("%w (it asks to retry after %s, longer than the %s this client waits)", err, retryAfter, c.opts.MaxRetryAfter)
			}
			wait = retryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
	}
}

// backoff is the wait before retry attempt+1: exponential from
// MinBackoff, capped at MaxBackoff, with jitter over its upper half.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.MinBackoff << min(attempt, 20)
	if d > c.opts.MaxBackoff || d <= 0 {
		d = c.opts.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// isNetworkError reports whether err is the network's (a refused or reset
// connection, a timeout), not the server's answer or the caller's
// cancellation.
func isNetworkError(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// once sends the request once; retryAfter is the server's Retry-After.
func (c *Client) once(ctx context.Context, r Request) (*Response, time.Duration, error) {
	resp, err := c.send(ctx, c.http, r)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	data, err := c.readBody(r, resp)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode == r.Want {
		return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, 0, nil
	}
	return nil, retryAfter(resp.Header.Get("Retry-After"), time.Now()), c.statusError(r, resp, data)
}

// Stream sends a request once, without retries, and returns the answer
// with its body unread when its status is r.Want (default 200), for a
// download larger than MaxResponse or longer than Timeout: Timeout bounds
// the wait for the answer's headers, ctx the rest. The caller closes the
// body. Any other status is a *ClientError, as with Do.
func (c *Client) Stream(ctx context.Context, r Request) (*http.Response, error) {
	if r.Want == 0 {
		r.Want = http.StatusOK
	}
	resp, err := c.send(ctx, c.stream, r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == r.Want {
		return resp, nil
	}
	defer resp.Body.Close()
	data, err := c.readBody(r, resp)
	if err != nil {
		return nil, err
	}
	return nil, c.statusError(r, resp, data)
}

// fail returns the *ClientError of request r.
func (c *Client) fail(r Request, status int, err error) *ClientError {
	return &ClientError{Server: c.root.Host, Step: r.Step, Status: status, Err: err}
}

// send sends the request with hc, with the TAXII media types, the user
// agent and the credentials.
func (c *Client) send(ctx context.Context, hc *http.Client, r Request) (*http.Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, c.fail(r, 0, err)
	}
	req.Header.Set("Accept", MediaTypeTAXII21)
	if r.Body != nil {
		req.Header.Set("Content-Type", MediaTypeTAXII21)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	if c.opts.Auth != nil {
		c.opts.Auth(req)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.fail(r, 0, fmt.Errorf("cannot reach the server: %w", err))
	}
	return resp, nil
}

// readBody reads an answer's body, up to MaxResponse bytes.
func (c *Client) readBody(r Request, resp *http.Response) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxResponse+1))
	if err != nil {
		return nil, c.fail(r, 0, fmt.Errorf("reading the answer: %w", err))
	}
	if int64(len(data)) > c.opts.MaxResponse {
		return nil, c.fail(r, 0, fmt.Errorf("the answer is larger than %d bytes", c.opts.MaxResponse))
	}
	return data, nil
}

// statusError is the error of an answer whose status is not the one
// wanted: what a redirect points to, the TAXII error resource (section
// 3.6.1), or the start of the body.
func (c *Client) statusError(r Request, resp *http.Response, data []byte) *ClientError {
	ce := c.fail(r, resp.StatusCode, nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		ce.Err = fmt.Errorf("redirected to %s; redirects are not followed: give the API root's own address", Printable(loc, 500))
	} else if e := new(Error); json.Unmarshal(data, e) == nil && e.Title != "" {
		ce.Resource = e
	} else if text := Printable(strings.TrimSpace(string(data)), 200); text != "" {
		ce.Err = errors.New(text)
	}
	return ce
}

// retryAfter reads a Retry-After header (RFC 9110 section 10.2.3): seconds,
// or an HTTP date. Zero means none, or none that can be read.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 || n > 1<<20 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// get reads the resource at u into v.
func (c *Client) get(ctx context.Context, step, u string, v any) (*Response, error) {
	resp, err := c.Do(ctx, Request{Method: http.MethodGet, URL: u, Step: step})
	if err != nil {
		return nil, err
	}
	return resp, c.decode(step, resp.Body, v)
}

// decode reads a TAXII resource from an answer.
func (c *Client) decode(step string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &ClientError{Server: c.root.Host, Step: step, Err: fmt.Errorf("the answer is not the expected TAXII 2.1 resource: %v", err)}
	}
	return nil
}

// Discovery reads the server's discovery resource (section 4.1) at
// /taxii2/ on the API root's host.
func (c *Client) Discovery(ctx context.Context) (*Discovery, error) {
	u := url.URL{Scheme: c.root.Scheme, Host: c.root.Host, Path: "/taxii2/"}
	var d Discovery
	_, err := c.get(ctx, "reading the discovery resource", u.String(), &d)
	return &d, err
}

// APIRoot reads the API root resource (section 4.2).
func (c *Client) APIRoot(ctx context.Context) (*APIRoot, error) {
	var r APIRoot
	_, err := c.get(ctx, "reading the API root", c.Root(), &r)
	return &r, err
}

// Collections lists the collections (section 5.1).
func (c *Client) Collections(ctx context.Context) ([]Collection, error) {
	var cs Collections
	_, err := c.get(ctx, "listing the collections", c.Endpoint("collections"), &cs)
	return cs.Collections, err
}

// Collection reads one collection (section 5.2).
func (c *Client) Collection(ctx context.Context, id string) (*Collection, error) {
	var coll Collection
	_, err := c.get(ctx, fmt.Sprintf("reading collection %q", clip(id)), c.Endpoint("collections", id), &coll)
	return &coll, err
}

// Status reads a status resource (section 4.3).
func (c *Client) Status(ctx context.Context, id string) (*Status, error) {
	var st Status
	_, err := c.get(ctx, fmt.Sprintf("reading status %q", clip(id)), c.Endpoint("status", id), &st)
	return &st, err
}
