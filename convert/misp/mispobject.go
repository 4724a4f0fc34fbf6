package misp

import (
	"cmp"
	"strings"

	"github.com/isachub/isachub/convert"
	"github.com/isachub/isachub/stix"
)

// objectMembers are the capitalised members of a MISP object.
var objectMembers = map[string]string{"Attribute": "", "ObjectReference": "", "SharingGroup": eventMembers["SharingGroup"]}

// mispObject converts a MISP object (draft-dulaunoy-misp-core-format
// section 2.5): the attributes of a known template join into one
// observable, so one indicator (their comparisons joined by AND in one
// observation) or one observed-data; a vulnerability object becomes a
// vulnerability. The attributes of other templates, or of an object that
// lacks what its template needs, convert one by one (approximate).
func (e *event) mispObject(v any, path string) {
	m, ok := asObject(v)
	if !ok {
		e.c.rep.Skip(path, "object", "is "+kindOf(v)+", not an object")
		return
	}
	name := text(m, "name")
	construct := "object:" + name
	if name == "" {
		construct = "object"
	}
	if flag(m, "deleted") {
		e.c.rep.Skip(path, construct, "deleted in MISP")
		return
	}
	s := &source{key: e.c.uuidKey(m, path, e.key, ""), path: path, comment: strings.TrimSpace(stringOf(m, "comment"))}
	s.created, s.modified = e.times(m)
	s.first, _ = parseTime(m["first_seen"])
	s.last, _ = parseTime(m["last_seen"])

	var attrs []*attribute
	e.list(m, path, "Attribute", construct, func(v any, p string) {
		a, ok := e.readAttribute(v, p)
		switch {
		case !ok:
		case a.deleted:
			e.c.rep.Skip(p, "attribute:"+a.typ, "deleted in MISP")
		default:
			attrs = append(attrs, a)
		}
	})
	if len(attrs) == 0 {
		e.c.rep.Skip(path, construct, "the object has no attribute to convert")
		return
	}
	toIDs := false
	for _, a := range attrs {
		toIDs = toIDs || a.toIDs
		s.tlp = max(s.tlp, a.src.tlp)
		s.labels = appendNew(s.labels, a.tags.labels...)
		if s.category == "" {
			s.category = a.src.category
		}
	}
	if s.category != "" {
		s.labels = appendNew(s.labels, `misp:category="`+s.category+`"`)
	}
	var id, why string
	if name == "vulnerability" {
		id = e.vulnerabilityObject(attrs, s)
	} else if tpl := templates[name]; tpl == nil {
		why = "the MISP object template " + quoteEntry(name) + " has no STIX 2.1 mapping"
	} else {
		res := tpl(attrs)
		switch {
		case res.obs == nil || len(res.obs.as) == 0:
			why = "the object lacks the attributes its template needs (" + res.needs + ")"
		case !toIDs && !res.obs.canSCO():
			why = "without to_ids, the object makes no valid STIX 2.1 observable (a network-traffic needs an address)"
		default:
			if !res.first.IsZero() {
				s.first = res.first
			}
			if !res.last.IsZero() {
				s.last = res.last
			}
			if len(res.text) > 0 {
				s.comment = strings.Join(appendNew(nonEmptyOf(s.comment), res.text...), "\n\n")
			}
			id = e.observe(s, res.obs, toIDs, name+": "+attrs[0].value, construct)
			for _, l := range res.lost {
				e.c.rep.Approx(cmp.Or(l.path, path), construct, l.reason)
			}
		}
	}
	if why != "" {
		e.c.rep.Approx(path, construct, why+": its attributes were converted one by one")
		for _, a := range attrs {
			e.attached(a, e.convertAttribute(a), &a.src)
		}
	} else {
		e.made[s.key] = id
		for _, a := range attrs {
			e.attached(a, id, s)
		}
	}
	e.list(m, path, "ObjectReference", "object-reference", func(v any, p string) {
		e.objRefs = append(e.objRefs, pendingRef{v: v, path: p, source: s.key})
	})
	e.others(m, path, objectMembers)
}

