package anon

import (
	"slices"
	"strings"

	"github.com/isachub/isachub/stix"
)

// Rule 2: the id map, and the recognition of ids inside text.

// resolveIDs builds the id map (rule 2): well-known TLP markings keep their
// ids, SCOs get their deterministic id over their rewritten properties,
// everything else is re-minted.
func (a *anonymiser) resolveIDs() {
	var scos []string
	for _, o := range a.kept {
		id := o.ID()
		if id == "" || a.first[id] != nil {
			continue
		}
		a.first[id] = o
		a.class[id] = classOf(o)
		if typ, u, ok := stix.SplitID(id); ok && len(u) == 36 {
			lu := asciiLower(u)
			a.byUUID[lu] = append(a.byUUID[lu], idRef{typ, id})
		}
		switch {
		case a.own[id]:
			a.newID[id] = id // a custom object that reuses an own id: keep it
		case wellKnown(id):
			a.newID[id] = id
		case a.class[id] == stix.ClassSCO:
			a.pending[id] = 0
			scos = append(scos, id)
		default:
			a.newID[id] = Remint(a.cfg.Key, id)
		}
	}
	a.resolveSCOs(scos)
}

// resolveSCOs gives SCOs their deterministic ids (section 2.9), computed
// over their properties after the references in them were rewritten. The
// SCOs are visited so that those referred to come first (a depth-first
// post-order); passes repeat until no id changes. References that do not
// contribute to an id may form cycles (network-traffic encapsulates_refs
// and encapsulated_by_ref): they settle in the second pass. An SCO whose
// id still changes after that is in a cycle of contributing references
// (through custom extensions) and is re-minted instead.
func (a *anonymiser) resolveSCOs(scos []string) {
	var order []string
	var visit func(id string)
	visit = func(id string) {
		a.pending[id] = 1
		v, _ := a.first[id].Value()
		for _, ref := range a.referencedIDs(v) {
			if state, isSCO := a.pending[ref]; isSCO && state == 0 {
				visit(ref)
			}
		}
		a.pending[id] = 2
		order = append(order, id)
	}
	for _, id := range scos {
		a.newID[id] = Remint(a.cfg.Key, id)
		if a.pending[id] == 0 {
			visit(id)
		}
	}
	frozen := map[string]bool{}
	for round := 0; round <= len(order)+2; round++ {
		var changed []string
		for _, id := range order {
			if frozen[id] {
				continue
			}
			if det, ok := a.deterministicID(id); ok && det != a.newID[id] {
				a.newID[id] = det
				changed = append(changed, id)
			}
		}
		if len(changed) == 0 {
			return
		}
		if round >= 2 {
			for _, id := range changed {
				frozen[id] = true
				a.newID[id] = Remint(a.cfg.Key, id)
			}
		}
	}
}

// deterministicID computes the deterministic id of the SCO id over its
// properties rewritten with the current id map.
func (a *anonymiser) deterministicID(id string) (string, bool) {
	v, _ := a.first[id].Value()
	ctx := &objContext{a: a, sco: true, noRedact: true, quiet: true}
	w, err := ctx.walk(v, "", "", false)
	if err != nil {
		return "", false
	}
	data, err := encode(w)
	if err != nil {
		return "", false
	}
	o, err := stix.ParseObject(data)
	if err != nil {
		return "", false
	}
	det, ok, err := stix.DeterministicID(o)
	return det, ok && err == nil
}

// referencedIDs returns, sorted, the original ids that the strings of the
// object v refer to exactly or contain, its own id property left out.
func (a *anonymiser) referencedIDs(v any) []string {
	set := map[string]bool{}
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				a.collectIDs(k, set)
				visit(e)
			}
		case []any:
			for _, e := range v {
				visit(e)
			}
		case string:
			a.collectIDs(v, set)
		}
	}
	if m, ok := v.(map[string]any); ok {
		for k, e := range m {
			if k != "id" {
				a.collectIDs(k, set)
				visit(e)
			}
		}
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (a *anonymiser) collectIDs(s string, set map[string]bool) {
	if a.first[s] != nil {
		set[s] = true
		return
	}
	eachUUID(s, func(i int) {
		if refs := a.byUUID[asciiLower(s[i:i+36])]; len(refs) > 0 {
			set[pickRef(s, i, refs).id] = true
		}
	})
}

// pickRef chooses, among the original ids sharing the UUID at s[i:], the
// one whose type is written before it, else the first.
func pickRef(s string, i int, refs []idRef) idRef {
	for _, r := range refs {
		if prefixed(s, i, r.typ) {
			return r
		}
	}
	return refs[0]
}

// prefixed reports whether s[:i] ends with typ+"--", in any case.
func prefixed(s string, i int, typ string) bool {
	n := len(typ) + 2
	return i >= n && s[i-2:i] == "--" && strings.EqualFold(s[i-n:i-2], typ)
}

// eachUUID calls f with the offset of every 8-4-4-4-12 hex substring of s,
// overlapping ones included, in increasing order.
func eachUUID(s string, f func(i int)) {
	for i := 0; i+36 <= len(s); i++ {
		if s[i+8] != '-' || s[i+13] != '-' || s[i+18] != '-' || s[i+23] != '-' {
			continue
		}
		if isUUIDAt(s, i) {
			f(i)
		}
	}
}

func isUUIDAt(s string, i int) bool {
	for k := 0; k < 36; k++ {
		switch k {
		case 8, 13, 18, 23:
			continue
		}
		if !isHexDigit(s[i+k]) {
			return false
		}
	}
	return true
}
