package misp

import (
	"regexp"
	"strings"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/pattern"
)

// attribute is one MISP attribute read from the input
// (draft-dulaunoy-misp-core-format section 2.3).
type attribute struct {
	m        map[string]any
	path     string
	typ      string
	relation string // object_relation, inside a MISP object
	value    string
	uuid     string // as written, lower case
	toIDs    bool
	deleted  bool
	tags     tagSet
	src      source
}

// attributeMembers are the capitalised members of an attribute.
var attributeMembers = map[string]string{
	"Tag": "", "Galaxy": "", "Sighting": "",
	"ShadowAttribute":  eventMembers["ShadowAttribute"],
	"RelatedAttribute": "correlations with attributes of other events of the source MISP instance are not content of this event",
	"SharingGroup":     eventMembers["SharingGroup"],
	"Note":             eventMembers["Note"], "Opinion": eventMembers["Opinion"], "Relationship": eventMembers["Relationship"],
}

// readAttribute reads the attribute at path; ok is false, with a report
// entry, when it has no type or value.
func (e *event) readAttribute(v any, path string) (*attribute, bool) {
	m, ok := asObject(v)
	if !ok {
		e.c.rep.Skip(path, "attribute", "is "+kindOf(v)+", not an attribute object")
		return nil, false
	}
	a := &attribute{m: m, path: path, typ: text(m, "type"), relation: text(m, "object_relation")}
	if a.typ == "" {
		e.c.rep.Skip(path, "attribute", "has no type")
		return nil, false
	}
	if a.value, ok = raw(m, "value"); !ok {
		e.c.rep.Skip(field(path, "value"), "attribute:"+a.typ, "the value is "+kindOf(m["value"])+", not a string")
		return nil, false
	}
	a.uuid = strings.ToLower(text(m, "uuid"))
	a.toIDs, a.deleted = flag(m, "to_ids"), flag(m, "deleted")
	a.tags = e.tags(m["Tag"], field(path, "Tag"))
	a.src = source{path: path, comment: strings.TrimSpace(stringOf(m, "comment")), category: text(m, "category")}
	if !a.deleted {
		a.src.key = e.c.uuidKey(m, path, e.key, "")
	}
	a.src.created, a.src.modified = e.times(m)
	a.src.first, _ = parseTime(m["first_seen"])
	a.src.last, _ = parseTime(m["last_seen"])
	a.src.tlp = e.tlp
	if a.tags.tlp != 0 {
		a.src.tlp = a.tags.tlp // an attribute's TLP tag overrides the event's
	}
	a.src.labels = a.tags.labels
	if a.src.category != "" {
		a.src.labels = appendNew(append([]string(nil), a.src.labels...), `misp:category="`+a.src.category+`"`)
	}
	return a, true
}

