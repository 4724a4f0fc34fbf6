package anon

import (
	"encoding/json"
	"slices"

	"github.com/isachub/isachub"
	"github.com/isachub/isachub/stix"
)

// Config says how to anonymise one submission.
type Config struct {
	// CommunityIdentity is the id of the community's identity
	// (CommunityIdentity(c).ID()): the new created_by_ref of every object.
	CommunityIdentity string
	// SectorIdentity is the id of the generic identity
	// (SectorIdentity(c).ID()) that replaces every other reference to the
	// submitter: where_sighted_refs, relationship ends, object_refs and
	// custom references.
	SectorIdentity string
	// Submitter are the identity ids known to be the submitter's (its
	// Org.IdentityID).
	Submitter []string
	// Rules are the redaction rules of the free text; nil redacts only the
	// names of the dropped identity objects.
	Rules *Rules
	// Key is the re-minting key (see Remint and OrgKey); it must not be
	// empty.
	Key []byte
}

// Result is an anonymised submission.
type Result struct {
	// Objects are the transformed objects, in input order, the dropped ones
	// left out.
	Objects []*stix.Object
	// IDs maps the original id of every kept object to its published id.
	IDs map[string]string
	// Dropped are the ids of the objects that were left out: the
	// submitter's identity objects, the locations in where_sighted_refs,
	// and copies of the community's own two identities.
	Dropped []string
	// Warnings are what the submitter should look at in the preview.
	Warnings []Warning
}

// Warning is one thing the submitter should check before publishing.
type Warning struct {
	ObjectID string `json:"object_id"` // the published id
	Path     string `json:"path"`      // the property, relative to the object
	Message  string `json:"message"`
}

// Anonymise re-issues a submission under the community's identity so that
// nothing in it tells who sent it; the package documentation states the
// rules. It does not modify objs, and the same objects and configuration
// always give byte-identical output. It returns an EINVALID error when the
// configuration is incomplete, or when a transformation would make an
// object that was valid invalid (a redacted URL, for example): the message
// names the object and the property.
func Anonymise(objs []*stix.Object, cfg Config) (*Result, error) {
	if len(cfg.Key) == 0 {
		return nil, isachub.Errorf(isachub.EINVALID, "The re-minting key of the anonymous submission is empty.")
	}
	if cfg.CommunityIdentity == "" || cfg.SectorIdentity == "" {
		return nil, isachub.Errorf(isachub.EINVALID, "The community identity and the sector identity of an anonymous submission must both be set.")
	}
	for i, o := range objs {
		if o == nil {
			return nil, isachub.Errorf(isachub.EINVALID, "Object %d of the submission is missing.", i)
		}
	}
	a := newAnonymiser(objs, cfg)
	a.resolveIDs()
	res := &Result{IDs: map[string]string{}, Dropped: a.dropped}
	for _, o := range a.kept {
		out, err := a.transform(o)
		if err != nil {
			return nil, err
		}
		res.Objects = append(res.Objects, out)
		if id := o.ID(); id != "" {
			res.IDs[id] = out.ID()
		}
	}
	res.Warnings = a.warnings
	return res, nil
}

// anonymiser holds the state of one Anonymise call.
type anonymiser struct {
	cfg       Config
	rules     *Rules
	own       map[string]bool // the community's two identities
	submitter map[string]bool
	kept      []*stix.Object
	dropped   []string
	class     map[string]stix.Class // by original id
	first     map[string]*stix.Object
	newID     map[string]string  // original id -> published id
	byUUID    map[string][]idRef // lowercase UUID -> original ids with it
	pending   map[string]int     // SCO id -> 0 unvisited, 1 visiting, 2 visited
	// subUUID maps the lowercase UUID of each submitter identity to its
	// types; oddSubmitters are the submitter ids without a UUID.
	subUUID       map[string][]string
	oddSubmitters []string
	warnings      []Warning
}

// idRef is an original id split for the free-text scan.
type idRef struct{ typ, id string }

func newAnonymiser(objs []*stix.Object, cfg Config) *anonymiser {
	a := &anonymiser{
		cfg:       cfg,
		own:       map[string]bool{cfg.CommunityIdentity: true, cfg.SectorIdentity: true},
		submitter: map[string]bool{},
		class:     map[string]stix.Class{},
		first:     map[string]*stix.Object{},
		newID:     map[string]string{},
		byUUID:    map[string][]idRef{},
		pending:   map[string]int{},
	}
	// Rule 1: the submitter's identities.
	for _, id := range cfg.Submitter {
		if id != "" && !a.own[id] {
			a.submitter[id] = true
		}
	}
	for _, o := range objs {
		if wellKnown(o.ID()) {
			continue // a TLP marking's creator is FIRST or OASIS, not the submitter
		}
		if ref := o.CreatedByRef(); ref != "" && !a.own[ref] {
			a.submitter[ref] = true
		}
		if o.Type() == "sighting" {
			for _, ref := range o.Strings("where_sighted_refs") {
				if ref != "" && !a.own[ref] {
					a.submitter[ref] = true
				}
			}
		}
	}
	var names []string
	droppedSet := map[string]bool{}
	for _, o := range objs {
		id := o.ID()
		switch {
		case a.own[id] && o.Type() == "identity",
			a.submitter[id] && (o.Type() == "identity" || o.Type() == "location"):
			if !droppedSet[id] {
				droppedSet[id] = true
				a.dropped = append(a.dropped, id)
			}
			if !a.own[id] {
				if n := o.String("name"); n != "" {
					names = append(names, n)
				}
			}
			continue
		}
		a.kept = append(a.kept, o)
	}
	// An object that is kept is not a submitter identity, whatever refers
	// to it: it gets a new id like any other.
	for _, o := range a.kept {
		delete(a.submitter, o.ID())
	}
	a.subUUID = map[string][]string{}
	for _, id := range sortedKeys(a.submitter) {
		if typ, u, ok := stix.SplitID(id); ok && len(u) == 36 && isUUIDAt(u, 0) {
			lu := asciiLower(u)
			a.subUUID[lu] = append(a.subUUID[lu], typ)
		} else {
			a.oddSubmitters = append(a.oddSubmitters, id)
		}
	}
	a.rules = cfg.Rules
	if len(names) > 0 {
		a.rules = cfg.Rules.withLiterals(names...)
	}
	return a
}

// wellKnown reports whether id is one of the well-known TLP 1.0 and 2.0
// marking definitions or the TLP 2.0 extension definition, which keep
// their ids and contents.
func wellKnown(id string) bool {
	_, ok := stix.TLPOfMarking(id)
	return ok || id == stix.TLP2Extension
}

// classOf returns the class of an object: its type's, or for a custom type
// the class its new-sdo/new-sro/new-sco extension declares (section 7.3).
func classOf(o *stix.Object) stix.Class {
	if c := stix.TypeClass(o.Type()); c != stix.ClassUnknown {
		return c
	}
	raw, ok := o.Property("extensions")
	if !ok {
		return stix.ClassUnknown
	}
	var exts map[string]json.RawMessage
	if json.Unmarshal(raw, &exts) != nil {
		return stix.ClassUnknown
	}
	for _, k := range sortedKeys(exts) {
		var ext struct {
			Type any `json:"extension_type"`
		}
		if json.Unmarshal(exts[k], &ext) != nil {
			continue
		}
		switch ext.Type {
		case "new-sdo":
			return stix.ClassSDO
		case "new-sro":
			return stix.ClassSRO
		case "new-sco":
			return stix.ClassSCO
		}
	}
	return stix.ClassUnknown
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
