package stix1

import (
	"strings"
)

// A CybOX object (CybOX 2.1, cybox:Object with Properties of an
// xsi:type) is read once by its mapper, which writes through an ow: for an
// indicator the writer collects pattern tests, for observed data it builds
// the SCOs (STIX 2.1 section 6). One mapper thus serves both.

// cyObj is one CybOX object being read.
type cyObj struct {
	c         *conv
	inst      bool // building SCOs (observed data), not tests (a pattern)
	tests     []test
	root      *sco
	obj       *node            // the cybox:Object
	related   map[string]*node // its Related_Objects by id
	consumed  map[*node]bool   // Related_Objects a mapper used
	seed      string           // key of the SCO ids section 2.9 leaves free
	elems     []elemUse
	construct string
}

// elemUse counts the tests one list element makes: a pattern cannot bind
// two tests to the same element of a list.
type elemUse struct {
	n    *node
	path string
	cnt  *int
}

// sco is one STIX Cyber-observable Object being built.
type sco struct {
	typ  string
	m    *jmap
	path string
	seed string
}

// jmap is a JSON object with its members in the order set.
type jmap struct {
	keys []string
	vals []any
}

func (m *jmap) get(k string) any {
	if m == nil {
		return nil
	}
	for i, key := range m.keys {
		if key == k {
			return m.vals[i]
		}
	}
	return nil
}

