package main

import (
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

	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The member-side commands (preview, publish, withdraw...) talk HTTP to a
// running hub, so that a member without access to the database can use
// them, through taxii.Client. Credentials come from the environment only,
// never from flags, which other users of the machine can read in the
// process list: ISACHUB_TOKEN (sent as Bearer), else ISACHUB_USER and
// ISACHUB_PASSWORD (HTTP Basic). --cert and --key add a client
// certificate, --ca a private certificate authority.

// clientTimeout bounds one request to the hub, answer included, unless
// --timeout says otherwise.
const clientTimeout = 30 * time.Second

// clientCmd is the common frame of the member-side commands: a flag set
// with --url, the TLS flags and --timeout, the credentials of the
// environment and the client they make.
type clientCmd struct {
	name    string
	usage   string
	fs      *flag.FlagSet
	url     *string
	tls     tlsFlags
	timeout *time.Duration
	env     *Env
	// retries is the client's taxii.ClientOptions.Retries. The member
	// commands do not retry (-1), as before they used taxii.Client: an
	// anonymous publish or a withdrawal that reached the hub but whose
	// answer was lost would, sent again, make a second submission with a
	// second withdrawal handle, or answer that it is already withdrawn.
	retries int
}

func newClientCmd(env *Env, name, usage string) *clientCmd {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	c := &clientCmd{name: name, usage: usage, fs: fs, env: env, retries: -1}
	c.url = fs.String("url", "", "the hub's API root URL, for example https://hub.example/aviation-isac/")
	c.tls = addTLSFlags(fs)
	c.timeout = fs.Duration("timeout", clientTimeout, "how long one request may take, answer included")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: isachub %s %s\n", name, usage)
		fmt.Fprintln(env.Stderr, "Credentials come from the environment: ISACHUB_TOKEN, else ISACHUB_USER and ISACHUB_PASSWORD (none with --cert).")
		fs.PrintDefaults()
	}
	return c
}

// hubClient is the taxii.Client of one API root of a hub.
type hubClient struct {
	*taxii.Client
	host string // the API root's host, for messages
}

// failf prints a usage error with the command's name and returns
// exitUsage.
func (c *clientCmd) failf(format string, args ...any) int {
	fmt.Fprintf(c.env.Stderr, "isachub %s: %s\n", c.name, fmt.Sprintf(format, args...))
	return exitUsage
}

// missing prints that a flag is required, and the usage, and returns
// exitUsage.
func (c *clientCmd) missing(flag string) int {
	c.failf("%s is required", flag)
	c.fs.Usage()
	return exitUsage
}

// printJSON prints v as indented JSON, or err, and returns the exit code.
func (c *clientCmd) printJSON(v any, err error) int {
	if err == nil {
		err = writeJSON(c.env.Stdout, v)
	}
	if err != nil {
		return c.fail(err)
	}
	return exitOK
}

// fail prints err and returns the exit code it calls for: exitNegative
// when the server answered with an error, exitFailure otherwise.
func (c *clientCmd) fail(err error) int {
	fmt.Fprintf(c.env.Stderr, "isachub %s: %v\n", c.name, err)
	if ce := (*taxii.ClientError)(nil); errors.As(err, &ce) && ce.Answered() {
		return exitNegative
	}
	return exitFailure
}

// parse parses args (at most maxArgs positional ones) and builds the
// client from --url, the TLS flags and the environment. It returns a
// non-negative exit code when the command must stop.
func (c *clientCmd) parse(args []string, maxArgs int) (*hubClient, int) {
	if code, ok := parseFlags(c.fs, args); !ok {
		return nil, code
	}
	if c.fs.NArg() > maxArgs {
		return nil, c.failf("unexpected argument %q", c.fs.Arg(maxArgs))
	}
	if *c.url == "" {
		return nil, c.missing("--url")
	}
	if *c.timeout <= 0 {
		return nil, c.failf("--timeout must be positive")
	}
	conf, err := c.tls.config()
	if err != nil {
		return nil, c.failf("%v", err)
	}
	h, err := newHubClient(c.env, c.name, *c.url, taxii.ClientOptions{TLS: conf, Timeout: *c.timeout, Retries: c.retries})
	if err != nil {
		return nil, c.failf("%v", err)
	}
	return h, -1
}

// newHubClient returns the client of the API root at rawURL, with the
// credentials of the environment added to opts (none are needed with a
// client certificate); name is the command's, for its warning about plain
// HTTP.
func newHubClient(env *Env, name, rawURL string, opts taxii.ClientOptions) (*hubClient, error) {
	auth, err := credentials(env)
	if err != nil && (opts.TLS == nil || len(opts.TLS.Certificates) == 0) {
		return nil, err
	}
	opts.Auth = auth
	if opts.Timeout == 0 {
		opts.Timeout = clientTimeout
	}
	opts.MaxResponse = maxInputSize
	c, err := taxii.NewClient(rawURL, opts)
	if err != nil {
		return nil, fmt.Errorf("--url %w", err)
	}
	root, _ := url.Parse(rawURL) // NewClient parsed it
	if auth != nil && root.Scheme == "http" && !loopbackHost(root.Hostname()) {
		fmt.Fprintf(env.Stderr, "isachub %s: warning: %s is plain HTTP: your credentials cross the network in clear.\n", name, root.Host)
	}
	return &hubClient{Client: c, host: root.Host}, nil
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
		return taxii.Bearer(tok), nil
	}
	user, pass := env.Getenv("ISACHUB_USER"), env.Getenv("ISACHUB_PASSWORD")
	if user != "" && pass != "" {
		return taxii.Basic(user, pass), nil
	}
	return nil, errors.New("no credentials: set ISACHUB_TOKEN to an API token, or ISACHUB_USER and ISACHUB_PASSWORD (or give a client certificate with --cert and --key)")
}

// post sends body to the endpoint, as a TAXII 2.1 resource unless header
// sets another Content-Type, and returns the answer when its status is
// want; step says what it is for, in errors.
func (h *hubClient) post(ctx context.Context, step, endpoint string, body []byte, want int, header map[string]string) (*taxii.Response, error) {
	return h.Do(ctx, taxii.Request{Method: http.MethodPost, URL: endpoint, Step: step, Body: body, Header: header, Want: want})
}

// submission returns the --collection flag's value (coll) and the
// envelope read from the command's argument, for the commands that send
// content to a collection; code is -1 when both are there, and the exit
// code otherwise.
func (c *clientCmd) submission(coll *string) (envl []byte, code int) {
	if *coll == "" {
		return nil, c.missing("--collection")
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
