package stix

// Class is the kind of a STIX object type.
type Class int

// The classes of STIX 2.1 objects.
const (
	ClassUnknown Class = iota // a custom or extension-defined type
	ClassSDO                  // STIX Domain Object, section 4
	ClassSRO                  // STIX Relationship Object, section 5
	ClassSCO                  // STIX Cyber-observable Object, section 6
	ClassMeta                 // marking-definition, language-content, extension-definition, section 7
)

// String names the class.
func (c Class) String() string {
	switch c {
	case ClassSDO:
		return "SDO"
	case ClassSRO:
		return "SRO"
	case ClassSCO:
		return "SCO"
	case ClassMeta:
		return "meta"
	}
	return "unknown"
}

// typeDef describes one object type: its class, the properties that it adds
// to its class's common ones, the rules between them, and for SCOs the ID
// contributing properties (section 2.9) and predefined extensions.
type typeDef struct {
	class      Class
	common     props // overrides the class's common properties (meta objects)
	props      props
	rules      []rule
	idContrib  []string
	extensions map[string]props
	all        props    // common and props together, computed once
	allNames   []string // the names of all, sorted, computed once
}

// registry maps each type name of STIX 2.1 to its definition.
var registry = func() map[string]*typeDef {
	r := map[string]*typeDef{}
	add := func(defs map[string]*typeDef, class Class, common props) {
		for name, d := range defs {
			d.class = class
			if d.common == nil {
				d.common = common
			}
			d.all = merge(d.common, d.props)
			d.allNames = sortedKeys(d.all)
			r[name] = d
		}
	}
	add(sdoTypes, ClassSDO, sdoCommon)
	add(sroTypes, ClassSRO, sdoCommon)
	add(scoTypes, ClassSCO, scoCommon)
	add(metaTypes, ClassMeta, nil)
	return r
}()

// typeClasses names every object type of STIX 2.1 with its class. It is a
// plain list, apart from the registry, so that property checks can refer to
// classes without an initialisation cycle.
var typeClasses = map[string]Class{
	"attack-pattern": ClassSDO, "campaign": ClassSDO, "course-of-action": ClassSDO, "grouping": ClassSDO,
	"identity": ClassSDO, "incident": ClassSDO, "indicator": ClassSDO, "infrastructure": ClassSDO,
	"intrusion-set": ClassSDO, "location": ClassSDO, "malware": ClassSDO, "malware-analysis": ClassSDO,
	"note": ClassSDO, "observed-data": ClassSDO, "opinion": ClassSDO, "report": ClassSDO,
	"threat-actor": ClassSDO, "tool": ClassSDO, "vulnerability": ClassSDO,
	"relationship": ClassSRO, "sighting": ClassSRO,
	"artifact": ClassSCO, "autonomous-system": ClassSCO, "directory": ClassSCO, "domain-name": ClassSCO,
	"email-addr": ClassSCO, "email-message": ClassSCO, "file": ClassSCO, "ipv4-addr": ClassSCO,
	"ipv6-addr": ClassSCO, "mac-addr": ClassSCO, "mutex": ClassSCO, "network-traffic": ClassSCO,
	"process": ClassSCO, "software": ClassSCO, "url": ClassSCO, "user-account": ClassSCO,
	"windows-registry-key": ClassSCO, "x509-certificate": ClassSCO,
	"language-content": ClassMeta, "marking-definition": ClassMeta, "extension-definition": ClassMeta,
}

// TypeClass returns the class of a STIX 2.1 type name, or ClassUnknown for
// a custom type.
func TypeClass(typ string) Class { return typeClasses[typ] }

// Types returns the names of every object type that STIX 2.1 defines.
func Types() []string { return sortedKeys(typeClasses) }

func isKnownType(t string) bool { _, ok := typeClasses[t]; return ok }
func isSCOType(t string) bool   { return TypeClass(t) == ClassSCO }
func isSDOType(t string) bool   { return TypeClass(t) == ClassSDO }
