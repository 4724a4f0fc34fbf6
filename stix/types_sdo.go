package stix

// The 19 STIX Domain Objects of section 4, each with its own properties
// (the common ones are in sdoCommon) and the rules that tie them together.

var sdoTypes = map[string]*typeDef{
	"attack-pattern": {props: props{
		"name":              req(tString),
		"description":       opt(tString),
		"aliases":           opt(tStrings),
		"kill_chain_phases": opt(tKillChainPhases),
	}},
	"campaign": {props: props{
		"name":        req(tString),
		"description": opt(tString),
		"aliases":     opt(tStrings),
		"first_seen":  opt(tTimestamp),
		"last_seen":   opt(tTimestamp),
		"objective":   opt(tString),
	}, rules: []rule{notBefore("last_seen", "first_seen")}},
	"course-of-action": {props: props{
		"name":        req(tString),
		"description": opt(tString),
		// action and action_* are reserved by section 4.3 for a future
		// version: producers must not use them.
		"action":            opt(tReserved),
		"action_type":       opt(tReserved),
		"os_execution_envs": opt(tReserved),
		"action_bin":        opt(tReserved),
		"action_reference":  opt(tReserved),
	}},
	"grouping": {props: props{
		"name":        opt(tString),
		"description": opt(tString),
		"context":     req(tVocab("grouping-context-ov")),
		"object_refs": req(tRefs()),
	}},
	"identity": {props: props{
		"name":                req(tString),
		"description":         opt(tString),
		"roles":               opt(tStrings),
		"identity_class":      opt(tVocab("identity-class-ov")),
		"sectors":             opt(tVocabs("industry-sector-ov")),
		"contact_information": opt(tString),
	}},
	"incident": {props: props{
		"name":        req(tString),
		"description": opt(tString),
	}},
	"indicator": {props: props{
		"name":              opt(tString),
		"description":       opt(tString),
		"indicator_types":   opt(tVocabs("indicator-type-ov")),
		"pattern":           req(tString),
		"pattern_type":      req(tVocab("pattern-type-ov")),
		"pattern_version":   opt(tString),
		"valid_from":        req(tTimestamp),
		"valid_until":       opt(tTimestamp),
		"kill_chain_phases": opt(tKillChainPhases),
	}, rules: []rule{after("valid_until", "valid_from")}},
	"infrastructure": {props: props{
		"name":                 req(tString),
		"description":          opt(tString),
		"infrastructure_types": opt(tVocabs("infrastructure-type-ov")),
		"aliases":              opt(tStrings),
		"kill_chain_phases":    opt(tKillChainPhases),
		"first_seen":           opt(tTimestamp),
		"last_seen":            opt(tTimestamp),
	}, rules: []rule{notBefore("last_seen", "first_seen")}},
	"intrusion-set": {props: props{
		"name":                  req(tString),
		"description":           opt(tString),
		"aliases":               opt(tStrings),
		"first_seen":            opt(tTimestamp),
		"last_seen":             opt(tTimestamp),
		"goals":                 opt(tStrings),
		"resource_level":        opt(tVocab("attack-resource-level-ov")),
		"primary_motivation":    opt(tVocab("attack-motivation-ov")),
		"secondary_motivations": opt(tVocabs("attack-motivation-ov")),
	}, rules: []rule{notBefore("last_seen", "first_seen")}},
	"location": {props: props{
		"name":                opt(tString),
		"description":         opt(tString),
		"latitude":            opt(tFloat(-90, 90)),
		"longitude":           opt(tFloat(-180, 180)),
		"precision":           opt(tFloat(0, 1e308)),
		"region":              opt(tVocab("region-ov")),
		"country":             opt(tString),
		"administrative_area": opt(tString),
		"city":                opt(tString),
		"street_address":      opt(tString),
		"postal_code":         opt(tString),
	}, rules: []rule{locationRule}},
	"malware": {props: props{
		"name":                        opt(tString),
		"description":                 opt(tString),
		"malware_types":               opt(tVocabs("malware-type-ov")),
		"is_family":                   req(tBool),
		"aliases":                     opt(tStrings),
		"kill_chain_phases":           opt(tKillChainPhases),
		"first_seen":                  opt(tTimestamp),
		"last_seen":                   opt(tTimestamp),
		"operating_system_refs":       opt(tRefs("software")),
		"architecture_execution_envs": opt(tVocabs("processor-architecture-ov")),
		"implementation_languages":    opt(tVocabs("implementation-language-ov")),
		"capabilities":                opt(tVocabs("malware-capabilities-ov")),
		"sample_refs":                 opt(tRefs("file", "artifact")),
	}, rules: []rule{notBefore("last_seen", "first_seen"), malwareRule}},
	"malware-analysis": {props: props{
		"product":                     req(tString),
		"version":                     opt(tString),
		"host_vm_ref":                 opt(tRef("software")),
		"operating_system_ref":        opt(tRef("software")),
		"installed_software_refs":     opt(tRefs("software")),
		"configuration_version":       opt(tString),
		"modules":                     opt(tStrings),
		"analysis_engine_version":     opt(tString),
		"analysis_definition_version": opt(tString),
		"submitted":                   opt(tTimestamp),
		"analysis_started":            opt(tTimestamp),
		"analysis_ended":              opt(tTimestamp),
		"result_name":                 opt(tString),
		"result":                      opt(tVocab("malware-av-result-ov")),
		"analysis_sco_refs":           opt(tRefs(anySCO)),
		"sample_ref":                  opt(tRef("file", "network-traffic", "artifact")),
	}, rules: []rule{anyOf("result", "analysis_sco_refs"), notBefore("analysis_ended", "analysis_started")}},
	"note": {props: props{
		"abstract":    opt(tString),
		"content":     req(tString),
		"authors":     opt(tStrings),
		"object_refs": req(tRefs()),
	}},
	"observed-data": {props: props{
		"first_observed":  req(tTimestamp),
		"last_observed":   req(tTimestamp),
		"number_observed": req(tInteger(1, 999999999)),
		"objects":         opt(tDict(tAny)), // deprecated in 2.1
		"object_refs":     opt(tRefs(anySCO, "relationship")),
	}, rules: []rule{notBefore("last_observed", "first_observed"), observedDataRule}},
	"opinion": {props: props{
		"explanation": opt(tString),
		"authors":     opt(tStrings),
		"opinion":     req(tEnum(opinionEnum...)),
		"object_refs": req(tRefs()),
	}},
	"report": {props: props{
		"name":         req(tString),
		"description":  opt(tString),
		"report_types": opt(tVocabs("report-type-ov")),
		"published":    req(tTimestamp),
		"object_refs":  req(tRefs()),
	}},
	"threat-actor": {props: props{
		"name":                  req(tString),
		"description":           opt(tString),
		"threat_actor_types":    opt(tVocabs("threat-actor-type-ov")),
		"aliases":               opt(tStrings),
		"first_seen":            opt(tTimestamp),
		"last_seen":             opt(tTimestamp),
		"roles":                 opt(tVocabs("threat-actor-role-ov")),
		"goals":                 opt(tStrings),
		"sophistication":        opt(tVocab("threat-actor-sophistication-ov")),
		"resource_level":        opt(tVocab("attack-resource-level-ov")),
		"primary_motivation":    opt(tVocab("attack-motivation-ov")),
		"secondary_motivations": opt(tVocabs("attack-motivation-ov")),
		"personal_motivations":  opt(tVocabs("attack-motivation-ov")),
	}, rules: []rule{notBefore("last_seen", "first_seen")}},
	"tool": {props: props{
		"name":              req(tString),
		"description":       opt(tString),
		"tool_types":        opt(tVocabs("tool-type-ov")),
		"aliases":           opt(tStrings),
		"kill_chain_phases": opt(tKillChainPhases),
		"tool_version":      opt(tString),
	}},
	"vulnerability": {props: props{
		"name":        req(tString),
		"description": opt(tString),
	}},
}

