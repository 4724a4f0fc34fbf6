package misp

import (
	"fmt"
	"strings"
	"time"

	"github.com/isachub/isachub/convert"
)

// MISP sightings (draft-dulaunoy-misp-core-format section 2.9) convert once
// the whole event is read, since an event-level sighting may name any
// attribute. Type 0 (seen) and 3 (seen, confirmed a true positive) become
// STIX sightings (section 5.2), one per sighted attribute, sighting
// organisation and source, with count and first_seen/last_seen spanning
// their date_sighting. Type 1 (false positive) has no STIX counterpart: a
// note on the sighted object says it. Type 2 (expiration) sets the
// indicator's valid_until (or, for an observed-data, becomes a note).

// pendingSighting is one sighting waiting for the event to be read.
type pendingSighting struct {
	v      any
	path   string
	target string // the key of the attribute it hangs on; "" at event level
}

type sightings struct {
	byKey map[string]*sightingGroup
	order []string
	seen  map[string]bool
}

// sightingGroup is the MISP sightings that make one STIX object.
type sightingGroup struct {
	kind         byte // 's' seen, 'f' false positive, 'x' expiration
	attr, target string
	org          map[string]any
	orgPath      string
	orgNames     []string
	source       string
	n, confirmed int
	first, last  time.Time
}

// finishSightings converts the event's sightings.
func (e *event) finishSightings() {
	for _, p := range e.pending {
		e.sighting(p)
	}
	for _, k := range e.sights.order {
		g := e.sights.byKey[k]
		switch g.kind {
		case 's':
			e.seenSighting(k, g)
		case 'f':
			e.noteSighting(g, "/false-positive", "Reported as a false positive")
		case 'x':
			e.expiration(g)
		}
	}
}

// sighting groups one MISP sighting.
func (e *event) sighting(p pendingSighting) {
	const construct = "sighting"
	m, ok := asObject(p.v)
	if !ok {
		e.c.rep.Skip(p.path, construct, "is "+kindOf(p.v)+", not a sighting object")
		return
	}
	attr := p.target
	if attr == "" {
		switch {
		case text(m, "attribute_uuid") != "":
			attr = strings.ToLower(text(m, "attribute_uuid"))
		case e.attrIDs[text(m, "attribute_id")] != "":
			attr = e.attrIDs[text(m, "attribute_id")]
		default: // the core format's uuid names the sighted attribute
			attr = strings.ToLower(text(m, "uuid"))
		}
	}
	target := e.made[attr]
	if target == "" {
		e.c.rep.Skip(p.path, construct, "the sighted attribute "+quoteEntry(attr)+" is not converted in this event")
		return
	}
	typ := text(m, "type")
	if typ == "" {
		typ = "0"
	}
	org, _ := asObject(m["Organisation"])
	orgPath := field(p.path, "Organisation")
	if org == nil {
		org, _ = asObject(m["Org"])
		orgPath = field(p.path, "Org")
	}
	orgKey := strings.ToLower(text(org, "uuid"))
	if orgKey == "" {
		orgKey = text(org, "name")
	}
	source := text(m, "source")
	dup := strings.Join([]string{text(m, "id"), strings.ToLower(text(m, "uuid")), target, text(m, "date_sighting"), typ, orgKey, source}, "\x00")
	if e.sights.seen[dup] {
		return // the same sighting, listed by the event and by its attribute
	}
	e.sights.seen[dup] = true
	date, hasDate := parseTime(m["date_sighting"])
	var kind byte
	gkey := typ + "\x00" + attr
	switch typ {
	case "0", "3":
		kind = 's'
		if e.c.opts.Anonymous {
			orgKey = ""
		}
		gkey = "0\x00" + attr + "\x00" + orgKey + "\x00" + source
		if !hasDate {
			e.c.rep.Approx(p.path, construct, "no date_sighting: the sighting has no first_seen or last_seen from it")
		} else {
			e.c.rep.Count(construct)
		}
	case "1":
		kind = 'f'
		e.c.rep.Approx(p.path, construct, "a false-positive sighting has no STIX 2.1 counterpart: kept as a note on "+target)
	case "2":
		kind = 'x'
		e.c.rep.Approx(p.path, construct, "an expiration sighting has no STIX 2.1 counterpart: it sets the valid_until of the indicator "+
			"(or is a note on the observed-data) "+target)
	default:
		e.c.rep.Skip(p.path, construct, "the sighting type "+quoteEntry(typ)+" is none of MISP's 0 to 3")
		return
	}
	g := e.sights.byKey[gkey]
	if g == nil {
		g = &sightingGroup{kind: kind, attr: attr, target: target, source: source}
		if kind == 's' && orgKey != "" {
			g.org, g.orgPath = org, orgPath
		}
		e.sights.byKey[gkey] = g
		e.sights.order = append(e.sights.order, gkey)
	}
	g.n++
	if typ == "3" {
		g.confirmed++
	}
	if name := text(org, "name"); name != "" && !e.c.opts.Anonymous {
		g.orgNames = appendNew(g.orgNames, name)
	}
	if hasDate {
		g.first = earlier(g.first, date)
		if date.After(g.last) {
			g.last = date
		}
	}
}

