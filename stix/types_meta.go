package stix

import "slices"

// The meta objects of section 7: language-content, marking-definition and
// extension-definition. Their common properties differ from SDOs', so each
// lists its own.

// metaCommon are the properties that marking-definition,
// language-content and extension-definition share.
var metaCommon = props{
	"type":                req(tString),
	"spec_version":        req(tString),
	"id":                  req(tString),
	"created_by_ref":      opt(tRef("identity")),
	"created":             req(tTimestampMs),
	"external_references": opt(tExternalReferences),
	"object_marking_refs": opt(tRefs("marking-definition")),
	"granular_markings":   opt(tGranularMarkings),
	"extensions":          opt(tAny),
}

// versionedMeta adds what the versioned meta objects have. confidence and
// lang are accepted because the OASIS schemas allow them on these objects.
var versionedMeta = merge(metaCommon, props{
	"modified":   req(tTimestampMs),
	"revoked":    opt(tBool),
	"labels":     opt(tStrings),
	"confidence": opt(tInteger(0, 100)),
	"lang":       opt(tLang),
})

var metaTypes = map[string]*typeDef{
	"language-content": {common: versionedMeta, props: props{
		"object_ref":      req(tRef()),
		"object_modified": opt(tTimestampMs),
		"contents":        req(tLangDict(tDict(tAny))),
	}},
	"marking-definition": {common: metaCommon, props: props{
		"name":            opt(tString),
		"definition_type": opt(tString),
		"definition":      opt(tAny),
	}, rules: []rule{markingDefinitionRule}},
	"extension-definition": {common: merge(versionedMeta, props{
		"created_by_ref": req(tRef("identity")),
	}), props: props{
		"name":                 req(tString),
		"description":          opt(tString),
		"schema":               req(tString),
		"version":              req(tString),
		"extension_types":      req(tList(tEnum(extensionTypeEnum...))),
		"extension_properties": opt(tStrings),
	}, rules: []rule{extensionDefinitionRule}},
}

// markingDefinitionRule checks section 7.2.1: definition_type and
// definition go together, and a marking definition has either them or an
// extension (TLP 2.0 and other extension-based markings).
func markingDefinitionRule(c *checker, m map[string]any) {
	dt, hasType := m["definition_type"]
	def, hasDef := m["definition"]
	_, hasExt := m["extensions"]
	switch {
	case hasType && !hasDef:
		c.errorf("definition", "is required when definition_type is present (section 7.2.1)")
	case hasDef && !hasType:
		c.errorf("definition_type", "is required when definition is present (section 7.2.1)")
	case !hasType && !hasExt:
		c.errorf("", "a marking definition needs definition_type and definition, or an extension that defines the marking (section 7.2.1)")
	}
	if !hasType || !hasDef {
		return
	}
	dm, ok := def.(map[string]any)
	if !ok {
		c.wrongType("definition", "an object", def)
		return
	}
	switch dt {
	case "statement":
		c.checkProps("definition", dm, props{"statement": req(tString)}, c.customProperty)
	case "tlp":
		c.checkProps("definition", dm, props{"tlp": req(tEnum("white", "green", "amber", "red"))}, c.customProperty)
	default:
		c.warnf("definition_type", "%v is not a definition type of STIX 2.1 (statement, tlp)", dt)
	}
	if id, _ := m["id"].(string); id != "" {
		for _, ref := range stringsOf(m["object_marking_refs"]) {
			if ref == id {
				c.errorf("object_marking_refs", "a marking definition must not mark itself (section 7.2.1)")
			}
		}
	}
}

// extensionDefinitionRule checks section 7.3: extension_properties, "the
// list of new property names that are added to an object by an
// extension", "MUST only be used when the extension_types contains
// toplevel-property-extension" (the OASIS schema says the same); a
// toplevel-property-extension should list its properties.
func extensionDefinitionRule(c *checker, m map[string]any) {
	_, listed := m["extension_properties"]
	toplevel := slices.Contains(stringsOf(m["extension_types"]), "toplevel-property-extension")
	switch {
	case listed && !toplevel:
		c.errorf("extension_properties", "must only be used when extension_types contains toplevel-property-extension (section 7.3)")
	case !listed && toplevel:
		c.warnf("extension_properties", "should list the properties of a toplevel-property-extension (section 7.3)")
	}
}

func stringsOf(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, e := range a {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
