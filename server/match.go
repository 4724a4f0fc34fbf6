package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
)

// The matching API (issue 10, section 4): POST /{root}/match with ECS
// events as JSON lines (application/x-ndjson), or a TAXII envelope of
// observed-data (application/taxii+json;version=2.1), answers which of
// the community's indicators that the caller may see fire on each event.
// It uses the server's index of every indicator version (iocIndex, the
// pattern package's index, as isachub match and the UI's IOC look-up
// use), refreshed incrementally once per request; each version that fires
// counts only when the store, asked with the caller's Visibility, answers
// it as the latest version of its indicator the caller may see, not
// revoked and not past valid_until (matchVerifier): a hidden, replaced,
// revoked, expired or deleted version never answers.

// matchHit is one indicator that fired on one event.
type matchHit struct {
	Event     int    `json:"event"` // the input's line (or envelope object), from 1
	Indicator string `json:"indicator"`
	Name      string `json:"name"`
	Pattern   string `json:"pattern"`
	TLP       string `json:"tlp"`
}

// matchError is an event that could not be read.
type matchError struct {
	Event int    `json:"event"`
	Error string `json:"error"`
}

type matchResult struct {
	Hits   []matchHit   `json:"hits"`
	Events int          `json:"events"`
	Errors []matchError `json:"errors,omitempty"`
}

// mediaNDJSON is the media type of JSON lines.
const mediaNDJSON = "application/x-ndjson"

func (s *Server) handleMatch(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != mediaNDJSON && !taxii.IsTAXII21ContentType(ct) {
		return isachub.Errorf(eUnsupportedMedia, "A POST to match takes %s (ECS events, one per line) or %s (observed-data), not %q.", mediaNDJSON, taxii.MediaTypeTAXII21, clip(ct))
	}
	body, err := readBody(w, r, s.maxContentLength(comm.MaxContentLength))
	if err != nil {
		return err
	}
	colls, err := s.store.Collections(r.Context(), comm.ID)
	if err != nil {
		return err
	}
	res := matchResult{Hits: []matchHit{}}
	events, err := matchEvents(mt == mediaNDJSON, body, s.cfg.MaxEnvelopeObjects, &res)
	if err != nil {
		return err
	}
	if err := s.ioc.update(r.Context(), s.store, colls); err != nil {
		return err
	}
	v := newMatchVerifier(s, c.reader(), colls)
	for _, ev := range events {
		seen := map[string]bool{}
		for _, h := range s.ioc.lookup(ev.obs...) {
			fired, err := v.fired(r.Context(), h)
			if err != nil {
				return err
			}
			if fired == nil || seen[h.id] {
				continue
			}
			seen[h.id] = true
			res.Hits = append(res.Hits, matchHit{Event: ev.n, Indicator: h.id, Name: fired.name, Pattern: fired.pattern, TLP: fired.tlp})
		}
	}
	body, err = json.Marshal(res)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

// matchEvent is one event of a match request.
type matchEvent struct {
	n   int
	obs []*pattern.Observation
}

// matchEvents reads the events of a match request: JSON lines, each an
// ECS event (or a STIX bundle or observed-data, as isachub match takes),
// numbered by line; or an envelope whose observed-data are each an event,
// numbered by their place among the envelope's objects. An event that
// cannot be read is reported in res.Errors with its number, and the
// others are matched. res.Events counts the events read.
func matchEvents(lines bool, body []byte, maxObjects int, res *matchResult) ([]matchEvent, error) {
	var events []matchEvent
	if lines {
		n := 0
		for line := range bytes.Lines(body) {
			n++
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			obs, err := pattern.ParseEvent(line)
			if err != nil {
				res.Errors = append(res.Errors, matchError{Event: n, Error: err.Error()})
				continue
			}
			events = append(events, matchEvent{n: n, obs: obs})
		}
		res.Events = len(events)
		return events, nil
	}
	elems, err := taxii.ReadEnvelope(body, maxObjects)
	var tooMany *taxii.TooManyObjectsError
	if errors.As(err, &tooMany) {
		return nil, isachub.Errorf(isachub.ETOOLARGE, "%s.", upperFirst(err.Error()))
	} else if err != nil {
		return nil, isachub.Errorf(eUnprocessable, "%s.", upperFirst(err.Error()))
	}
	var objs []*stix.Object
	for _, e := range elems {
		if e.Object != nil {
			objs = append(objs, e.Object)
		}
	}
	for i, e := range elems {
		if e.Object == nil {
			res.Errors = append(res.Errors, matchError{Event: i + 1, Error: e.Message})
			continue
		}
		if e.Object.Type() != "observed-data" {
			continue
		}
		obs, err := pattern.ObservationsFromObjects(append([]*stix.Object{e.Object}, objs...))
		if err != nil || len(obs) == 0 {
			msg := "not an observation"
			if err != nil {
				msg = err.Error()
			}
			res.Errors = append(res.Errors, matchError{Event: i + 1, Error: msg})
			continue
		}
		events = append(events, matchEvent{n: i + 1, obs: obs[:1]})
	}
	res.Events = len(events)
	return events, nil
}

// matchVerifier decides, once per indicator of a request, whether a
// version that fired is what the caller sees of it.
type matchVerifier struct {
	s     *Server
	r     isachub.Reader
	colls map[string]*isachub.Collection
	now   time.Time
	seen  map[[2]string]*verified // (collection, id) -> the latest visible version; nil: none
}

// verified is the latest version of an indicator the caller may see.
type verified struct {
	version, name, pattern, tlp string
	active                      bool // not revoked, not past valid_until
}

func newMatchVerifier(s *Server, r isachub.Reader, colls []*isachub.Collection) *matchVerifier {
	v := &matchVerifier{s: s, r: r, colls: map[string]*isachub.Collection{}, now: s.now(), seen: map[[2]string]*verified{}}
	for _, c := range colls {
		if r.MayOpen(c) {
			v.colls[c.ID] = c
		}
	}
	return v
}

// fired returns what the caller sees of the hit's indicator when the
// version that fired is it and is active, and nil otherwise.
func (v *matchVerifier) fired(ctx context.Context, h iocMeta) (*verified, error) {
	c := v.colls[h.collectionID]
	if c == nil {
		return nil, nil // a collection the caller may not open
	}
	k := [2]string{h.collectionID, h.id}
	got, ok := v.seen[k]
	if !ok {
		page, err := v.s.store.Objects(ctx, c.ID, v.r.Visibility(c), isachub.ObjectFilter{IDs: []string{h.id}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(page.Objects) > 0 {
			ov := page.Objects[0]
			if o, err := stix.ParseObject(ov.Raw); err == nil {
				got = &verified{version: ov.Version(), name: o.String("name"), pattern: o.String("pattern"),
					tlp: isachub.CollectionTLP(c, ov.TLP).String(), active: !ov.Revoked && !isachub.Expired(o, v.now)}
			}
		}
		v.seen[k] = got
	}
	if got == nil || !got.active || got.version != h.version {
		return nil, nil
	}
	return got, nil
}