func stringOf(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// attribute converts one attribute of the event's Attribute list.
func (e *event) attribute(v any, path string) {
	a, ok := e.readAttribute(v, path)
	if !ok {
		return
	}
	if a.deleted {
		e.c.rep.Skip(path, "attribute:"+a.typ, "deleted in MISP")
		return
	}
	e.attached(a, e.convertAttribute(a), &a.src)
	e.others(a.m, path, attributeMembers)
}

// attached records that attribute a became the SDO id (made from s) and
// converts what hangs on it: its galaxies (with relationships from id)
// and its sightings (converted once the whole event is read). When a did
// not convert (id is ""), its galaxies still become objects of the report
// and its sightings are reported.
func (e *event) attached(a *attribute, id string, s *source) {
	if id == "" {
		e.galaxies(a.m["Galaxy"], field(a.path, "Galaxy"), a.tags.galaxies, s)
		e.list(a.m, a.path, "Sighting", "sighting", func(_ any, p string) {
			e.c.rep.Skip(p, "sighting", "the sighted attribute is not converted in this event")
		})
		return
	}
	e.made[a.src.key] = id
	if _, ok := e.made[a.uuid]; !ok && a.uuid != "" {
		e.made[a.uuid] = id
	}
	if aid := text(a.m, "id"); aid != "" {
		e.attrIDs[aid] = a.src.key
	}
	clusters, labels := e.galaxies(a.m["Galaxy"], field(a.path, "Galaxy"), a.tags.galaxies, s)
	if o := e.c.byID[id]; o != nil {
		o.labels = appendNew(o.labels, labels...)
	}
	for _, cl := range clusters {
		e.relate(id, relationshipType(id, cl), cl, s, "", "")
	}
	e.list(a.m, a.path, "Sighting", "sighting", func(v any, p string) {
		e.pending = append(e.pending, pendingSighting{v: v, path: p, target: a.src.key})
	})
}

// relationshipType is "indicates" from an indicator to what it can
// indicate (section 4.7's relationships), else "related-to".
func relationshipType(src, dst string) string {
	if strings.HasPrefix(src, "indicator--") {
		switch dst[:strings.Index(dst, "--")] {
		case "attack-pattern", "campaign", "infrastructure", "intrusion-set", "malware", "threat-actor", "tool":
			return "indicates"
		}
	}
	return "related-to"
}

// ruleTypes are the attribute types whose value is a detection rule: an
// indicator of that pattern_type (section 10.14) whatever to_ids says.
var ruleTypes = map[string]string{"yara": "yara", "sigma": "sigma", "snort": "snort", "stix2-pattern": "stix"}

// convertAttribute makes the SDO of a (and its SCOs) and returns its id, or
// "" with a report entry.
func (e *event) convertAttribute(a *attribute) string {
	construct := "attribute:" + a.typ
	s := &a.src
	switch a.typ {
	case "comment", "text":
		if strings.TrimSpace(a.value) == "" {
			e.c.rep.Skip(a.path, construct, "the value is empty")
			return ""
		}
		e.c.rep.Approx(a.path, construct, "free text has no STIX 2.1 counterpart in a report: kept as a note on the report")
		return e.note(s, "", a.value, s.comment, []string{e.report}, s.labels)
	case "vulnerability":
		return e.vulnerability(a)
	}
	if pt, ok := ruleTypes[a.typ]; ok {
		if strings.TrimSpace(a.value) == "" {
			e.c.rep.Skip(a.path, construct, "the value is empty")
			return ""
		}
		if pt == "stix" {
			if _, err := pattern.Parse(a.value); err != nil {
				e.c.rep.Skip(a.path, construct, "not a valid STIX pattern: "+err.Error())
				return ""
			}
		}
		e.c.rep.Count(construct)
		first, _, _ := strings.Cut(strings.TrimSpace(a.value), "\n")
		return e.indicator(s, a.typ+": "+first, a.value, pt, "")
	}
	f := observableTypes[a.typ]
	if f == nil {
		e.c.rep.Skip(a.path, construct, "the MISP attribute type "+quoteEntry(a.typ)+" is not converted")
		return ""
	}
	obs, err := f(a.value)
	if err != nil {
		e.c.rep.Skip(field(a.path, "value"), construct, err.Error())
		return ""
	}
	return e.observe(s, obs, a.toIDs, a.typ+": "+a.value, construct)
}

// observe makes the indicator of obs when toIDs (the attribute is meant
// for detection), else its observed-data and SCOs. An observable that makes
// no valid SCO (a lone user-agent, http-method or port) and is not for
// detection is kept as a note on the report.
func (e *event) observe(s *source, obs *observable, toIDs bool, name, construct string) string {
	switch {
	case toIDs:
		e.c.rep.Count(construct)
		return e.indicator(s, name, obs.pattern(), "stix", "")
	case obs.canSCO():
		id, dropped := e.observedData(s, obs)
		if dropped > 0 {
			e.c.rep.Approx(s.path, construct, "a value that needs a network-traffic of its own without an address is left out of the observed-data")
		} else {
			e.c.rep.Count(construct)
		}
		return id
	}
	e.c.rep.Approx(s.path, construct, "without to_ids, "+construct+" alone makes no valid STIX 2.1 observable (a network-traffic needs an address): kept as a note on the report")
	return e.note(s, "", clipName(name), s.comment, []string{e.report}, s.labels)
}

// indicatorTypes gives the indicator_types (section 10.12) that a MISP
// category implies for an attribute meant for detection.
var indicatorTypes = map[string]string{
	"Payload delivery": "malicious-activity", "Payload installation": "malicious-activity",
	"Artifacts dropped": "malicious-activity", "Network activity": "malicious-activity",
	"Persistence mechanism": "malicious-activity", "Antivirus detection": "malicious-activity",
	"Attribution": "attribution",
}

// indicator makes the indicator (section 4.7) of s with pattern p.
func (e *event) indicator(s *source, name, p, patternType, description string) string {
	o := e.newSDO("indicator", convert.ID(format, "indicator", s.key), s)
	o.set("name", clipName(name))
	if description == "" {
		description = s.comment
	}
	if description != "" {
		o.set("description", description)
	}
	if t := indicatorTypes[s.category]; t != "" {
		o.set("indicator_types", []string{t})
	}
	o.set("pattern", p)
	o.set("pattern_type", patternType)
	if patternType == "stix" {
		o.set("pattern_version", "2.1")
	}
	from := s.modified
	if !s.first.IsZero() {
		from = s.first
	}
	o.set("valid_from", stamp(from))
	if !s.last.IsZero() && s.last.Truncate(1000).After(from.Truncate(1000)) {
		o.set("valid_until", stamp(s.last))
	}
	o.labels = s.labels
	return e.keep(o)
}

// observedData makes the SCOs of obs and the observed-data (section 4.14)
// that lists them. A comment, which observed-data has no property for,
// becomes a note on it.
func (e *event) observedData(s *source, obs *observable) (string, int) {
	ids, dropped := e.c.materialize(obs, s.key, s.tlp)
	for _, id := range ids {
		e.ref(id)
	}
	o := e.newSDO("observed-data", convert.ID(format, "observed-data", s.key), s)
	first := s.modified
	if !s.first.IsZero() {
		first = s.first
	}
	last := first
	if !s.last.IsZero() && s.last.After(first) {
		last = s.last
	}
	o.set("first_observed", stamp(first))
	o.set("last_observed", stamp(last))
	o.set("number_observed", int64(1))
	o.set("object_refs", ids)
	o.labels = s.labels
	id := e.keep(o)
	if s.comment != "" {
		e.note(s, "\x00comment", s.comment, "", []string{id}, nil)
	}
	return id, dropped
}

var cveID = regexp.MustCompile(`(?i)^CVE-[0-9]{4}-[0-9]{4,}$`)

// vulnerability makes the vulnerability (section 4.20) of a vulnerability
// attribute, with a cve external reference when the value is a CVE id.
func (e *event) vulnerability(a *attribute) string {
	construct := "attribute:" + a.typ
	name := strings.TrimSpace(a.value)
	if name == "" {
		e.c.rep.Skip(a.path, construct, "the value is empty")
		return ""
	}
	o := e.newSDO("vulnerability", convert.ID(format, "vulnerability", a.src.key), &a.src)
	o.set("name", name)
	if a.src.comment != "" {
		o.set("description", a.src.comment)
	}
	if cveID.MatchString(name) {
		o.extRefs = []extRef{{source: "cve", externalID: strings.ToUpper(name)}}
		e.c.rep.Count(construct)
	} else {
		e.c.rep.Approx(a.path, construct, quoteEntry(name)+" is not a CVE id: the vulnerability has no cve external reference")
	}
	o.labels = a.src.labels
	return e.keep(o)
}

// clipName shortens a name made from a value to 256 bytes.
func clipName(s string) string {
	const max = 256
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