// sightingSource is the source of the objects made from a group: the TLP
// of the sighted object, created at the first sighting, modified at the
// last.
func (e *event) sightingSource(g *sightingGroup, suffix string) *source {
	t := e.c.byID[g.target]
	s := &source{key: "sighting\x00" + g.attr + suffix, tlp: t.tlp}
	s.created, _ = time.Parse(time.RFC3339Nano, t.created)
	s.modified, _ = time.Parse(time.RFC3339Nano, t.modified)
	if !g.first.IsZero() {
		s.created, s.modified = g.first.Truncate(time.Millisecond), g.last.Truncate(time.Millisecond)
	}
	return s
}

// seenSighting makes the sighting of a group of type 0 and 3 sightings.
func (e *event) seenSighting(key string, g *sightingGroup) {
	s := e.sightingSource(g, "")
	o := e.newSDO("sighting", convert.ID(format, "sighting", key), s)
	var desc []string
	if g.source != "" {
		desc = append(desc, "MISP sighting source: "+g.source)
	}
	if g.confirmed > 0 {
		desc = append(desc, fmt.Sprintf("%d of the sightings confirmed as true positives", g.confirmed))
	}
	if len(desc) > 0 {
		o.set("description", strings.Join(desc, "; "))
	}
	if !g.first.IsZero() {
		o.set("first_seen", stamp(g.first))
		o.set("last_seen", stamp(g.last))
	}
	o.set("count", int64(min(g.n, 999999999)))
	o.set("sighting_of_ref", g.target)
	if g.org != nil && !e.c.opts.Anonymous {
		if id := e.identity(g.org, g.orgPath, s); id != "" {
			o.set("where_sighted_refs", []string{id})
		}
	}
	e.keep(o)
}

// noteSighting makes a note on the sighted object that says what the
// sightings of a group reported.
func (e *event) noteSighting(g *sightingGroup, suffix, what string) {
	s := e.sightingSource(g, suffix)
	content := fmt.Sprintf("%s %d time(s) in MISP sightings", what, g.n)
	if !g.first.IsZero() {
		content += ", first " + stamp(g.first) + ", last " + stamp(g.last)
	}
	if len(g.orgNames) > 0 {
		content += ", by " + strings.Join(g.orgNames, ", ")
	}
	e.note(s, "", content+".", "", []string{g.target}, nil)
}

// expiration applies type 2 sightings: the indicator is valid until the
// first of them.
func (e *event) expiration(g *sightingGroup) {
	o := e.c.byID[g.target]
	from, _ := o.get("valid_from")
	vf, err := time.Parse(time.RFC3339Nano, fmt.Sprint(from))
	if o.typ != "indicator" || g.first.IsZero() || err != nil || !g.first.Truncate(time.Microsecond).After(vf) {
		e.noteSighting(g, "/expiration", "Marked as expired")
		return
	}
	if until, ok := o.get("valid_until"); ok {
		if vu, err := time.Parse(time.RFC3339Nano, fmt.Sprint(until)); err == nil && vu.Before(g.first) {
			return
		}
	}
	o.set("valid_until", stamp(g.first))
	if m := stampMs(g.first); m > o.modified {
		o.modified = m
	}
}