func nonEmptyOf(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// vulnerabilityObject makes the vulnerability of a vulnerability object:
// name and cve reference from id, description from summary, description
// and text, external references from references.
func (e *event) vulnerabilityObject(attrs []*attribute, s *source) string {
	construct := "object:vulnerability"
	var name string
	var desc []string
	var refs []extRef
	for _, a := range attrs {
		v := strings.TrimSpace(a.value)
		switch a.relation {
		case "id":
			if name == "" {
				name = v
				continue
			}
		case "summary", "description", "text":
			desc = appendNew(desc, v)
			continue
		case "cvss-score":
			desc = appendNew(desc, "CVSS score: "+v)
			continue
		case "references":
			refs = append(refs, reference("reference", v))
			continue
		}
		e.c.rep.Approx(a.path, construct, "the relation "+quoteEntry(a.relation)+" has no place in a STIX 2.1 vulnerability")
	}
	if name == "" {
		name = "MISP vulnerability object " + s.key
		e.c.rep.Approx(s.path, construct, "the object has no id: the vulnerability is named after its uuid")
	} else {
		e.c.rep.Count(construct)
	}
	o := e.newSDO("vulnerability", convert.ID(format, "vulnerability", s.key), s)
	o.set("name", name)
	if len(desc) > 0 {
		o.set("description", strings.Join(desc, "\n\n"))
	}
	if cveID.MatchString(name) {
		o.extRefs = append(o.extRefs, extRef{source: "cve", externalID: strings.ToUpper(name)})
	}
	o.extRefs = append(o.extRefs, refs...)
	o.labels = s.labels
	return e.keep(o)
}

// pendingRef is an ObjectReference, converted once every object of the
// event is.
type pendingRef struct {
	v      any
	path   string
	source string // the key of the object that holds it
}

// objectReference converts an ObjectReference to a relationship between
// the SDOs of its object and of the attribute or object it references.
func (e *event) objectReference(r pendingRef) {
	const construct = "object-reference"
	m, ok := asObject(r.v)
	if !ok {
		e.c.rep.Skip(r.path, construct, "is "+kindOf(r.v)+", not an object")
		return
	}
	if flag(m, "deleted") {
		e.c.rep.Skip(r.path, construct, "deleted in MISP")
		return
	}
	target := strings.ToLower(text(m, "referenced_uuid"))
	src, dst := e.made[r.source], e.made[target]
	switch {
	case src == "":
		e.c.rep.Skip(r.path, construct, "its object was converted attribute by attribute, so no one STIX object stands for it")
		return
	case dst == "":
		e.c.rep.Skip(r.path, construct, "it references "+quoteEntry(target)+", which is not converted in this event")
		return
	case dst == src:
		e.c.rep.Skip(r.path, construct, "it references an attribute of its own object, which the object's STIX object already holds")
		return
	}
	s := &source{tlp: max(e.c.byID[src].tlp, e.c.byID[dst].tlp)}
	s.created, s.modified = e.times(m)
	key := ""
	if u := strings.ToLower(text(m, "uuid")); u != "" {
		key = "object-reference\x00" + u
	}
	e.relate(src, relationType(text(m, "relationship_type")), dst, s, key, strings.TrimSpace(stringOf(m, "comment")))
	e.c.rep.Count(construct)
}

// relationType makes a MISP relationship_type a STIX relationship type
// (section 5.1: a-z, 0-9 and '-', 3 to 250 characters), "related-to" when
// nothing usable remains.
func relationType(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	t := strings.TrimRight(b.String(), "-")
	if len(t) > 250 {
		t = strings.TrimRight(t[:250], "-")
	}
	if stix.CheckTypeName(t) != "" {
		return "related-to"
	}
	return t
}
