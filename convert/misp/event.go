package misp

import (
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// event is the state of one MISP event while it converts.
type event struct {
	c        *converter
	path     string
	key      string // the event's uuid, or what stands in for it
	report   string // the id of the report the event becomes
	creator  string // the identity of Orgc; "" when anonymous or unknown
	created  time.Time
	modified time.Time
	tlp      stix.TLP
	refs     []string // everything made from the event, for the report's object_refs
	refSet   map[string]bool
	made     map[string]string // MISP attribute or object uuid: the SDO made from it
	attrIDs  map[string]string // MISP attribute id: its uuid (event-level sightings may name either)
	pending  []pendingSighting
	objRefs  []pendingRef
	sights   sightings
}

// source is what every object made from one MISP construct (event,
// attribute or object) shares: the key its ids derive from, its place in
// the input, its times, TLP and labels.
type source struct {
	key               string
	path              string
	created, modified time.Time
	first, last       time.Time // first_seen and last_seen, zero when absent
	tlp               stix.TLP
	labels            []string
	comment           string
	category          string
}

// eventMembers are the capitalised members of an event (MISP's data
// models) that are not converted, and why.
var eventMembers = map[string]string{
	"Org":              "",
	"Orgc":             "",
	"Attribute":        "",
	"Object":           "",
	"Galaxy":           "",
	"Tag":              "",
	"Sighting":         "",
	"EventReport":      "",
	"ShadowAttribute":  "proposals by other organisations are not part of the event until its creator accepts them",
	"RelatedEvent":     "correlations with other events of the source MISP instance are not content of this event",
	"SharingGroup":     "MISP distribution does not convert: the hub's collections and TLP markings decide who reads",
	"CryptographicKey": "signing keys of the source MISP instance are not converted",
	"Note":             "MISP analyst data (notes) is not converted",
	"Opinion":          "MISP analyst data (opinions) is not converted",
	"Relationship":     "MISP analyst data (relationships) is not converted",
}

// event converts one MISP event (draft-dulaunoy-misp-core-format section
// 2.1) to a report (STIX 2.1 section 4.15) and everything it holds.
func (c *converter) event(m map[string]any, path string) {
	e := &event{
		c: c, path: path,
		refSet:  map[string]bool{},
		made:    map[string]string{},
		attrIDs: map[string]string{},
		sights:  sightings{byKey: map[string]*sightingGroup{}, seen: map[string]bool{}},
	}
	e.key = c.uuidKey(m, path, "", "event\x00"+path+"\x00"+text(m, "info")+"\x00"+text(m, "date"))
	e.report = convert.ID(format, "report", e.key)
	e.eventTimes(m)
	tags := e.tags(m["Tag"], field(path, "Tag"))
	e.tlp = tags.tlp
	es := &source{key: e.key, path: path, created: e.created, modified: e.modified, tlp: e.tlp}

	if orgc, ok := asObject(m["Orgc"]); ok && !c.opts.Anonymous {
		e.creator = e.identity(orgc, field(path, "Orgc"), es)
	} else if !c.opts.Anonymous {
		c.rep.Approx(field(path, "Orgc"), "orgc", "the event names no creator organisation (Orgc): its objects have no created_by_ref")
	}

	_, galaxyLabels := e.galaxies(m["Galaxy"], field(path, "Galaxy"), tags.galaxies, es)
	e.list(m, path, "Attribute", "attribute", e.attribute)
	e.list(m, path, "Object", "object", e.mispObject)
	for _, r := range e.objRefs {
		e.objectReference(r)
	}
	e.list(m, path, "Sighting", "sighting", func(v any, p string) {
		e.pending = append(e.pending, pendingSighting{v: v, path: p})
	})
	e.finishSightings()
	e.list(m, path, "EventReport", "event-report", e.eventReport)
	e.others(m, path, eventMembers)

	r := e.newSDO("report", e.report, es)
	name := text(m, "info")
	if name == "" {
		name = "MISP event " + e.key
	}
	r.set("name", name)
	if d, _ := raw(m, "description"); strings.TrimSpace(d) != "" {
		r.set("description", d)
	}
	published, ok := parseTime(m["publish_timestamp"])
	if !ok {
		published = e.created // the event's date, else its timestamp
	}
	r.set("published", stamp(published))
	if len(e.refs) == 0 {
		e.note(es, "/empty", "The MISP event holds no attribute, object or galaxy.", "", []string{e.report}, nil)
	}
	r.set("object_refs", e.refs)
	r.labels = appendNew(tags.labels, galaxyLabels...)
	c.add(r)
	c.rep.Count("event")
}

// eventTimes sets the event's modified (its timestamp, else
// publish_timestamp, else its date, else opts.Now) and created (its date
// when not later than modified). Every object made from the event is
// created at the event's created, so that re-importing an edited event
// gives new versions of the same objects: created never changes, modified
// follows each construct's own timestamp (STIX 2.1 section 3.6).
func (e *event) eventTimes(m map[string]any) {
	date, hasDate := parseTime(m["date"])
	mod, ok := parseTime(m["timestamp"])
	if !ok {
		mod, ok = parseTime(m["publish_timestamp"])
	}
	if !ok {
		mod, ok = date, hasDate
	}
	if !ok {
		mod = e.c.now()
	}
	e.modified = mod.Truncate(time.Millisecond)
	e.created = e.modified
	if hasDate && !date.After(e.modified) {
		e.created = date
	}
}

// now is opts.Now, or the present, to the millisecond.
func (c *converter) now() time.Time {
	t := c.opts.Now
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Millisecond)
}

