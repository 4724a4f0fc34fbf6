package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/stix"
	"github.com/isachub/isachub/taxii"
	"github.com/isachub/isachub/warninglist"
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
	// Warninglist names the warninglists of the event's values the
	// indicator fired on, when it fired on nothing else, and
	// WarninglistReason says which values (warninglists=flag, the
	// default).
	Warninglist       []string `json:"warninglist,omitempty"`
	WarninglistReason string   `json:"warninglist_reason,omitempty"`
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
	// WarninglistDropped counts the hits left out with
	// warninglists=drop.
	WarninglistDropped int `json:"warninglist_dropped,omitempty"`
	// Sightings is the status of the sightings published for the hits
	// (record_sightings=true), with the withdrawal handle when they were
	// published anonymously.
	Sightings        *taxii.Status `json:"sightings,omitempty"`
	WithdrawalHandle string        `json:"x_isachub_withdrawal_handle,omitempty"`
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
	record, err := s.sightingsTarget(r, c)
	if err != nil {
		return err
	}
	warn, err := s.matchWarnings(r)
	if err != nil {
		return err
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
	// Look-ups run side by side on every core; the checks with the store
	// and the answer follow the input's order.
	lookups := make([][]iocMeta, len(events))
	parallelFor(len(events), func(i int) { lookups[i] = s.ioc.lookup(events[i].obs...) })
	v := newMatchVerifier(s, c.reader(), colls)
	if err := v.prefetch(r.Context(), lookups); err != nil {
		return err
	}
	sighted := newSightingTally()
	for i, ev := range events {
		seen := map[string]bool{}
		var checked *warninglist.Event // once an indicator the caller sees fires
		for _, h := range lookups[i] {
			fired, err := v.fired(r.Context(), h)
			if err != nil {
				return err
			}
			if fired == nil || seen[h.id] {
				continue
			}
			seen[h.id] = true
			hit := matchHit{Event: ev.n, Indicator: h.id, Name: fired.name, Pattern: fired.pattern, TLP: fired.tlp}
			if checked == nil {
				checked = warn.event(ev.obs)
			}
			if warned, drop := warn.check(checked, fired.pattern); drop {
				res.WarninglistDropped++
				continue
			} else if warned != nil {
				hit.flag(warned)
			}
			res.Hits = append(res.Hits, hit)
			sighted.add(h.id, fired.level, ev.obs)
		}
	}
	if record != nil {
		if err := s.recordSightings(r, c, record, sighted, &res); err != nil {
			return err
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
		var all [][]byte
		for line := range bytes.Lines(body) {
			all = append(all, line)
		}
		parsed := make([]matchEvent, len(all))
		errs := make([]error, len(all))
		parallelFor(len(all), func(i int) {
			if len(bytes.TrimSpace(all[i])) > 0 {
				parsed[i].obs, errs[i] = pattern.ParseEvent(all[i])
			}
		})
		for i := range all {
			switch {
			case errs[i] != nil:
				res.Errors = append(res.Errors, matchError{Event: i + 1, Error: errs[i].Error()})
			case parsed[i].obs != nil:
				events = append(events, matchEvent{n: i + 1, obs: parsed[i].obs})
			}
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
	level                       stix.TLP // tlp's level
	active                      bool     // not revoked, not past valid_until
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
	if _, ok := v.seen[k]; !ok {
		if err := v.read(ctx, c, []string{h.id}); err != nil {
			return nil, err
		}
	}
	got := v.seen[k]
	if got == nil || !got.active || got.version != h.version {
		return nil, nil
	}
	return got, nil
}

// prefetch reads the latest visible version of every indicator that
// fired, a few hundred ids per query.
func (v *matchVerifier) prefetch(ctx context.Context, lookups [][]iocMeta) error {
	ids := map[string][]string{} // collection -> ids
	for _, hits := range lookups {
		for _, h := range hits {
			k := [2]string{h.collectionID, h.id}
			if _, ok := v.seen[k]; ok || v.colls[h.collectionID] == nil {
				continue
			}
			v.seen[k] = nil
			ids[h.collectionID] = append(ids[h.collectionID], h.id)
		}
	}
	for coll, list := range ids {
		for len(list) > 0 {
			part := list[:min(len(list), 500)]
			list = list[len(part):]
			if err := v.read(ctx, v.colls[coll], part); err != nil {
				return err
			}
		}
	}
	return nil
}

// read records the latest version the caller may see of each id in c
// (none: nil).
func (v *matchVerifier) read(ctx context.Context, c *isachub.Collection, ids []string) error {
	for _, id := range ids {
		v.seen[[2]string{c.ID, id}] = nil
	}
	f := isachub.ObjectFilter{IDs: ids, Limit: isachub.MaxPageSize}
	for {
		page, err := v.s.store.Objects(ctx, c.ID, v.r.Visibility(c), f)
		if err != nil {
			return err
		}
		for _, ov := range page.Objects {
			if o, err := stix.ParseObject(ov.Raw); err == nil {
				level := isachub.CollectionTLP(c, ov.TLP)
				v.seen[[2]string{c.ID, ov.ID}] = &verified{version: ov.Version(), name: o.String("name"), pattern: o.String("pattern"),
					tlp: level.String(), level: level, active: !ov.Revoked && !isachub.Expired(o, v.now)}
			}
		}
		if !page.More {
			return nil
		}
		f.Next = page.Next
	}
}

// parallelFor calls fn(i) for every i below n, on as many goroutines as
// there are cores, each taking a run of consecutive i. A panic in fn is
// raised again in the caller's goroutine, where the handler's adapter
// turns it into a 500, rather than ending the process.
func parallelFor(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+255)/256)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var once sync.Once
	var raised any
	per := (n + workers - 1) / workers
	for w := range workers {
		wg.Add(1)
		go func(from, to int) {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					once.Do(func() { raised = fmt.Sprintf("%v\n%s", v, debug.Stack()) })
				}
			}()
			for i := from; i < to; i++ {
				fn(i)
			}
		}(w*per, min(n, (w+1)*per))
	}
	wg.Wait()
	if raised != nil {
		panic(raised)
	}
}
