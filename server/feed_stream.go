package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// The live stream of a feed (issue 10, section 3): GET
// /{root}/feeds/{id}/stream answers Server-Sent Events (the WHATWG HTML
// standard, section 9.2), one event "object" per version the feed
// selects, as it arrives, with the feed's filter and the caller's rights
// (the same isachub.ReadFeed over Reader.FeedSources as the feed's TAXII
// collection). Each event's id is a feed cursor: a client that reconnects
// with Last-Event-ID resumes just after the last event it received, and
// one that starts without it gets what arrives from then on (since=T
// starts after the instant T instead). A comment line every
// streamHeartbeat keeps proxies from closing an idle stream. The stream
// reads the store again when this replica stores objects, and at least
// every streamPoll for what other replicas store.

const (
	streamHeartbeat = 15 * time.Second
	streamPoll      = time.Second
)

// changes wakes the streams when this replica stores objects, and ends
// them when the server shuts down.
type changes struct {
	mu      sync.Mutex
	ch      chan struct{}
	stopped chan struct{}
	stop    sync.Once
}

// done returns a channel closed when the streams must end.
func (c *changes) done() <-chan struct{} { return c.stopChan() }

func (c *changes) stopChan() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped == nil {
		c.stopped = make(chan struct{})
	}
	return c.stopped
}

// Changed returns a channel closed the next time this server stores
// objects: what wakes the live streams, and the webhooks (push.Sender.Wake).
func (s *Server) Changed() <-chan struct{} { return s.changes.wait() }

// StopStreams ends every live stream (their clients reconnect, with
// Last-Event-ID, to another replica or after the restart), so that a
// graceful shutdown (http.Server.RegisterOnShutdown) does not wait for
// them.
func (s *Server) StopStreams() {
	done := s.changes.stopChan()
	s.changes.stop.Do(func() { close(done) })
}

// wait returns a channel closed at the next change.
func (c *changes) wait() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

// notify wakes every waiting stream.
func (c *changes) notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
}

func (s *Server) handleFeedStream(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	fd, err := s.feed(r.Context(), c, comm, r.PathValue("id"))
	if err != nil {
		return isachub.Errorf(isachub.ENOTFOUND, "There is no feed %q in this API root.", clip(r.PathValue("id")))
	}
	cursor := isachub.FeedCursor(s.now())
	switch {
	case r.Header.Get("Last-Event-ID") != "":
		cursor = r.Header.Get("Last-Event-ID")
	case r.URL.Query().Get("since") != "":
		t, err := parseSince(r.URL.Query().Get("since"))
		if err != nil {
			return err
		}
		cursor = isachub.FeedCursor(t)
	}
	// A cursor that does not parse is refused before the stream starts.
	if err := isachub.CheckFeedCursor(cursor); err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "retry: %d\n\n", streamPoll.Milliseconds())
	heartbeat := time.NewTimer(streamHeartbeat)
	defer heartbeat.Stop()
	for {
		wake := s.changes.wait()
		for {
			p, err := s.readFeed(r.Context(), c, fd, isachub.ObjectFilter{Next: cursor, Limit: isachub.DefaultPageSize})
			if err != nil {
				if r.Context().Err() != nil {
					return nil
				}
				s.log.Error("feed stream", "feed", fd.ID, "err", err)
				panic(http.ErrAbortHandler) // the client reconnects with Last-Event-ID
			}
			for i, v := range p.Objects {
				writeStreamEvent(bw, objectCursor(p, i), v.Raw)
			}
			if p.Position != "" {
				cursor = p.Position
			}
			if !p.More {
				break
			}
		}
		if err := flush(bw, rc); err != nil {
			return nil // the client went away
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-s.changes.done():
			return nil
		case <-wake:
		case <-time.After(streamPoll):
		case <-heartbeat.C:
			bw.WriteString(": heartbeat\n\n")
			heartbeat.Reset(streamHeartbeat)
		}
	}
}

// objectCursor is the event id of the page's i-th object: the position
// just after it.
func objectCursor(p *isachub.FeedPage, i int) string {
	if i == len(p.Objects)-1 && !p.More {
		return p.Position
	}
	return isachub.FeedObjectCursor(p.Objects[i])
}

// writeStreamEvent writes one "object" event. The data is the object's
// JSON as stored, one data line per line of it; an object whose JSON
// holds a carriage return (which SSE takes as a line end) is sent
// compacted.
func writeStreamEvent(bw *bufio.Writer, id string, raw []byte) {
	if bytes.IndexByte(raw, '\r') >= 0 {
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			raw = b.Bytes()
		}
	}
	fmt.Fprintf(bw, "id: %s\nevent: object\n", id)
	for line := range bytes.Lines(raw) {
		bw.WriteString("data: ")
		bw.Write(bytes.TrimSuffix(line, []byte("\n")))
		bw.WriteByte('\n')
	}
	bw.WriteByte('\n')
}

func flush(bw *bufio.Writer, rc *http.ResponseController) error {
	if err := bw.Flush(); err != nil {
		return err
	}
	return rc.Flush()
}

// notifyingStore is the server's store: it wakes the live streams when
// objects are stored through this replica.
type notifyingStore struct {
	isachub.Store
	changes *changes
}

func (n notifyingStore) AddObjects(ctx context.Context, collectionID string, orgID int64, objs []*stix.Object) ([]isachub.AddResult, error) {
	res, err := n.Store.AddObjects(ctx, collectionID, orgID, objs)
	n.changes.notify()
	return res, err
}

func (n notifyingStore) AddAnonymous(ctx context.Context, collectionID string, objs []*stix.Object, rec *isachub.AnonymousSubmission) ([]isachub.AddResult, error) {
	res, err := n.Store.AddAnonymous(ctx, collectionID, objs, rec)
	n.changes.notify()
	return res, err
}
