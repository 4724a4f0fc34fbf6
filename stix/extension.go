package stix

import (
	"slices"
	"strings"
)

// extInfo is what an object's extensions say about the object itself.
type extInfo struct {
	toplevel bool  // a toplevel-property-extension adds top-level properties
	newClass Class // the class of a type defined by a new-sdo/new-sco/new-sro extension
}

// checkExtensions checks the "extensions" dictionary (section 7.3): keys
// are extension-definition ids or the predefined extensions of an SCO type
// (section 6); values are non-empty objects; extension_type, when present,
// is from extension-type-enum.
func (c *checker) checkExtensions(m map[string]any, def *typeDef) extInfo {
	var info extInfo
	v, present := m["extensions"]
	if !present {
		return info
	}
	exts, ok := v.(map[string]any)
	if !ok {
		c.wrongType("extensions", "a dictionary of extensions", v)
		return info
	}
	if len(exts) == 0 {
		c.errorf("extensions", "must not be an empty dictionary (omit the property instead)")
		return info
	}
	for _, key := range sortedKeys(exts) {
		path := join("extensions", key)
		ext, ok := exts[key].(map[string]any)
		if !ok {
			c.wrongType(path, "an object", exts[key])
			continue
		}
		if len(ext) == 0 {
			c.errorf(path, "an extension must have at least one property (section 7.3)")
			continue
		}
		if strings.HasPrefix(key, "extension-definition--") {
			if msg := checkID(key); msg != "" {
				c.errorf(path, "the key %s %s", quote(key), msg)
			}
			c.checkExtensionType(path, ext, &info)
			continue
		}
		if def != nil && def.extensions != nil {
			if ps, predefined := def.extensions[key]; predefined {
				c.checkProps(path, ext, ps, c.customProperty)
				continue
			}
		}
		if _, hasType := ext["extension_type"]; hasType {
			c.errorf(path, "an extension with extension_type must be keyed by its extension-definition id (section 7.3)")
			continue
		}
		// A custom extension in the deprecated style of section 11.3.
		if msg := checkTypeName(key); msg != "" {
			c.errorf(path, "%s is neither an extension-definition id nor a predefined extension of this type, and as a custom extension name it %s (section 11.3)", quote(key), msg)
			continue
		}
		c.warnf(path, "custom extension %s is deprecated in STIX 2.1; define it with an extension-definition (section 11.3)", quote(key))
	}
	return info
}

// checkExtensionType checks the extension_type of an extension keyed by an
// extension-definition id. Section 7.3 has the extension say which of the
// definition's extension_types it is (new-sdo, new-sco, new-sro,
// property-extension, toplevel-property-extension), and every one of them
// needs it: the object alone must tell a reader how to read it, since the
// definition may not be at hand. The OASIS schema (common/extension.json)
// requires it the same way.
func (c *checker) checkExtensionType(path string, ext map[string]any, info *extInfo) {
	et, present := ext["extension_type"]
	if !present {
		c.errorf(path, "an extension keyed by an extension-definition id must have extension_type, one of %s (section 7.3)", strings.Join(extensionTypeEnum, ", "))
		return
	}
	s, ok := et.(string)
	if !ok || !slices.Contains(extensionTypeEnum, s) {
		c.errorf(join(path, "extension_type"), "%s is not allowed: use one of %s", describe(et), strings.Join(extensionTypeEnum, ", "))
		return
	}
	switch s {
	case "toplevel-property-extension":
		info.toplevel = true
	case "new-sdo":
		info.newClass = ClassSDO
	case "new-sro":
		info.newClass = ClassSRO
	case "new-sco":
		info.newClass = ClassSCO
	}
}
