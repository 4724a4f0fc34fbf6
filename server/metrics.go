package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// metrics are what GET /metrics shows, in the Prometheus text format. Each
// Server has its own registry, so that tests may run many servers in one
// process. The labels are routes (the ServeMux patterns, never a path
// with ids in it), status codes and store operations: their number is
// fixed by the code, whatever the requests.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	ingested *prometheus.CounterVec
	store    *prometheus.HistogramVec
}

func newMetrics(store isachub.Store, log func(msg string, args ...any)) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "isachub_http_requests_total",
			Help: "HTTP requests answered, by route (the ServeMux pattern, method included) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "isachub_http_request_duration_seconds",
			Help:    "Time from a request's arrival to the end of its answer, by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "isachub_http_requests_in_flight",
			Help: "Requests being answered now (live streams included).",
		}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "isachub_objects_ingested_total",
			Help: "Object versions offered to the store, by outcome: stored (new or already there) or refused (by a store rule, such as another organisation owning the id).",
		}, []string{"outcome"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "isachub_store_duration_seconds",
			Help:    "Time of the store's operations on the request paths, by operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"op"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.inFlight, m.ingested, m.store,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&queueCollector{store: store, log: log}, &peerCollector{store: store, log: log, now: time.Now})
	return m
}

// instrument counts and times every request that h answers. The route is
// known only after the ServeMux inside h chose it (it sets r.Pattern on the
// request it was given).
func (m *metrics) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		w := &statusWriter{ResponseWriter: rw}
		defer func() {
			m.inFlight.Dec()
			route := r.Pattern
			if route == "" {
				route = "other"
			}
			status := w.status
			if status == 0 {
				status = http.StatusOK
			}
			m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}()
		h.ServeHTTP(w, r)
	})
}

// handleMetrics answers GET /metrics: the Prometheus text format, to
// anyone when token is empty, else only to a request that carries it as
// a Bearer token (compared in constant time).
func (m *metrics) handler(token string) http.Handler {
	prom := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "use GET", http.StatusMethodNotAllowed)
			return
		}
		if token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="isachub metrics"`)
				http.Error(w, "the metrics need the Bearer token set in ISACHUB_METRICS_TOKEN", http.StatusUnauthorized)
				return
			}
		}
		prom.ServeHTTP(w, r)
	})
}

// queueCollector reads the store's queues (isachub.Queues) at each scrape,
// so that the gauges are true across replicas: every replica shows the
// database's queues, not its own share.
type queueCollector struct {
	store isachub.Store
	log   func(msg string, args ...any)
}

var (
	descStatusesPending = prometheus.NewDesc("isachub_statuses_pending",
		"TAXII status resources still pending: submissions waiting for moderation.", nil, nil)
	descModeration = prometheus.NewDesc("isachub_moderation_queue",
		"Submissions waiting for an ISAC analyst's approval.", nil, nil)
	descJobs = prometheus.NewDesc("isachub_jobs_queue",
		"Outbox jobs not yet done (search indexing).", nil, nil)
	descWebhooks = prometheus.NewDesc("isachub_webhooks_failing",
		"Webhooks whose last delivery failed, by state: retrying (in backoff) or dead (no longer tried).", []string{"state"}, nil)
	descQueuesUp = prometheus.NewDesc("isachub_queues_up",
		"1 when the store answered the queue counts at this scrape, 0 when it did not.", nil, nil)
)

// Describe sends the descriptions of the queue gauges.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descStatusesPending, descModeration, descJobs, descWebhooks, descQueuesUp} {
		ch <- d
	}
}

// Collect counts the queues, within 5 seconds; a store that does not
// answer shows as isachub_queues_up 0, without the gauges.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q, err := c.store.Queues(ctx)
	if err != nil {
		c.log("counting the queues for /metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(descQueuesUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descQueuesUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descStatusesPending, prometheus.GaugeValue, float64(q.PendingStatuses))
	ch <- prometheus.MustNewConstMetric(descModeration, prometheus.GaugeValue, float64(q.Moderation))
	ch <- prometheus.MustNewConstMetric(descJobs, prometheus.GaugeValue, float64(q.Jobs))
	ch <- prometheus.MustNewConstMetric(descWebhooks, prometheus.GaugeValue, float64(q.WebhooksRetrying), "retrying")
	ch <- prometheus.MustNewConstMetric(descWebhooks, prometheus.GaugeValue, float64(q.WebhooksDead), "dead")
}

// timedStore times the store operations that requests wait for (reads of
// objects, writes of objects, token look-ups) and counts the versions
// offered to the store; the rest of Store passes through.
type timedStore struct {
	isachub.Store
	m *metrics
}

func (s timedStore) observe(op string, start time.Time) {
	s.m.store.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func (s timedStore) countAdded(res []isachub.AddResult) {
	for _, r := range res {
		if r.Err == nil {
			s.m.ingested.WithLabelValues("stored").Inc()
		} else {
			s.m.ingested.WithLabelValues("refused").Inc()
		}
	}
}

func (s timedStore) AddObjects(ctx context.Context, collectionID string, orgID int64, objs []*stix.Object) ([]isachub.AddResult, error) {
	defer s.observe("add_objects", time.Now())
	res, err := s.Store.AddObjects(ctx, collectionID, orgID, objs)
	s.countAdded(res)
	return res, err
}

func (s timedStore) AddAnonymous(ctx context.Context, collectionID string, objs []*stix.Object, rec *isachub.AnonymousSubmission) ([]isachub.AddResult, error) {
	defer s.observe("add_anonymous", time.Now())
	res, err := s.Store.AddAnonymous(ctx, collectionID, objs, rec)
	s.countAdded(res)
	return res, err
}

func (s timedStore) Objects(ctx context.Context, collectionID string, see isachub.Visibility, f isachub.ObjectFilter) (*isachub.ObjectPage, error) {
	defer s.observe("objects", time.Now())
	return s.Store.Objects(ctx, collectionID, see, f)
}

func (s timedStore) SearchObjects(ctx context.Context, scope map[string]isachub.Visibility, q isachub.SearchQuery) (*isachub.SearchPage, error) {
	defer s.observe("search_objects", time.Now())
	return s.Store.SearchObjects(ctx, scope, q)
}

func (s timedStore) TokenByHash(ctx context.Context, hash []byte) (*isachub.Token, error) {
	defer s.observe("token_by_hash", time.Now())
	return s.Store.TokenByHash(ctx, hash)
}

func (s timedStore) SessionByHash(ctx context.Context, hash []byte) (*isachub.Session, error) {
	defer s.observe("session_by_hash", time.Now())
	return s.Store.SessionByHash(ctx, hash)
}
