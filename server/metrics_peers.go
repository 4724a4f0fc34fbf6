package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/isachub/isachub"
)

// peerCollector reports the state of every subscription of every
// community (issue 14), read from the store at each scrape as the queues
// are, so that every replica shows the same. Its labels are the
// community's slug, the peer's id (not its name: that a community
// federates with a named ISAC is staff business, and /metrics answers
// anyone who reaches it unless ISACHUB_METRICS_TOKEN is set; the staff's
// Federation page and admin peer list name the id), the direction and the
// subscription's id: their number is the operator's (one series per
// subscription), never the requests'.
type peerCollector struct {
	store isachub.Store
	log   func(msg string, args ...any)
	now   func() time.Time
}

var (
	peerLabels        = []string{"community", "peer", "direction", "subscription"}
	descPeerLastSuccs = prometheus.NewDesc("isachub_federation_last_success_timestamp_seconds",
		"When the subscription last ran without an error, as a Unix time; 0 when it never did.", peerLabels, nil)
	descPeerLastRun = prometheus.NewDesc("isachub_federation_last_run_timestamp_seconds",
		"When the subscription last ran, as a Unix time; 0 when it never ran.", peerLabels, nil)
	descPeerLag = prometheus.NewDesc("isachub_federation_lag_seconds",
		"Seconds since the subscription's last success (since it was made when it never succeeded), at this scrape.", peerLabels, nil)
	descPeerFailed = prometheus.NewDesc("isachub_federation_last_run_failed",
		"1 when the subscription's last run ended with an error, 0 otherwise.", peerLabels, nil)
	descPeerMoved = prometheus.NewDesc("isachub_federation_objects_moved_total",
		"Objects the subscription stored (a pull) or the peer accepted (a push), over all its runs.", peerLabels, nil)
	descPeerRefused = prometheus.NewDesc("isachub_federation_objects_refused_total",
		"Objects the subscription refused (a pull) or the peer refused (a push), over all its runs.", peerLabels, nil)
	descPeersUp = prometheus.NewDesc("isachub_federation_status_up",
		"1 when the store answered the subscriptions' state at this scrape, 0 when it did not.", nil, nil)
)

// Describe sends the descriptions of the federation gauges.
func (c *peerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPeerLastSuccs, descPeerLastRun, descPeerLag, descPeerFailed, descPeerMoved, descPeerRefused, descPeersUp} {
		ch <- d
	}
}

// Collect reads every community's subscriptions, within 5 seconds; a
// store that does not answer shows as isachub_federation_status_up 0,
// without the rest.
func (c *peerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var ms []prometheus.Metric
	err := c.collect(ctx, func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		ms = append(ms, prometheus.MustNewConstMetric(d, t, v, labels...))
	})
	if err != nil {
		c.log("reading the subscriptions for /metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(descPeersUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descPeersUp, prometheus.GaugeValue, 1)
	for _, m := range ms {
		ch <- m
	}
}

func (c *peerCollector) collect(ctx context.Context, emit func(*prometheus.Desc, prometheus.ValueType, float64, ...string)) error {
	comms, err := c.store.Communities(ctx)
	if err != nil {
		return err
	}
	now := c.now()
	for _, comm := range comms {
		states, err := peerStates(ctx, c.store, comm.ID)
		if err != nil {
			return err
		}
		for _, ps := range states {
			for _, s := range ps.Subs {
				l := []string{comm.Slug, ps.Peer.ID, string(s.Direction), s.ID}
				failed := 0.0
				if s.LastError != "" {
					failed = 1
				}
				emit(descPeerLastSuccs, prometheus.GaugeValue, unixSeconds(s.LastSuccess), l...)
				emit(descPeerLastRun, prometheus.GaugeValue, unixSeconds(s.LastRun), l...)
				emit(descPeerLag, prometheus.GaugeValue, subscriptionLag(s, now).Seconds(), l...)
				emit(descPeerFailed, prometheus.GaugeValue, failed, l...)
				emit(descPeerMoved, prometheus.CounterValue, float64(s.Moved), l...)
				emit(descPeerRefused, prometheus.CounterValue, float64(s.Refused), l...)
			}
		}
	}
	return nil
}

// unixSeconds is t as a Unix time in seconds, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMicro()) / 1e6
}
