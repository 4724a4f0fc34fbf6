package server_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/isachub/isachub/server"
)

// sseEvent is one Server-Sent Event.
type sseEvent struct{ id, event, data string }

// openStream connects to a feed's stream and returns its events as they
// come; cancel closes it.
func (h *feedHub) openStream(t *testing.T, user, feedID, lastID string) (<-chan sseEvent, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, h.srv.URL+root+"feeds/"+feedID+"/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer "+h.tokens[user])
	r.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		r.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 100)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.event != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				if ev.data != "" {
					ev.data += "\n"
				}
				ev.data += line[6:]
			}
		}
	}()
	return out, cancel
}

func next(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return sseEvent{}
}

func none(t *testing.T, events <-chan sseEvent) {
	t.Helper()
	select {
	case ev := <-events:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(1500 * time.Millisecond):
	}
}

func TestFeedStream(t *testing.T) { forBackends(t, testFeedStream) }

func testFeedStream(t *testing.T, newHub func(testing.TB, server.Config) *hub) {
	h := newFeedHub(t, newHub)
	events, cancel := h.openStream(t, "a-analyst", h.soc.ID, "")
	// What was there before the stream began is not sent; a malware is
	// not for the SOC feed; a new indicator is, with its exact bytes.
	h.post(t, "b-analyst", "open", envelope(`{"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000002","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"Not for the SOC","is_family":true}`))
	first := feedObject(20, "[ipv4-addr:value = '203.0.113.20']", "")
	h.post(t, "b-analyst", "open", envelope(first))
	ev := next(t, events)
	if ev.event != "object" || ev.data != first || ev.id == "" {
		t.Fatalf("event %+v", ev)
	}
	cancel()
	// Missed while disconnected, then resumed with Last-Event-ID.
	second := feedObject(21, "[ipv4-addr:value = '203.0.113.21']", "")
	h.post(t, "b-analyst", "open", envelope(second))
	events, cancel = h.openStream(t, "a-analyst", h.soc.ID, ev.id)
	defer cancel()
	if ev := next(t, events); ev.data != second {
		t.Fatalf("resumed with %+v", ev)
	}
	none(t, events)
	t.Run("ErrOthers", func(t *testing.T) {
		for _, user := range []string{"b-analyst", "x-analyst"} {
			res := h.do(t, req{path: root + "feeds/" + h.soc.ID + "/stream", user: user, accept: "text/event-stream"})
			if res.status != http.StatusNotFound {
				t.Errorf("%s: %d", user, res.status)
			}
		}
		res := h.do(t, req{path: root + "feeds/" + h.soc.ID + "/stream", user: "a-analyst", accept: "text/event-stream", header: http.Header{"Last-Event-ID": {"nonsense"}}})
		if res.status != http.StatusBadRequest {
			t.Errorf("a bad Last-Event-ID: %d", res.status)
		}
	})
	t.Run("OKHiddenNeverSent", func(t *testing.T) {
		// c sees only the open collection: the restricted one's new
		// indicator reaches a (who reads both) and not c.
		cEvents, cCancel := h.openStream(t, "c-analyst", h.all.ID, "")
		defer cCancel()
		aEvents, aCancel := h.openStream(t, "a-analyst", h.all.ID, "")
		defer aCancel()
		hidden := feedObject(22, "[ipv4-addr:value = '203.0.113.22']", "")
		h.post(t, "a-analyst", "restricted", envelope(hidden))
		if ev := next(t, aEvents); ev.data != hidden {
			t.Errorf("a: %+v", ev)
		}
		none(t, cEvents)
	})
}
