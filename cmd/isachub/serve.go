package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/demo"
	"github.com/isachub/isachub/federation"
	"github.com/isachub/isachub/push"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/warninglist"
)

// serveGCPercent is serve's garbage-collection target when GOGC is unset:
// the heap may grow to 5 times what is live before a collection.
const serveGCPercent = 400

// runServe implements "isachub serve": it serves TAXII 2.1 until ctx ends
// (SIGINT or SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	db := dbFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.Bool("demo", false, "first create, if absent, the database and the demo community, users, collections and objects")
	create := createFlag(fs)
	tlsCert := fs.String("tls-cert", "", "serve HTTPS (TLS 1.2 or later) with this PEM certificate chain; needs --tls-key")
	tlsKey := fs.String("tls-key", "", "the PEM private key of --tls-cert")
	clientAuth := fs.String("tls-client-auth", "none", "TLS client certificates (mTLS): none, request (any certificate, accepted when a certificate token names its fingerprint: admin token add --client-cert-fingerprint) or verify (also chained to --tls-client-ca)")
	clientCA := fs.String("tls-client-ca", "", "the PEM certificate authorities that client certificates must chain to, with --tls-client-auth verify")
	pageSize := fs.Int("page-size", server.DefaultPageSize, "objects per page when a request has no limit")
	maxPageSize := fs.Int("max-page-size", server.DefaultMaxPageSize, "cap on a request's limit (at most 1000)")
	maxContent := fs.Int64("max-content-length", server.DefaultMaxContentLength, "the largest request body an API root accepts, in bytes, where its community sets none")
	sidBase := fs.Int64("sid-base", server.DefaultSIDBase, "the first sid of the Suricata and Snort rules the feeds' exports give (each indicator takes 32)")
	sidLast := fs.Int64("sid-last", server.DefaultSIDLast, "the last sid the exports may give")
	pprofListen := fs.String("pprof-listen", "", "also serve Go's profiler (net/http/pprof) on this loopback address, for finding where time goes")
	metricsListen := fs.String("metrics-listen", "", "also serve GET /metrics on this address, for a Prometheus that should not reach --listen (the token of ISACHUB_METRICS_TOKEN applies there too)")
	perCaller := fs.Float64("rate-per-caller", server.DefaultPerCaller, "requests per second one API token or user may make (bursts of 4 times that); 0: no limit")
	perAddress := fs.Float64("rate-per-address", server.DefaultPerAddress, "requests per second from one address, IPv6 by /64 (bursts of twice that); 0: no limit")
	maxConcurrent := fs.Int("max-concurrent", server.DefaultMaxConcurrent, "requests answered at once, live streams apart; beyond it 503 with Retry-After; 0: no bound")
	webhookLease := fs.Duration("webhook-lease", 2*time.Minute, "how long a replica's claim on a webhook holds: one killed mid-delivery keeps its webhooks that long, which a restarted hub waits out; with several replicas keep it above the 30 s delivery timeout")
	configFile := fs.String("config", "", "read settings from this file (lines of name = value, the names of these flags); default $ISACHUB_CONFIG. The command line wins over the environment (ISACHUB_<FLAG>), which wins over the file")
	printCfg := fs.Bool("print-config", false, "print the effective settings and where each came from (secrets masked), then exit")
	logFormat := fs.String("log-format", "text", "log records as text or json (log/slog), one line per request")
	warnFiles := addWarninglistFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: isachub serve [--config FILE] [--print-config] [--db DSN] [--create] [--listen ADDR] [--demo] [--tls-cert FILE --tls-key FILE] [--metrics-listen ADDR] [flags]\n"+
			"Every flag may also be set as ISACHUB_<FLAG> in the environment (--page-size: ISACHUB_PAGE_SIZE) or in the --config file.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "isachub serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *configFile == "" {
		*configFile = env.Getenv("ISACHUB_CONFIG")
	}
	sources, err := applyConfig(fs, env, *configFile, "config", "print-config")
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
		return exitUsage
	}
	if *printCfg {
		printConfig(env.Stdout, fs, sources, env)
		return exitOK
	}
	if *maxPageSize < 1 || *maxPageSize > isachub.MaxPageSize || *pageSize < 1 || *pageSize > *maxPageSize {
		fmt.Fprintf(env.Stderr, "isachub serve: need 1 <= --page-size <= --max-page-size <= %d\n", isachub.MaxPageSize)
		return exitUsage
	}
	if *perCaller < 0 || *perAddress < 0 || *maxConcurrent < 0 {
		fmt.Fprintln(env.Stderr, "isachub serve: --rate-per-caller, --rate-per-address and --max-concurrent are 0 (no limit) or more")
		return exitUsage
	}
	if *webhookLease <= 0 {
		fmt.Fprintln(env.Stderr, "isachub serve: --webhook-lease must be positive")
		return exitUsage
	}
	if *maxContent < 1024 {
		fmt.Fprintln(env.Stderr, "isachub serve: --max-content-length must be at least 1024 bytes")
		return exitUsage
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(env.Stderr, "isachub serve: --tls-cert and --tls-key go together")
		return exitUsage
	}
	var logger *slog.Logger
	switch *logFormat {
	case "text":
		logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(env.Stderr, nil))
	default:
		fmt.Fprintf(env.Stderr, "isachub serve: --log-format is text or json, not %q\n", *logFormat)
		return exitUsage
	}
	// The warninglists are read before anything starts: a bad file stops
	// serve with the file, the line and what is wrong.
	warn, err := loadWarninglists(*warnFiles)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
		return warninglistExit(err)
	}
	if warn != nil {
		for _, l := range warn.Lists()[len(warninglist.Default().Lists()):] {
			logger.Info("loaded a warninglist", "name", l.Name, "file", l.Source, "entries", l.Len())
		}
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		certs, err := newCertReloader(*tlsCert, *tlsKey, logger)
		if err != nil {
			fmt.Fprintf(env.Stderr, "isachub serve: loading the TLS certificate: %v\n", err)
			return exitFailure
		}
		certs.watch(ctx)
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: certs.getCertificate}
		if err := clientCertConfig(tlsConfig, *clientAuth, *clientCA); err != nil {
			fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
			return exitUsage
		}
	} else if *clientAuth != "none" || *clientCA != "" {
		fmt.Fprintln(env.Stderr, "isachub serve: --tls-client-auth and --tls-client-ca need --tls-cert and --tls-key")
		return exitUsage
	}
	if env.Getenv("GOGC") == "" {
		// A hub's live heap is small (tens of MB) while ingest allocates
		// fast; at Go's default of 100 the collector ran several times per
		// envelope and took a tenth of the ingest rate (BENCHMARKS.md,
		// issue 13 item 6). GOGC, when set, wins; GOMEMLIMIT bounds either.
		debug.SetGCPercent(serveGCPercent)
	}
	store, err := openStore(ctx, resolveDSN(env, *db), *withDemo || *create)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub serve: %s\n", describeErr(err))
		return failureCode(err)
	}
	defer store.Close()
	dsn := resolveDSN(env, *db)
	logger.Info("opened the database", "db", redactDSN(dsn))
	if comms, err := store.Communities(ctx); err == nil && len(comms) == 0 && !*withDemo {
		logger.Warn("the hub is empty: create the first community and its admin with " +
			"'isachub admin community add --db " + redactDSN(dsn) + " --community S --title T', then 'admin org add', " +
			"'admin user add --role admin' and 'admin collection add'; or try 'isachub serve --demo'")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
		return exitFailure
	}
	base := "http://" + ln.Addr().String()
	if tlsConfig != nil {
		base = "https://" + ln.Addr().String()
	} else if !isLoopback(ln.Addr()) {
		logger.Warn("serving plain HTTP on a non-loopback address: passwords and tokens cross the network in clear; use --tls-cert and --tls-key or a TLS proxy")
	}
	if !isLoopback(ln.Addr()) && env.Getenv("ISACHUB_METRICS_TOKEN") == "" {
		logger.Warn("GET /metrics answers anyone who reaches --listen (request counts, queue lengths): set ISACHUB_METRICS_TOKEN for Prometheus to send as a Bearer token")
	}
	if *withDemo {
		res, err := demo.Seed(ctx, store, server.HashPassword)
		if err != nil {
			ln.Close()
			fmt.Fprintf(env.Stderr, "isachub serve: seeding the demo: %v\n", err)
			return exitFailure
		}
		printDemo(env, res, base)
	}
	hub := server.New(server.Config{DefaultPageSize: *pageSize, MaxPageSize: *maxPageSize, MaxContentLength: *maxContent,
		SIDBase: *sidBase, SIDLast: *sidLast, Warninglists: warn, MetricsToken: env.Getenv("ISACHUB_METRICS_TOKEN"), HSTS: tlsConfig != nil,
		Limits: server.Limits{PerCaller: *perCaller, CallerBurst: int(4 * *perCaller), PerAddress: *perAddress,
			AddressBurst: int(2 * *perAddress), MaxConcurrent: *maxConcurrent}}, store, logger)
	srv := &http.Server{
		Handler:           hub.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConfig,
	}
	srv.RegisterOnShutdown(hub.StopStreams)
	if *pprofListen != "" {
		stop, err := servePprof(*pprofListen, logger)
		if err != nil {
			fmt.Fprintf(env.Stderr, "isachub serve: --pprof-listen: %v\n", err)
			return exitFailure
		}
		defer stop()
	}
	if *metricsListen != "" {
		stop, err := serveMetrics(*metricsListen, hub.MetricsHandler(), logger)
		if err != nil {
			fmt.Fprintf(env.Stderr, "isachub serve: --metrics-listen: %v\n", err)
			return exitFailure
		}
		defer stop()
	}
	logger.Info("serving TAXII 2.1", "addr", base+"/taxii2/")
	// Webhooks are delivered by every replica; each claims a webhook in
	// the database before it delivers, so each delivery happens once.
	pushCtx, stopPush := context.WithCancel(context.Background())
	pushDone := make(chan struct{})
	host, _ := os.Hostname()
	sender := &push.Sender{Store: store, Owner: fmt.Sprintf("%s:%d", host, os.Getpid()), Lease: *webhookLease,
		Wake: hub.Changed, Log: logger}
	go func() { defer close(pushDone); sender.Run(pushCtx, time.Second) }()
	defer func() { stopPush(); <-pushDone }()
	// Federation runs on every replica too; each claims a subscription
	// before it runs it. Without a federation key there is none.
	if v := env.Getenv(federation.KeyEnv); v != "" {
		key, err := federation.ParseKey(v)
		if err != nil {
			fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
			return exitFailure
		}
		syncer := &federation.Syncer{Store: store, Key: key, Log: logger}
		fedDone := make(chan struct{})
		go func() { defer close(fedDone); syncer.Loop(pushCtx, 30*time.Second) }()
		defer func() { stopPush(); <-fedDone }()
	} else {
		logger.Info("federation off: " + federation.KeyEnv + " is not set")
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		fmt.Fprintf(env.Stderr, "isachub serve: %v\n", err)
		return exitFailure
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(env.Stderr, "isachub serve: shutdown: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// isLoopback reports whether a listening address is on the loopback
// interface only.
func isLoopback(addr net.Addr) bool {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printDemo tells how to log in to the demo served at base.
func printDemo(env *Env, res *demo.Result, base string) {
	w := env.Stdout
	fmt.Fprintf(w, "Demo community %q (%s) is ready at %s/%s/\n", res.Community.Title, res.Community.Slug, base, res.Community.Slug)
	if res.Created == 0 {
		fmt.Fprintln(w, "(it existed already; nothing was added)")
	}
	fmt.Fprintf(w, "Web UI: %s/ui/ (sign in with a user below)\n", base)
	fmt.Fprintln(w, "\nCollections:")
	for _, alias := range []string{demo.Shared, demo.Circle, demo.Tips} {
		if c := res.Collections[alias]; c != nil {
			fmt.Fprintf(w, "  %-11s %s  %s\n", alias, c.ID, c.Title)
		}
	}
	fmt.Fprintln(w, "\nUsers (demo passwords; do not use them anywhere else):")
	for _, u := range demo.Users() {
		role := string(u.Role)
		if u.HubAdmin {
			role += ", hub operator"
		}
		fmt.Fprintf(w, "  %-9s %-24s %-19s (%s)\n", u.Username, u.Password, u.Org, role)
	}
	shared := res.Collections[demo.Shared].ID
	fmt.Fprintf(w, "\nTry:\n  curl -g -u bob:bob-demo-password -H 'Accept: application/taxii+json;version=2.1' \\\n    '%s/%s/collections/%s/objects/?match[type]=indicator&limit=5'\n",
		base, res.Community.Slug, shared)
	fmt.Fprintf(w, "\nor, with the OASIS taxii2client (pip install taxii2-client):\n"+
		"  from taxii2client.v21 import Collection, as_pages\n"+
		"  c = Collection('%s/%s/collections/%s/', user='bob', password='bob-demo-password')\n"+
		"  for page in as_pages(c.get_objects, per_request=100): print(len(page.get('objects', [])))\n\n",
		base, res.Community.Slug, shared)
}

// redactDSN hides the password of a PostgreSQL DSN, for logs.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}
