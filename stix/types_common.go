package stix

// Nested types of STIX 2.1 section 2 and 7, and the common properties of
// section 3.2 (SDOs, SROs), 6.1 (SCOs) and 7 (meta objects).

// externalReference is section 2.5: source_name is required, and one of
// description, url or external_id must be present (checked in a rule).
var externalReference = props{
	"source_name": req(tString),
	"description": opt(tString),
	"url":         opt(tURL),
	"hashes":      opt(tHashes),
	"external_id": opt(tString),
}

// killChainPhase is section 2.8.
var killChainPhase = props{
	"kill_chain_name": req(tString),
	"phase_name":      req(tString),
}

var tKillChainPhases = tList(tObject(killChainPhase))

func tExternalReferences(c *checker, path string, v any) {
	tList(tObject(externalReference))(c, path, v)
	refs, _ := v.([]any)
	for i, r := range refs {
		m, ok := r.(map[string]any)
		if !ok {
			continue
		}
		_, d := m["description"]
		_, u := m["url"]
		_, e := m["external_id"]
		if !d && !u && !e {
			c.errorf(at(path, i), "an external reference needs at least one of description, url or external_id (section 2.5)")
		}
		if m["source_name"] == "cve" || m["source_name"] == "capec" {
			if !e {
				c.errorf(at(path, i), "an external reference with source_name %q must have external_id (section 2.5)", m["source_name"])
			}
		}
	}
}

// sdoCommon are the common properties of SDOs and SROs (section 3.2).
var sdoCommon = props{
	"type":                req(tString),
	"spec_version":        req(tString),
	"id":                  req(tString),
	"created_by_ref":      opt(tRef("identity")),
	"created":             req(tTimestampMs),
	"modified":            req(tTimestampMs),
	"revoked":             opt(tBool),
	"labels":              opt(tStrings),
	"confidence":          opt(tInteger(0, 100)),
	"lang":                opt(tLang),
	"external_references": opt(tExternalReferences),
	"object_marking_refs": opt(tRefs("marking-definition")),
	"granular_markings":   opt(tGranularMarkings),
	"extensions":          opt(tAny), // checked by checkExtensions
}

// scoCommon are the common properties of SCOs (section 6.1); spec_version
// is optional for them.
var scoCommon = props{
	"type":                req(tString),
	"spec_version":        opt(tString),
	"id":                  req(tString),
	"object_marking_refs": opt(tRefs("marking-definition")),
	"granular_markings":   opt(tGranularMarkings),
	"defanged":            opt(tBool),
	"extensions":          opt(tAny), // checked by checkExtensions
}

// granularMarking is section 7.2.3; exactly one of lang and marking_ref is
// required (checked in tGranularMarkings), selectors resolve (checked in
// checkSelectors).
var granularMarking = props{
	"lang":        opt(tLang),
	"marking_ref": opt(tRef("marking-definition")),
	"selectors":   req(tStrings),
}

func tGranularMarkings(c *checker, path string, v any) {
	tList(tObject(granularMarking))(c, path, v)
	gms, _ := v.([]any)
	for i, g := range gms {
		m, ok := g.(map[string]any)
		if !ok {
			continue
		}
		_, l := m["lang"]
		_, r := m["marking_ref"]
		if l == r {
			c.errorf(at(path, i), "a granular marking must have exactly one of marking_ref and lang (section 7.2.3)")
		}
	}
}

// commonNames lists every property name that the spec defines as common to
// some kind of object, so that one used on the wrong kind (created on an
// SCO, defanged on an SDO) is an error rather than a custom property.
var commonNames = merge(sdoCommon, scoCommon)
