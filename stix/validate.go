package stix

// Issue is one problem found by Validate: Path is where, relative to the
// object ("created", "external_references[0].url"; "" for the object
// itself), and Message says what is wrong in words a person can act on.
type Issue struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Result is the outcome of validating one object. Errors break a MUST of
// STIX 2.1; Warnings break a SHOULD (open vocabularies, for example).
type Result struct {
	Errors   []Issue
	Warnings []Issue
}

// Valid reports whether the object has no errors.
func (r *Result) Valid() bool { return len(r.Errors) == 0 }

// Validate checks one object against every MUST of STIX 2.1 that can be
// checked on the object alone: required and known properties per type
// (sections 4-7), identifiers (2.9), timestamps (3.2), references and the
// types they may point at, confidence, custom property names (11.1),
// extensions (7.3), markings (7.2) and the SCO rules (6). Breaking a SHOULD,
// such as using a value outside an open vocabulary, is a warning. Text
// must be UTF-8 without lone surrogates (TextIssue).
//
// It does not parse indicator patterns (package pattern depends on this
// one): whether an object may be stored is pattern.Validate, which is this
// and the pattern, and which every caller that stores or publishes uses.
//
// Paths in the result are relative to the object.
func Validate(o *Object) Result {
	var res Result
	c := &checker{res: &res}
	for _, k := range o.dupKeys {
		c.errorf(join("", k), "appears more than once in the object; JSON object keys must be unique")
	}
	if path, problem, ok := TextIssue(o.raw); !ok {
		c.errorf(path, "%s", problem)
	}
	m, err := o.Value()
	if err != nil { // cannot happen for a parsed object; kept for safety
		c.errorf("", "cannot decode the object: %v", err)
		return res
	}
	c.validateObject(m)
	return res
}

// validateObject checks one decoded object.
func (c *checker) validateObject(m map[string]any) {
	typ, ok := m["type"].(string)
	if !ok {
		if _, present := m["type"]; present {
			c.wrongType("type", "a string", m["type"])
		} else {
			c.errorf("type", "is required")
		}
		return
	}
	if msg := checkTypeName(typ); msg != "" {
		c.errorf("type", "%s %s", quote(typ), msg)
		return
	}
	if typ == "bundle" {
		c.validateBundle(m)
		return
	}
	ext := c.checkExtensions(m, registry[typ])

	def := registry[typ]
	class := TypeClass(typ)
	if def == nil {
		class = ext.newClass
		common := sdoCommon
		if class == ClassSCO {
			common = scoCommon
		}
		if class == ClassUnknown {
			c.warnf("type", "%s is not a STIX 2.1 type and no extension-definition in extensions defines it (new-sdo, new-sco or new-sro); only the common properties were checked", quote(typ))
		}
		def = &typeDef{class: class, common: common, all: common, allNames: sortedKeys(common)}
	}

	c.checkID(m, typ, class)
	if sv, present := m["spec_version"]; present {
		if s, ok := sv.(string); !ok || s != "2.1" {
			c.errorf("spec_version", "must be \"2.1\" for STIX 2.1 content, not %s", describe(sv))
		}
	}
	c.checkSortedProps("", m, def.all, def.allNames, func(path, name string) {
		c.unknownTopLevel(path, name, class, ext.toplevel)
	})
	if created, ok := timestampOf(m, "created"); ok {
		if modified, ok := timestampOf(m, "modified"); ok && compareTimestamps(modified, created) < 0 {
			c.errorf("modified", "must not be earlier than created (%s < %s)", modified, created)
		}
	}
	for _, r := range def.rules {
		r(c, m)
	}
	tlpRule(c, m)
	c.checkSelectors(m)
	if class == ClassSCO && def.idContrib != nil {
		c.checkDeterministicID(m, def.idContrib)
	}
}

// checkID checks that id is present, well formed and of the object's type.
func (c *checker) checkID(m map[string]any, typ string, class Class) {
	v, present := m["id"]
	if !present {
		c.errorf("id", "is required")
		return
	}
	id, ok := v.(string)
	if !ok {
		c.wrongType("id", "an identifier string", v)
		return
	}
	if msg := checkID(id); msg != "" {
		c.errorf("id", "%s %s", quote(id), msg)
		return
	}
	if t := IDType(id); t != typ {
		c.errorf("id", "%s must start with the object's type: %s--<UUID>", quote(id), typ)
	}
}

// unknownTopLevel reports a top-level property that the object's type does
// not define.
func (c *checker) unknownTopLevel(path, name string, class Class, toplevelExt bool) {
	if _, common := commonNames[name]; common && !toplevelExt {
		c.errorf(path, "is not a property of %s objects in STIX 2.1; put it in an extension instead", class)
		return
	}
	if msg := checkPropertyName(name); msg != "" {
		c.errorf(path, "custom property name %s %s (section 11.1)", quote(name), msg)
		return
	}
	if !toplevelExt && len(name) > 2 && name[:2] != "x_" {
		c.warnf(path, "custom property %s should start with x_, or be defined by a toplevel-property-extension (section 11.1)", quote(name))
	}
}

func describe(v any) string {
	if s, ok := v.(string); ok {
		return quote(s)
	}
	return kindOf(v)
}

// validateBundle checks a bundle wrapper (section 8): its id, and that
// objects, when present, is a non-empty list. Its objects are validated one
// by one by the caller.
func (c *checker) validateBundle(m map[string]any) {
	c.checkID(m, "bundle", ClassUnknown)
	if v, ok := m["objects"]; ok {
		if a, isList := v.([]any); !isList {
			c.wrongType("objects", "a list of STIX objects", v)
		} else if len(a) == 0 {
			c.errorf("objects", "must not be an empty list (omit the property instead)")
		}
	}
	if _, ok := m["spec_version"]; ok {
		c.warnf("spec_version", "bundles have no spec_version in STIX 2.1 (section 8); it is a STIX 2.0 property")
	}
	for _, k := range sortedKeys(m) {
		switch k {
		case "type", "id", "objects", "spec_version":
		default:
			c.unknownTopLevel(k, k, ClassUnknown, false)
		}
	}
}
