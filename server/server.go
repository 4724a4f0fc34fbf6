package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/warninglist"
)

// Config is what a Server is told at start.
type Config struct {
	// Title, Description and Contact fill the discovery resource (TAXII 2.1
	// section 4.1.1).
	Title       string
	Description string
	Contact     string
	// DefaultPageSize is the number of objects, manifest records or versions
	// in a page when the request has no limit (default 100).
	DefaultPageSize int
	// MaxPageSize caps a request's limit (default 1,000); a larger limit is
	// capped, never refused.
	MaxPageSize int
	// MaxContentLength is the max_content_length of API roots whose community
	// does not set one, in bytes (default 16 MiB).
	MaxContentLength int64
	// MaxEnvelopeObjects is the most objects one POST may carry (default
	// 100,000); more is 413, refused while reading.
	MaxEnvelopeObjects int
	// SessionIdle ends a web UI session that has not been used for this
	// long (default 1 hour); SessionLifetime ends any session this long
	// after sign-in (default 12 hours).
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	// SIDBase and SIDLast bound the sids of the Suricata and Snort rules
	// the feeds' exports give (default 3,000,000,000 to 4,294,967,295, the
	// end of the 32-bit range both engines take): indicator n, numbered
	// by the store for ever (FeedStore.RuleSIDs), has the sids from
	// SIDBase + n*export.MaxRulesPerIndicator.
	SIDBase int64
	SIDLast int64
	// Warninglists are the known false positives the feeds' exports flag
	// or drop (FeedFilter.Warninglists); nil is warninglist.Default().
	Warninglists *warninglist.Set
	// Limits bound each client's rate of requests and the requests
	// answered at once; the zero value limits nothing.
	Limits Limits
	// HSTS, set when the hub serves TLS itself, makes every answer carry
	// Strict-Transport-Security (one year), so that browsers never again
	// reach it over plain HTTP.
	HSTS bool
	// MetricsToken, when set, is the Bearer token GET /metrics requires
	// (ISACHUB_METRICS_TOKEN); empty serves the metrics to anyone who
	// reaches the listener.
	MetricsToken string
	// Now is the clock of the login throttle and of UI sessions; nil is time.Now. Tests set
	// it to move time without sleeping.
	Now func() time.Time
}

// The defaults of Config.
const (
	DefaultPageSize           = 100
	DefaultMaxPageSize        = 1000
	DefaultMaxContentLength   = 16 << 20
	DefaultMaxEnvelopeObjects = 100000
	DefaultSessionIdle        = time.Hour
	DefaultSessionLifetime    = 12 * time.Hour
	DefaultSIDBase            = 3000000000
	DefaultSIDLast            = 1<<32 - 1
)

func (c Config) withDefaults() Config {
	if c.Title == "" {
		c.Title = "isachub"
	}
	if c.Description == "" {
		c.Description = "Threat-intelligence sharing hub: one TAXII 2.1 API root per community."
	}
	if c.MaxPageSize <= 0 {
		c.MaxPageSize = DefaultMaxPageSize
	}
	if c.DefaultPageSize <= 0 {
		c.DefaultPageSize = DefaultPageSize
	}
	if c.DefaultPageSize > c.MaxPageSize {
		c.DefaultPageSize = c.MaxPageSize
	}
	if c.MaxContentLength <= 0 {
		c.MaxContentLength = DefaultMaxContentLength
	}
	if c.MaxEnvelopeObjects <= 0 {
		c.MaxEnvelopeObjects = DefaultMaxEnvelopeObjects
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.SIDBase <= 0 {
		c.SIDBase = DefaultSIDBase
	}
	if c.SIDLast <= 0 {
		c.SIDLast = DefaultSIDLast
	}
	if c.Warninglists == nil {
		c.Warninglists = warninglist.Default()
	}
	if c.SessionLifetime <= 0 {
		c.SessionLifetime = DefaultSessionLifetime
	}
	return c
}

// Server serves the TAXII 2.1 API and the web UI (under /ui/) over a Store.
type Server struct {
	cfg      Config
	store    isachub.Store
	log      *slog.Logger
	logins   *loginCache
	throttle *loginThrottle
	requests *requestLimiter // membership requests (web_join.go)
	hashing  chan struct{}   // bounds concurrent argon2id checks
	known    *http.ServeMux  // the routes, to tell 405 from 404
	ioc      *iocIndex       // the UI's IOC look-up (web_ioc.go)
	changes  changes         // wakes the feeds' live streams (feed_stream.go)
	metrics  *metrics        // GET /metrics (metrics.go)
	limits   *limiter        // Config.Limits (limits.go)
	handler  http.Handler
}

// New returns a Server over store. A nil logger discards log records.
func New(cfg Config, store isachub.Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg.withDefaults(), log: logger, logins: newLoginCache(), throttle: newLoginThrottle(cfg.Now), requests: newRequestLimiter(cfg.Now),
		hashing: make(chan struct{}, runtime.NumCPU()), ioc: newIOCIndex()}
	s.metrics = newMetrics(store, s.log.Warn)
	s.limits = newLimiter(s.cfg.Limits, s.now)
	s.store = notifyingStore{Store: timedStore{Store: store, m: s.metrics}, changes: &s.changes}
	taxiiRoutes, ui := s.routes(), s.webRoutes()
	metricsHandler := s.metrics.handler(s.cfg.MetricsToken)
	limited := s.limits.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUIPath(r.URL.Path) {
			ui.ServeHTTP(w, r)
		} else {
			taxiiRoutes.ServeHTTP(w, r)
		}
	}), func(w http.ResponseWriter, r *http.Request, err error) {
		if isUIPath(r.URL.Path) {
			s.renderError(w, r, nil, err)
		} else {
			s.writeError(w, r, err)
		}
	})
	s.handler = withRequestID(s.metrics.instrument(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == pathHealthz:
			r.Pattern = pathHealthz
			s.handleHealthz(w, r)
		case r.URL.Path == pathReadyz:
			r.Pattern = pathReadyz
			s.handleReadyz(w, r)
		case r.URL.Path == pathMetrics:
			r.Pattern = pathMetrics
			metricsHandler.ServeHTTP(w, r)
		case r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			http.Redirect(w, r, uiPrefix, http.StatusFound)
		default:
			limited.ServeHTTP(w, r)
		}
	})))
	if s.cfg.HSTS {
		inner := s.handler
		s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
			inner.ServeHTTP(w, r)
		})
	}
	return s
}

// isUIPath reports whether path is the web UI's (the rest is TAXII's).
func isUIPath(path string) bool { return path == "/ui" || strings.HasPrefix(path, uiPrefix) }

// MetricsHandler returns the handler of GET /metrics, for a listener of
// its own (serve --metrics-listen): the same registry and token as the
// main listener's /metrics.
func (s *Server) MetricsHandler() http.Handler {
	return s.metrics.handler(s.cfg.MetricsToken)
}

// Handler returns the http.Handler that serves every route.
func (s *Server) Handler() http.Handler { return s.handler }
