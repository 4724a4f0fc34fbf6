package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/server"
)

// TestMetricsPeers: /metrics shows each subscription's state, read from
// the store at the scrape (so every replica shows the same), labelled by
// community, peer, direction and subscription: the last success and run
// as Unix times, the lag, whether the last run failed, and the objects
// moved and refused; never the peer's credential, nor its name.
func TestMetricsPeers(t *testing.T) {
	f := newFederated(t)
	scrape := func(h *hub) string {
		t.Helper()
		resp := h.do(t, req{path: "/metrics", accept: "-"})
		if resp.status != http.StatusOK {
			t.Fatalf("GET /metrics = %d", resp.status)
		}
		return string(resp.body)
	}
	text := scrape(f.hub)
	labels := func(s string, dir string) string {
		return `{community="acme-isac",direction="` + dir + `",peer="` + f.peer.ID + `",subscription="` + s + `"}`
	}
	pull, broken, push := labels(f.pull.ID, "pull"), labels(f.broken.ID, "pull"), labels(f.push.ID, "push")
	for _, want := range []string{
		"isachub_federation_status_up 1",
		"# TYPE isachub_federation_last_success_timestamp_seconds gauge",
		"# TYPE isachub_federation_objects_moved_total counter",
		"isachub_federation_last_run_failed" + pull + " 0",
		"isachub_federation_last_run_failed" + broken + " 1",
		"isachub_federation_last_run_failed" + push + " 0",
		"isachub_federation_last_success_timestamp_seconds" + broken + " 0",
		"isachub_federation_objects_moved_total" + pull + " 1",
		"isachub_federation_objects_refused_total" + pull + " 0",
		"isachub_federation_objects_moved_total" + push + " 0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, f.peer.Name) {
		t.Error("/metrics names the peer")
	}
	for _, secret := range f.credentialTexts() {
		if strings.Contains(text, secret) {
			t.Error("/metrics shows the peer's credential")
		}
	}
	value := func(text, name string) float64 {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(name) + ` (\S+)`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("/metrics lacks %s", name)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	subs, err := f.store.Subscriptions(context.Background(), f.peer.ID)
	if err != nil {
		t.Fatal(err)
	}
	success := value(text, "isachub_federation_last_success_timestamp_seconds"+pull)
	if want := float64(subs[0].LastSuccess.UnixMicro()) / 1e6; success != want {
		t.Errorf("the pull's last success is %v, want %v", success, want)
	}
	if run := value(text, "isachub_federation_last_run_timestamp_seconds"+broken); run < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("the broken pull's last run is %v", run)
	}
	if lag := value(text, "isachub_federation_lag_seconds"+pull); lag < 0 || lag > 60 {
		t.Errorf("the pull's lag is %v s", lag)
	}

	// another replica over the same store reports the same state
	other := newHubOn(t, server.Config{}, f.store)
	if got := value(scrape(other), "isachub_federation_objects_moved_total"+pull); got != 1 {
		t.Errorf("another replica reports %v moved", got)
	}
}