func (m *jmap) set(k string, v any) {
	for i, key := range m.keys {
		if key == k {
			m.vals[i] = v
			return
		}
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

func (m *jmap) del(k string) {
	if m == nil {
		return
	}
	for i, key := range m.keys {
		if key == k {
			m.keys = append(m.keys[:i], m.keys[i+1:]...)
			m.vals = append(m.vals[:i], m.vals[i+1:]...)
			return
		}
	}
}

// ow writes the properties of one level of a CybOX object: the root SCO,
// a dictionary in it, an SCO it refers to, or an element of a list.
type ow struct {
	c      *conv
	o      *cyObj
	prefix string // pattern path so far, ending in "." below the root
	m      *jmap
	s      *sco
	cnt    *int // tests of the list element this writer is in
}

// setType sets the STIX 2.1 type of the SCO this writer writes.
func (w *ow) setType(t string) { w.s.typ = t }

// typ returns the STIX 2.1 type of the SCO this writer writes.
func (w *ow) typ() string { return w.s.typ }

// val writes the value of element n (nil: nothing) as property key.
func (w *ow) val(key string, kind vkind, n *node) {
	if n == nil {
		return
	}
	w.add(key, test{kind: kind, val: n.text, n: n})
}

// add writes a test of property key: a comparison for a pattern, or, for
// observed data, the value itself when the element states one (no
// condition but Equals, no list).
func (w *ow) add(key string, t test) {
	if t.n != nil {
		t.n.useAll()
	}
	if w.cnt != nil {
		*w.cnt++
	}
	if !w.o.inst {
		t.path = w.prefix + pathKey(key)
		w.o.tests = append(w.o.tests, t)
		return
	}
	v, ok := w.instValue(t)
	if ok {
		w.m.set(key, v)
	}
}

// instValue is the SCO value of a test, or false with a report.
func (w *ow) instValue(t test) (any, bool) {
	path := ""
	if t.n != nil {
		path = t.n.path()
	}
	cond, _, delim, _ := t.attrs()
	if t.cond != "" || cond != "Equals" || (delim != "" && strings.Contains(t.val, delim)) {
		w.c.skip(path, w.o.construct, "a pattern ("+cond+", or a list of values) in an observable that no indicator holds has no observed-data equivalent; not converted")
		return nil, false
	}
	v := t.prefix + strings.TrimSpace(t.val)
	if t.lower {
		v = strings.ToLower(v)
	}
	var out any
	var err error
	switch t.kind {
	case kInt:
		var lit string
		lit, err = literal(kInt, v)
		if err == nil {
			out = jsonNumber(lit)
		}
	case kTime:
		tm, ok := parseTime(v)
		if !ok {
			err = errNoPattern(quoteText(v) + " is not an xs:dateTime")
		} else {
			out = stamp(tm)
		}
	case kBin:
		b, ok := base64Value(v)
		if !ok {
			err = errNoPattern("the value is not base64")
		}
		out = b
	case kHex:
		h, ok := hexValue(v)
		if !ok {
			err = errNoPattern(quoteText(v) + " is not an even number of hex digits")
		}
		out = h
	case kBool:
		b, ok := boolValue(v)
		if !ok {
			err = errNoPattern(quoteText(v) + " is not a boolean")
		}
		out = b
	default:
		out = v
	}
	if err != nil {
		w.c.skip(path, w.o.construct, err.Error()+"; not converted")
		return nil, false
	}
	return out, true
}

// jsonNumber is an integer already written as JSON.
type jsonNumber string

// dict returns the writer of the dictionary key (hashes, extensions, a
// header dictionary).
func (w *ow) dict(key string) *ow {
	sub := &ow{c: w.c, o: w.o, prefix: w.prefix + pathKey(key) + ".", s: w.s, cnt: w.cnt}
	if w.o.inst {
		m, _ := w.m.get(key).(*jmap)
		if m == nil {
			m = &jmap{}
			w.m.set(key, m)
		}
		sub.m = m
	}
	return sub
}

// ref returns the writer of a new SCO of type typ that property key refers
// to (from_ref, src_ref, parent_directory_ref ...).
func (w *ow) ref(key, typ string, at *node) *ow {
	sub := &ow{c: w.c, o: w.o, prefix: w.prefix + key + ".", cnt: w.cnt}
	sub.s = &sco{typ: typ, m: &jmap{}, path: pathOf(at), seed: w.s.seed + "/" + key}
	sub.m = sub.s.m
	if w.o.inst {
		w.m.set(key, sub.s)
	}
	return sub
}

// refs returns the writer of a new SCO appended to the list of references
// key (to_refs, child_refs ...).
func (w *ow) refs(key, typ string, at *node) *ow {
	sub := &ow{c: w.c, o: w.o, prefix: w.prefix + key + "[*].", cnt: w.elemCounter(at, key)}
	sub.s = &sco{typ: typ, m: &jmap{}, path: pathOf(at), seed: w.s.seed + "/" + key + "/" + pathOf(at)}
	sub.m = sub.s.m
	if w.o.inst {
		list, _ := w.m.get(key).([]any)
		w.m.set(key, append(list, sub.s))
	}
	return sub
}

// elem returns the writer of a new object appended to the list key
// (values of a registry key, body_multipart of an email).
func (w *ow) elem(key string, at *node) *ow {
	sub := &ow{c: w.c, o: w.o, prefix: w.prefix + key + "[*].", s: w.s, cnt: w.elemCounter(at, key)}
	sub.m = &jmap{}
	if w.o.inst {
		list, _ := w.m.get(key).([]any)
		w.m.set(key, append(list, sub.m))
	}
	return sub
}

func (w *ow) elemCounter(at *node, key string) *int {
	if w.cnt != nil {
		return w.cnt
	}
	cnt := new(int)
	w.o.elems = append(w.o.elems, elemUse{n: at, path: w.prefix + key, cnt: cnt})
	return cnt
}

// list writes the value of n (or val, when set) as one more element of
// the list of strings key (protocols, received_lines).
func (w *ow) list(key string, n *node, val string, lower bool) {
	if n == nil {
		return
	}
	if val == "" {
		val = n.text
	}
	t := test{kind: kStr, val: val, n: n, lower: lower}
	if !w.o.inst {
		n.useAll()
		t.path = w.prefix + key + "[*]"
		w.o.tests = append(w.o.tests, t)
		return
	}
	n.useAll()
	v, ok := w.instValue(t)
	if !ok {
		return
	}
	list, _ := w.m.get(key).([]any)
	for _, e := range list {
		if e == v {
			return
		}
	}
	w.m.set(key, append(list, v))
}

// mapper reads the Properties of one CybOX object type.
type mapper func(w *ow, p *node)

// mappers are the CybOX object types converted, by the local name of
// their xsi:type (in a http://cybox.mitre.org/objects# namespace).
var mappers map[string]mapper

func init() {
	mappers = map[string]mapper{
		"AddressObjectType":               mapAddress,
		"DomainNameObjectType":            mapDomainName,
		"HostnameObjectType":              mapHostname,
		"URIObjectType":                   mapURI,
		"LinkObjectType":                  mapURI,
		"FileObjectType":                  mapFile,
		"WindowsFileObjectType":           mapFile,
		"WindowsExecutableFileObjectType": mapFile,
		"EmailMessageObjectType":          mapEmail,
		"NetworkConnectionObjectType":     mapNetworkConnection,
		"NetworkSocketObjectType":         mapSocket,
		"HTTPSessionObjectType":           mapHTTPSession,
		"WindowsRegistryKeyObjectType":    mapRegistryKey,
		"ProcessObjectType":               mapProcess,
		"WindowsProcessObjectType":        mapProcess,
		"UnixProcessObjectType":           mapProcess,
		"MutexObjectType":                 mapMutex,
		"WindowsMutexObjectType":          mapMutex,
		"UserAccountObjectType":           mapUserAccount,
		"WindowsUserAccountObjectType":    mapUserAccount,
		"UnixUserAccountObjectType":       mapUserAccount,
		"ArtifactObjectType":              mapArtifact,
		"X509CertificateObjectType":       mapX509,
		"ASObjectType":                    mapAS,
	}
}

// readObject reads a cybox:Object (or Related_Object) with its mapper. It
// returns nil, after reporting why, when the object is not converted.
func (c *conv) readObject(obj *node, inst bool, seed string) *cyObj {
	props := obj.kid("Properties")
	if props == nil {
		c.skip(obj.path(), "observable", "a CybOX object without Properties is not converted")
		return nil
	}
	uri, local, raw := props.xsiType()
	construct := "cybox:" + strings.TrimSuffix(local, "Type")
	m := mappers[local]
	if m == nil || !strings.HasPrefix(uri, cyboxObjects) {
		props.useAll()
		if raw == "" {
			raw = "(none)"
		}
		c.skip(props.path(), "cybox:"+raw, "the CybOX object of xsi:type "+raw+" is not converted")
		return nil
	}
	o := &cyObj{c: c, inst: inst, obj: obj, seed: seed, construct: construct, consumed: map[*node]bool{}}
	if rel := obj.kid("Related_Objects"); rel != nil {
		o.related = map[string]*node{}
		for _, r := range rel.all("Related_Object") {
			if id := r.attr("id"); id != "" {
				o.related[id] = r
			}
		}
	}
	o.root = &sco{m: &jmap{}, path: props.path(), seed: seed}
	w := &ow{c: c, o: o, s: o.root, m: o.root.m}
	m(w, props)
	if o.root.typ == "" {
		return nil
	}
	c.rest(props, construct)
	if !inst {
		for _, e := range o.elems {
			if *e.cnt > 1 {
				c.approx(pathOf(e.n), construct, "a STIX pattern cannot require that its tests of "+e.path+"[*] hold for the same element of the list; each may hold for a different one")
			}
		}
	}
	return o
}

// relatedObject returns the Related_Object with the id an
// object_reference names, and marks it used by the mapper.
func (o *cyObj) relatedObject(id string) *node {
	r := o.related[id]
	if r != nil {
		o.consumed[r] = true
		r.used = true
	}
	return r
}

// pathOf returns the path of n, or "" for nil.
func pathOf(n *node) string {
	if n == nil {
		return ""
	}
	return n.path()
}

// rest reports the unread children of a sub-element of Properties.
func (w *ow) rest(n *node) { w.c.rest(n, w.o.construct) }
