package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/pattern"
	"github.com/isachub/isachub/publish"
	"github.com/isachub/isachub/stix"
)

// Sightings from a match (issue 10, section 4): with record_sightings=true
// and collection=ID, the hits become one STIX sighting per indicator that
// fired (STIX 2.1 section 5.7), published for the caller's organisation
// into that collection through the one publishing path (validated,
// moderated where the collection is, anonymous when the token or
// X-Isachub-Anonymous asks): count is the number of events it fired on,
// first_seen and last_seen the events' times (the request's time for an
// event without one). Each sighting is marked with its indicator's TLP, so
// that it says no more than its indicator to anyone: a sighting of a RED
// indicator is refused in a collection open to every member, and the
// refusal is in the answer's status.

// sightingsTarget returns the collection the caller asked the match's
// sightings published into, nil when it did not ask; a collection it may
// not write is the error writableCollection gives.
func (s *Server) sightingsTarget(r *http.Request, c *caller) (*isachub.Collection, error) {
	q := r.URL.Query()
	switch v := q.Get("record_sightings"); v {
	case "", "false":
		if q.Has("collection") {
			return nil, isachub.Errorf(isachub.EINVALID, "collection names where record_sightings=true publishes the sightings; it is not a filter of the match.")
		}
		return nil, nil
	case "true":
	default:
		return nil, isachub.Errorf(isachub.EINVALID, "record_sightings is true or false, not %q.", clip(v))
	}
	id := q.Get("collection")
	if id == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "record_sightings=true needs collection=ID: the collection the sightings are published into.")
	}
	_, coll, err := s.writableCollection(r.Context(), c, r.PathValue("root"), id)
	return coll, err
}

// sightingTally is what the hits of one request say of each indicator.
type sightingTally struct {
	order []string
	by    map[string]*sightingCount
}

type sightingCount struct {
	count       int
	first, last time.Time
	level       stix.TLP
}

func newSightingTally() *sightingTally { return &sightingTally{by: map[string]*sightingCount{}} }

// add counts one event on which the indicator fired.
func (t *sightingTally) add(id string, level stix.TLP, obs []*pattern.Observation) {
	c := t.by[id]
	if c == nil {
		c = &sightingCount{level: level}
		t.by[id] = c
		t.order = append(t.order, id)
	}
	c.count++
	for _, o := range obs {
		for _, at := range []time.Time{o.FirstObserved, o.LastObserved} {
			if at.IsZero() {
				continue
			}
			if c.first.IsZero() || at.Before(c.first) {
				c.first = at
			}
			if at.After(c.last) {
				c.last = at
			}
		}
	}
}

// recordSightings publishes the tally's sightings into coll and puts the
// status in res.
func (s *Server) recordSightings(r *http.Request, c *caller, coll *isachub.Collection, t *sightingTally, res *matchResult) error {
	now := s.now().UTC()
	stamp := func(at time.Time) string { return at.UTC().Format("2006-01-02T15:04:05.000Z") }
	comm, err := s.community(r.Context(), c, r.PathValue("root"))
	if err != nil {
		return err
	}
	sub := &publish.Submission{Community: comm, Collection: coll, Org: c.org, Reader: c.reader(), Requested: now}
	sub.Anonymous = isachub.Anonymous(c.token, coll, requestedAnonymous(r.Header.Get(HeaderAnonymous)))
	c.anonymous = sub.Anonymous
	for i, id := range slices.Sorted(slices.Values(t.order)) {
		n := t.by[id]
		first, last := n.first, n.last
		if first.IsZero() {
			first, last = now, now
		}
		var b strings.Builder
		fmt.Fprintf(&b, `{"type":"sighting","spec_version":"2.1","id":"sighting--%s","created":%q,"modified":%q,"sighting_of_ref":%q,"count":%d,"first_seen":%q,"last_seen":%q`,
			uuid.NewString(), stamp(now), stamp(now), id, n.count, stamp(first), stamp(last))
		if !sub.Anonymous && c.org.IdentityID != "" {
			fmt.Fprintf(&b, `,"created_by_ref":%q,"where_sighted_refs":[%q]`, c.org.IdentityID, c.org.IdentityID)
		}
		if m := stix.TLPMarkingID(n.level); m != "" {
			fmt.Fprintf(&b, `,"object_marking_refs":[%q]`, m)
		}
		b.WriteString("}")
		item := publish.Item{Path: fmt.Sprintf("sighting %d (of %s)", i+1, id)}
		if item.Object, err = stix.ParseObject([]byte(b.String())); err != nil {
			return err
		}
		sub.Items = append(sub.Items, item)
	}
	if len(sub.Items) == 0 {
		return nil
	}
	out, err := publish.Publish(r.Context(), s.store, s.log, sub)
	if err != nil {
		return err
	}
	st := statusResource(out.Status)
	res.Sightings, res.WithdrawalHandle = &st, out.WithdrawalHandle
	return nil
}
