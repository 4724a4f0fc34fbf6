package stix

import (
	"github.com/google/uuid"
)

// SCONamespace is the UUIDv5 namespace of deterministic SCO identifiers
// (section 2.9).
var SCONamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// hashPreference is the order in which section 2.9 picks the one hash of a
// hashes property that contributes to an SCO id.
var hashPreference = []string{"MD5", "SHA-1", "SHA-256", "SHA-512"}

// DeterministicID computes the identifier of an SCO from its ID
// contributing properties (section 2.9 and each type's section 6 entry): a
// UUIDv5 in SCONamespace over the RFC 8785 canonical JSON of those
// properties that are present. ok is false when the type has no ID
// contributing properties (process, custom types) or none is present, in
// which case a UUIDv4 is the right id.
func DeterministicID(o *Object) (id string, ok bool, err error) {
	def := registry[o.Type()]
	if def == nil || def.class != ClassSCO || def.idContrib == nil {
		return "", false, nil
	}
	m, err := o.Value()
	if err != nil {
		return "", false, err
	}
	return deterministicID(o.Type(), m, def.idContrib)
}

func deterministicID(typ string, m map[string]any, contrib []string) (string, bool, error) {
	sub := map[string]any{}
	for _, name := range contrib {
		v, ok := m[name]
		if !ok {
			continue
		}
		if name == "hashes" {
			h, ok := v.(map[string]any)
			if !ok {
				continue
			}
			v = chooseHash(h)
			if v == nil {
				continue
			}
		}
		sub[name] = v
	}
	if len(sub) == 0 {
		return "", false, nil
	}
	canon, err := Canonicalize(sub)
	if err != nil {
		return "", false, err
	}
	return typ + "--" + uuid.NewSHA1(SCONamespace, canon).String(), true, nil
}

// chooseHash returns the single hash that contributes to an id: the first
// of MD5, SHA-1, SHA-256 and SHA-512 present, else the first by name.
func chooseHash(h map[string]any) map[string]any {
	for _, name := range hashPreference {
		if v, ok := h[name]; ok {
			return map[string]any{name: v}
		}
	}
	for _, k := range sortedKeys(h) {
		return map[string]any{k: h[k]}
	}
	return nil
}

// checkDeterministicID warns when an SCO's id is not the one its ID
// contributing properties give. Section 2.9 makes deterministic ids a
// SHOULD, so a mismatch is a warning, not an error.
func (c *checker) checkDeterministicID(m map[string]any, contrib []string) {
	id, _ := m["id"].(string)
	typ, _ := m["type"].(string)
	if checkID(id) != "" {
		return
	}
	want, ok, err := deterministicID(typ, m, contrib)
	if err != nil || !ok || want == id {
		return
	}
	c.warnf("id", "is not the deterministic id of this %s: its ID contributing properties give %s (section 2.9)", typ, want)
}
