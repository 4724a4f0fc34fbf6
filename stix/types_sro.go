package stix

// The two STIX Relationship Objects of section 5.

var sroTypes = map[string]*typeDef{
	"relationship": {props: props{
		"relationship_type": req(tRelationshipType),
		"description":       opt(tString),
		"source_ref":        req(tRef(anySDO, anySCO)),
		"target_ref":        req(tRef(anySDO, anySCO)),
		"start_time":        opt(tTimestamp),
		"stop_time":         opt(tTimestamp),
	}, rules: []rule{after("stop_time", "start_time")}},
	"sighting": {props: props{
		"description":        opt(tString),
		"first_seen":         opt(tTimestamp),
		"last_seen":          opt(tTimestamp),
		"count":              opt(tInteger(0, 999999999)),
		"sighting_of_ref":    req(tRef(anySDO)),
		"observed_data_refs": opt(tRefs("observed-data")),
		"where_sighted_refs": opt(tRefs("identity", "location")),
		"summary":            opt(tBool),
	}, rules: []rule{notBefore("last_seen", "first_seen")}},
}

// tRelationshipType checks section 5.1: 3-250 characters of a-z, 0-9 and '-'.
func tRelationshipType(c *checker, path string, v any) {
	s, ok := v.(string)
	if !ok {
		c.wrongType(path, "a string", v)
		return
	}
	if msg := checkTypeName(s); msg != "" {
		c.errorf(path, "%s %s", quote(s), msg)
	}
}
