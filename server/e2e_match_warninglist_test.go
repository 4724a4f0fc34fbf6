package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/server"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/warninglist"
)

// TestMatchWarninglists: an indicator that fires on an event only
// because of the event's values on a warninglist (shipped, or loaded
// from an operator's file) is flagged with the lists and the values; with
// warninglists=drop it is left out and counted, and no sighting is
// recorded for it; warninglists=off checks nothing. What is flagged or
// counted is only what the caller may see.
func TestMatchWarninglists(t *testing.T) {
	top, err := warninglist.Load("top-sites", strings.NewReader(".wikipedia.org\n"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := warninglist.NewSet(append(warninglist.Default().Lists(), top)...)
	if err != nil {
		t.Fatal(err)
	}
	h := newHub(t, server.Config{Warninglists: set})
	h.post(t, "a-analyst", "open", envelope(
		feedObject(1, "[network-traffic:dst_ref.value = '8.8.8.8' AND network-traffic:dst_port = 53]", ""),
		feedObject(2, "[ipv4-addr:value = '185.220.101.1']", ""),
		feedObject(3, "[domain-name:value LIKE '%wikipedia.org']", ""),
	))
	h.post(t, "a-analyst", "restricted", envelope(feedObject(4, "[ipv4-addr:value = '10.9.9.9']", marked(stix.TLPAmber))))
	// The private source address of events 1 and 2 is on rfc1918-private,
	// but no indicator fires on it: only event 1's resolver is named.
	events := `{"source":{"ip":"10.0.0.5"},"destination":{"ip":"8.8.8.8","port":53}}
{"source":{"ip":"10.0.0.5"},"destination":{"ip":"185.220.101.1"}}
{"dns":{"question":{"name":"en.wikipedia.org"}}}
{"source":{"ip":"10.9.9.9"}}
`
	type answer struct {
		Hits []struct {
			Event             int
			Indicator         string
			Warninglist       []string
			WarninglistReason string `json:"warninglist_reason"`
		}
		Dropped int `json:"warninglist_dropped"`
	}
	match := func(t *testing.T, user, query string) answer {
		t.Helper()
		res := h.do(t, req{method: http.MethodPost, path: root + "match?" + query, user: user, contentType: "application/x-ndjson", body: []byte(events), accept: "application/json"})
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d %s", query, res.status, res.body)
		}
		var a answer
		if err := json.Unmarshal(res.body, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	summary := func(a answer) []string {
		var out []string
		for _, hit := range a.Hits {
			out = append(out, strings.TrimSpace(hit.Indicator+" "+strings.Join(hit.Warninglist, ",")+" "+hit.WarninglistReason))
		}
		return out
	}
	t.Run("OKFlag", func(t *testing.T) {
		a := match(t, "a-analyst", "")
		want := []string{
			indicatorID(1) + " google-public-dns ipv4 8.8.8.8 is on the warninglist google-public-dns",
			indicatorID(2),
			indicatorID(3) + " top-sites domain en.wikipedia.org is on the warninglist top-sites",
			indicatorID(4) + " rfc1918-private ipv4 10.9.9.9 is on the warninglist rfc1918-private",
		}
		if got := summary(a); !slices.Equal(got, want) || a.Dropped != 0 {
			t.Errorf("got %q (dropped %d), want %q", got, a.Dropped, want)
		}
		if b := match(t, "a-analyst", "warninglists=flag"); !slices.Equal(summary(b), want) {
			t.Errorf("warninglists=flag: %q", summary(b))
		}
	})
	t.Run("OKDrop", func(t *testing.T) {
		a := match(t, "a-analyst", "warninglists=drop")
		if got := summary(a); !slices.Equal(got, []string{indicatorID(2)}) || a.Dropped != 3 {
			t.Errorf("got %q, dropped %d", got, a.Dropped)
		}
	})
	t.Run("OKOff", func(t *testing.T) {
		a := match(t, "a-analyst", "warninglists=off")
		if got := summary(a); !slices.Equal(got, []string{indicatorID(1), indicatorID(2), indicatorID(3), indicatorID(4)}) {
			t.Errorf("got %q", got)
		}
	})
	t.Run("OKOnlyWhatTheCallerSees", func(t *testing.T) {
		// c may not open restricted: indicator 4 is neither answered nor
		// counted among the dropped.
		a := match(t, "c-analyst", "warninglists=drop")
		if got := summary(a); !slices.Equal(got, []string{indicatorID(2)}) || a.Dropped != 2 {
			t.Errorf("got %q, dropped %d", got, a.Dropped)
		}
	})
	t.Run("OKDropRecordsNoSighting", func(t *testing.T) {
		match(t, "a-analyst", "warninglists=drop&record_sightings=true&collection="+h.colls["open"].ID)
		p, err := h.store.Objects(t.Context(), h.colls["open"].ID, isachub.Unrestricted(), isachub.ObjectFilter{Types: []string{"sighting"}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var of []string
		for _, v := range p.Objects {
			o, err := stix.ParseObject(v.Raw)
			if err != nil {
				t.Fatal(err)
			}
			of = append(of, o.String("sighting_of_ref"))
		}
		if !slices.Equal(of, []string{indicatorID(2)}) {
			t.Errorf("sightings of %q, want only %s", of, indicatorID(2))
		}
	})
	t.Run("ErrMode", func(t *testing.T) {
		res := h.do(t, req{method: http.MethodPost, path: root + "match?warninglists=yes", user: "a-analyst", contentType: "application/x-ndjson", body: []byte(events), accept: "application/json"})
		if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "flag (the default), drop or off") {
			t.Errorf("%d %s", res.status, res.body)
		}
	})
}