// times returns the source of a construct m inside the event: modified
// from its timestamp (else the event's), created the event's unless that
// is later.
func (e *event) times(m map[string]any) (created, modified time.Time) {
	modified = e.modified
	if t, ok := parseTime(m["timestamp"]); ok {
		modified = t.Truncate(time.Millisecond)
	}
	created = e.created
	if created.After(modified) {
		created = modified
	}
	return created, modified
}

// uuidKey returns the key the ids of construct m derive from: its uuid in
// lower case. A missing uuid is replaced by fallback (built from the
// construct's place in the input, so the same input gives the same ids), a
// uuid that is no RFC 4122 UUID is used as written, and a uuid used twice
// gets the path of its second use; each of these is an approximate entry.
func (c *converter) uuidKey(m map[string]any, path, parent, fallback string) string {
	u := strings.ToLower(text(m, "uuid"))
	key := u
	switch {
	case u == "":
		if fallback == "" {
			fallback = parent + "\x00" + path
		}
		key = fallback
		c.rep.Approx(field(path, "uuid"), "uuid", "no uuid: the ids are derived from the construct's place in the input")
	case stix.CheckID("report--"+u) != "":
		c.rep.Approx(field(path, "uuid"), "uuid", "the uuid "+quoteEntry(u)+" is not an RFC 4122 UUID: the ids are derived from it as written")
	}
	if first, dup := c.keys[key]; dup {
		c.rep.Approx(field(path, "uuid"), "uuid", "the uuid is also used at "+first+": the ids of this one are derived from its path")
		key += "\x00" + path
	}
	c.keys[key] = path
	return key
}

// quoteEntry quotes input text in a report entry, shortened.
func quoteEntry(s string) string { return "\"" + strings.ToValidUTF8(clip(s), "?") + "\"" }

// list calls fn for each element of the list member name of m, reporting
// a member that is no list.
func (e *event) list(m map[string]any, path, name, construct string, fn func(v any, path string)) {
	p := field(path, name)
	list, ok := items(m[name])
	if !ok {
		e.c.rep.Skip(p, construct, name+" is "+kindOf(m[name])+", not a list")
		return
	}
	if _, single := m[name].(map[string]any); single {
		fn(list[0], p)
		return
	}
	for i, v := range list {
		fn(v, index(p, i))
	}
}

