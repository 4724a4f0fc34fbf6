package warninglist

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/isachub/isachub/pattern"
)

// An Event is an event's observations checked against a Set, for
// matching: the values of the event that are on the set's lists. Build
// it once per event with Set.Event, then ask Fired for each indicator
// that fires on the event.
type Event struct {
	obs     []*pattern.Observation
	warned  []eventValue
	without []*pattern.Observation // obs less every warned value, built on first use
}

// eventValue is one value of an event on a list, and where it is.
type eventValue struct {
	Warning
	obs  int    // index in Event.obs
	key  string // the SCO's key in the observation's Objects
	hash string // for a file hash, the key in the SCO's hashes; "" otherwise
}

// A Warning is a value on one or more warninglists: an indicator's
// (exports) or an event's (matching).
type Warning struct {
	Kind  string // KindIPv4, ..., KindSHA256
	Value string
	Hits  []Hit
}

// Lists returns the names of the lists w.Value is on, in the set's order,
// each once.
func (w Warning) Lists() []string {
	var names []string
	for _, h := range w.Hits {
		if !slices.Contains(names, h.List) {
			names = append(names, h.List)
		}
	}
	return names
}

// String says which lists the value is on: "ipv4 10.1.2.3 is on the
// warninglist rfc1918-private", the text of the exports' comments and
// reports and of the matching API's warninglist_reason.
func (w Warning) String() string {
	return fmt.Sprintf("%s %s is on the warninglist %s", w.Kind, w.Value, strings.Join(w.Lists(), ", "))
}

// Event checks the values of an event (its observations, as
// pattern.ParseEvent returns them) that a warninglist can hold: the value
// of every ipv4-addr, ipv6-addr, domain-name, url and email-addr object,
// and the MD5, SHA-1 and SHA-256 hashes of every file and artifact
// object. The observations are not modified.
func (s *Set) Event(obs ...*pattern.Observation) *Event {
	e := &Event{obs: obs}
	for i, o := range obs {
		for _, key := range slices.Sorted(maps.Keys(o.Objects)) {
			sco := o.Objects[key]
			typ, _ := sco["type"].(string)
			switch typ {
			case "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr":
				v, _ := sco["value"].(string)
				if hits := s.Match(scoKind[typ], v); hits != nil {
					e.warned = append(e.warned, eventValue{Warning{scoKind[typ], v, hits}, i, key, ""})
				}
			case "file", "artifact":
				hashes, _ := sco["hashes"].(map[string]any)
				for _, alg := range slices.Sorted(maps.Keys(hashes)) {
					v, _ := hashes[alg].(string)
					kind := hashAlg[strings.ToUpper(alg)]
					if kind == "" {
						continue
					}
					if hits := s.Match(kind, v); hits != nil {
						e.warned = append(e.warned, eventValue{Warning{kind, strings.ToLower(v), hits}, i, key, alg})
					}
				}
			}
		}
	}
	return e
}

var scoKind = map[string]string{"ipv4-addr": KindIPv4, "ipv6-addr": KindIPv6, "domain-name": KindDomain, "url": KindURL, "email-addr": KindEmail}

var hashAlg = map[string]string{"MD5": KindMD5, "SHA-1": KindSHA1, "SHA1": KindSHA1, "SHA-256": KindSHA256, "SHA256": KindSHA256}

// Len returns the number of the event's values that are on a list.
func (e *Event) Len() int { return len(e.warned) }

// Warnings returns the event's values that are on a list, in the event's
// order, whatever fires on them.
func (e *Event) Warnings() []Warning {
	out := make([]Warning, len(e.warned))
	for i, v := range e.warned {
		out[i] = v.Warning
	}
	return out
}

// Fired returns, for an indicator's pattern p that fires on the event, the
// event's values on a warninglist that it fires on: nil when p also fires
// on the event without any of them (it fires on something else), and
// otherwise each warned value that makes p fire when it is the only
// warned value left in the event, in the event's order; when no single
// one does (p needs several), all of them. A value is taken out of the
// event by removing its object (for a hash, the hash), so that every
// reference to it resolves to nothing. p is matched as pattern.Index
// matches it: a pattern of one bracketed expression without qualifiers
// fires when one observation matches it, any other is matched against
// all the observations together.
func (e *Event) Fired(p *pattern.Pattern) []Warning {
	if len(e.warned) == 0 {
		return nil
	}
	if e.without == nil {
		e.without = e.keep(-1)
	}
	if fires(p, e.without) {
		return nil
	}
	var out []Warning
	for i, w := range e.warned {
		if fires(p, e.keep(i)) {
			out = append(out, w.Warning)
		}
	}
	if out == nil {
		for _, w := range e.warned {
			out = append(out, w.Warning)
		}
	}
	return out
}

// keep returns the observations without the warned values but the one at
// index i (-1: none). Only the observations and objects that change are
// copied.
func (e *Event) keep(i int) []*pattern.Observation {
	out := slices.Clone(e.obs)
	copied := make([]bool, len(out))
	for j, w := range e.warned {
		if j == i {
			continue
		}
		if !copied[w.obs] {
			o := *out[w.obs]
			o.Objects = maps.Clone(o.Objects)
			out[w.obs], copied[w.obs] = &o, true
		}
		objs := out[w.obs].Objects
		if w.hash == "" {
			delete(objs, w.key)
			continue
		}
		sco, ok := objs[w.key]
		if !ok {
			continue
		}
		sco = maps.Clone(sco)
		hashes, _ := sco["hashes"].(map[string]any)
		hashes = maps.Clone(hashes)
		delete(hashes, w.hash)
		sco["hashes"] = hashes
		objs[w.key] = sco
	}
	return out
}

// fires reports whether p fires on obs, as pattern.Index.Match decides.
func fires(p *pattern.Pattern, obs []*pattern.Observation) bool {
	if s, ok := p.Root.(*pattern.ObservationSimple); ok && len(s.Qualifiers) == 0 {
		for _, o := range obs {
			if p.MatchOne(o) {
				return true
			}
		}
		return false
	}
	r, err := p.Match(obs)
	return err == nil && r.Matched
}
