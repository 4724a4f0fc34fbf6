package isachub

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/isachub/isachub/stix"
)

// Rules every store applies to what it stores, that are not SQL: both
// stores call these, so that SQLite and PostgreSQL refuse, answer and index
// the same way (storetest holds them to it).

// Storable is what a store needs of an object version before it writes it.
type Storable struct {
	// SpecVersion is the object's spec_version, or, when absent, the
	// default of STIX 2.1 section 3.2: "2.1" for an SCO (no created or
	// modified), "2.0" for anything else.
	SpecVersion string
	// Versioned is true when the object has modified or created (TAXII
	// 2.1 section 3.4.2: its version); Version is that timestamp, UTC.
	// Unversioned objects (SCOs) take their date_added as version.
	Versioned bool
	Version   time.Time
}

// CheckStorable returns what a store needs of o, or the EINVALID error that
// makes it unstorable: no id or type, an id of another type, a version that
// is not an RFC 3339 timestamp, a NUL character in a property the stores
// keep in columns of their own, or text that is not UTF-8 (stix.TextIssue:
// the stores return objects byte for byte, so they must never hold one a
// reader's JSON decoder would refuse). The server validates every object
// before (pattern.Validate); this is the stores' own floor, so that no
// caller can store what no reader could read.
func CheckStorable(o *stix.Object) (Storable, error) {
	id, typ := o.ID(), o.Type()
	switch {
	case id == "" || typ == "":
		return Storable{}, Errorf(EINVALID, "The object has no id or no type.")
	case !strings.HasPrefix(id, typ+"--"):
		return Storable{}, Errorf(EINVALID, "The id %q does not start with the object's type %q.", id, typ)
	}
	if path, problem, ok := stix.TextIssue(o.Raw()); !ok {
		return Storable{}, Errorf(EINVALID, "The object %q cannot be stored: %s %s.", id, pathName(path), problem)
	}
	for _, s := range append([]string{id, typ, o.SpecVersion(), o.Created(), o.Modified(), o.CreatedByRef()}, o.ObjectMarkingRefs()...) {
		if strings.ContainsRune(s, 0) {
			return Storable{}, Errorf(EINVALID, "The object %q has a NUL character (\\u0000) in a common property.", id)
		}
	}
	st := Storable{SpecVersion: o.SpecVersion()}
	if v := o.Version(); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return Storable{}, Errorf(EINVALID, "The version timestamp %q of %s is not an RFC 3339 timestamp.", v, id)
		}
		st.Versioned, st.Version = true, t.UTC()
	}
	if st.SpecVersion == "" {
		st.SpecVersion = "2.0"
		if !st.Versioned {
			st.SpecVersion = "2.1"
		}
	}
	return st, nil
}

// pathName names a path of stix.TextIssue in a message.
func pathName(path string) string {
	if path == "" {
		return "the object"
	}
	return "property " + path
}

// ErrNotOwner is the ECONFLICT of a version of an object that another
// organisation first published in the collection: only the first
// publisher may add versions (version ownership, checked by the store in
// its write transaction).
func ErrNotOwner(id string) error {
	return Errorf(ECONFLICT,
		"The object %s was first published in this collection by another organisation; only that organisation may add versions of it.", id)
}

// DuplicateNote returns the AddResult.Note of a version sent again: "" when
// sent has the same content as the stored version (the same bytes, or the
// same JSON in its canonical form, RFC 8785), and MsgDuplicateContent when
// it differs. TAXII 2.1 section 5.4 lets a server keep the first of two
// versions with the same id and version; the hub does, and says so, so
// that the sender knows its new content was not stored.
func DuplicateNote(stored, sent []byte) string {
	if bytes.Equal(stored, sent) || sameJSON(stored, sent) {
		return ""
	}
	return MsgDuplicateContent
}

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(a, b []byte) bool {
	ca, erra := canonical(a)
	cb, errb := canonical(b)
	return erra == nil && errb == nil && bytes.Equal(ca, cb)
}

func canonical(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return stix.Canonicalize(v)
}

// MsgDuplicateContent is DuplicateNote's message.
const MsgDuplicateContent = "This version (id and modified) is stored already with other content; the first one received is kept and this one was not stored. Give a changed object a new modified timestamp."

// SearchProperties are the top-level string properties whose text
// full-text search finds (Store.SearchObjects): names, descriptions,
// patterns and the values of SCOs. SearchLists are the searchable
// properties that are lists of strings; the values of hashes are
// searchable too.
var (
	SearchProperties = []string{"name", "description", "pattern", "value", "display_name",
		"subject", "body", "path", "key", "abstract", "content", "explanation", "url"}
	SearchLists = []string{"aliases", "labels"}
)

// SearchText returns the text of o that full-text search indexes, one
// property value per line: the SearchProperties, SearchLists and the
// values of hashes, in that order (hash values sorted by algorithm name).
// Each store splits it into words its own way.
func SearchText(o *stix.Object) string {
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, p := range SearchProperties {
		line(o.String(p))
	}
	for _, p := range SearchLists {
		for _, s := range o.Strings(p) {
			line(s)
		}
	}
	if raw, ok := o.Property("hashes"); ok {
		var hs map[string]string
		if json.Unmarshal(raw, &hs) == nil {
			for _, k := range slices.Sorted(maps.Keys(hs)) {
				line(hs[k])
			}
		}
	}
	return b.String()
}

// Reference is one id an object refers to by one of its top-level
// properties: what the stores' reference index keeps, so that a page can
// ask which objects refer to an id (incoming relationships, the sightings
// of an indicator, the notes and opinions on an object).
type Reference struct {
	Property string // for example "target_ref", "sighting_of_ref", "object_refs"
	Ref      string // the id referred to
}

// References returns what o refers to by its top-level properties whose
// names end in _ref or _refs (STIX 2.1 section 3.1, "Reference
// Properties"), in the order of its keys, except created_by_ref and
// object_marking_refs: every object names its creator and its markings,
// so indexing those would only slow ingest. Embedded relationships nested
// deeper (granular markings, extensions) are not indexed. A pair that
// occurs twice is returned once.
func References(o *stix.Object) []Reference {
	var out []Reference
	seen := map[Reference]bool{}
	add := func(r Reference) {
		if r.Ref != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, k := range o.Keys() {
		if k == "created_by_ref" || k == "object_marking_refs" {
			continue
		}
		switch {
		case strings.HasSuffix(k, "_ref"):
			add(Reference{k, o.String(k)})
		case strings.HasSuffix(k, "_refs"):
			for _, s := range o.Strings(k) {
				add(Reference{k, s})
			}
		}
	}
	return out
}

// NewCommunitySecret returns a new community's key for re-minting
// anonymous ids (Community.AnonSecret): 32 bytes from crypto/rand, which
// never fails on supported systems.
func NewCommunitySecret() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// CheckSchema returns why a database whose schema_migrations holds
// applied cannot be served by a binary that embeds the migrations known,
// or nil: every known migration must be applied, and none the binary does
// not know (a newer binary migrated the database; this one would
// misread it).
func CheckSchema(applied, known []int) error {
	for _, v := range known {
		if !slices.Contains(applied, v) {
			return Errorf(EINTERNAL, "The database lacks migration %d: run isachub migrate (serve applies migrations when it starts).", v)
		}
	}
	for _, v := range applied {
		if !slices.Contains(known, v) {
			return Errorf(EINTERNAL, "The database has migration %d, which this binary does not know: a newer isachub migrated it.", v)
		}
	}
	return nil
}