// others reports the capitalised members of m (MISP data models) that
// known does not mark as handled (an empty reason), unless they are
// empty. Lower-case members are fields: the converters read those they
// use.
func (e *event) others(m map[string]any, path string, known map[string]string) {
	names := make([]string, 0, len(m))
	for k := range m {
		if r := []rune(k); len(r) > 0 && unicode.IsUpper(r[0]) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		reason, isKnown := known[k]
		if isKnown && reason == "" || isEmpty(m[k]) {
			continue
		}
		if !isKnown {
			reason = "not a MISP construct this converter knows"
		}
		e.c.rep.Skip(field(path, k), k, reason)
	}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	case string:
		return v == ""
	}
	return false
}

// ref adds id to the report's object_refs.
func (e *event) ref(id string) {
	if !e.refSet[id] {
		e.refSet[id] = true
		e.refs = append(e.refs, id)
	}
}

// newSDO starts an SDO or SRO made from s: created by the event's
// creator, at s's times, marked with s's TLP.
func (e *event) newSDO(typ, id string, s *source) *object {
	return &object{typ: typ, id: id, createdBy: e.creator, created: stampMs(s.created), modified: stampMs(s.modified), tlp: s.tlp}
}

// keep adds o to the conversion and to the report and returns its id.
func (e *event) keep(o *object) string {
	k := e.c.add(o)
	e.ref(k.id)
	return k.id
}

// identity makes the identity of a MISP organisation (Orgc, or the
// organisation of a sighting): identity_class organization, section 4.5.
func (e *event) identity(org map[string]any, path string, s *source) string {
	name, u := text(org, "name"), strings.ToLower(text(org, "uuid"))
	if name == "" && u == "" {
		e.c.rep.Skip(path, "orgc", "the organisation has neither name nor uuid")
		return ""
	}
	if name == "" {
		name = u
	}
	key := u
	if key == "" {
		key = "name\x00" + name
	}
	o := &object{typ: "identity", id: convert.ID(format, "identity", key), created: stampMs(s.created), modified: stampMs(s.modified), tlp: s.tlp}
	o.set("name", name)
	o.set("identity_class", "organization")
	return e.keep(o)
}

// note makes a note (section 4.13) on refs, with the id derived from s and
// suffix.
func (e *event) note(s *source, suffix, content, abstract string, refs []string, labels []string) string {
	o := e.newSDO("note", convert.ID(format, "note", s.key+suffix), s)
	if abstract != "" {
		o.set("abstract", abstract)
	}
	o.set("content", content)
	o.set("object_refs", refs)
	o.labels = labels
	return e.keep(o)
}

// relate makes the relationship (section 5.1) src typ dst.
func (e *event) relate(src, typ, dst string, s *source, key, description string) string {
	if key == "" {
		key = src + "\x00" + typ + "\x00" + dst
	}
	o := e.newSDO("relationship", convert.ID(format, "relationship", key), s)
	o.set("relationship_type", typ)
	if description != "" {
		o.set("description", description)
	}
	o.set("source_ref", src)
	o.set("target_ref", dst)
	return e.keep(o)
}

// eventReport converts an EventReport (a Markdown report of the event) to a
// note on the report.
func (e *event) eventReport(v any, path string) {
	m, ok := asObject(v)
	if !ok {
		e.c.rep.Skip(path, "event-report", "is "+kindOf(v)+", not an object")
		return
	}
	if flag(m, "deleted") {
		e.c.rep.Skip(path, "event-report", "deleted in MISP")
		return
	}
	content, _ := raw(m, "content")
	if strings.TrimSpace(content) == "" {
		e.c.rep.Skip(path, "event-report", "has no content")
		return
	}
	s := &source{key: e.c.uuidKey(m, path, e.key, ""), path: path, tlp: e.tlp}
	s.created, s.modified = e.times(m)
	e.note(s, "", content, text(m, "name"), []string{e.report}, nil)
	e.c.rep.Count("event-report")
}

// appendNew appends the strings of add that list does not hold yet.
func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		if s != "" && !contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