// tReserved rejects a property that the spec reserves and forbids using.
func tReserved(c *checker, path string, _ any) {
	c.errorf(path, "is reserved by STIX 2.1 and must not be used")
}

func locationRule(c *checker, m map[string]any) {
	_, lat := m["latitude"]
	_, lon := m["longitude"]
	_, prec := m["precision"]
	if lat != lon {
		c.errorf("", "latitude and longitude must be given together (section 4.11)")
	}
	if prec && !lat {
		c.errorf("precision", "precision requires latitude and longitude (section 4.11)")
	}
	_, region := m["region"]
	_, country := m["country"]
	if !region && !country && !lat {
		c.errorf("", "a location needs at least one of region, country, or latitude and longitude (section 4.11)")
	}
}

func malwareRule(c *checker, m map[string]any) {
	if m["is_family"] == true {
		if _, ok := m["name"]; !ok {
			c.errorf("name", "is required when is_family is true (section 4.12)")
		}
	}
}

func observedDataRule(c *checker, m map[string]any) {
	_, objs := m["objects"]
	_, refs := m["object_refs"]
	switch {
	case objs && refs:
		c.errorf("", "observed-data must not have both objects and object_refs (section 4.14)")
	case !objs && !refs:
		c.errorf("object_refs", "is required (section 4.14)")
	case objs:
		c.warnf("objects", "is deprecated in STIX 2.1: put the SCOs in the bundle and list them in object_refs (section 4.14)")
	}
}
