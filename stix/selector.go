package stix

import (
	"strconv"
	"strings"
)

// checkSelectors checks that every selector of every granular marking
// resolves to a property or list item present in the object (section
// 7.2.3.1), for example "description", "labels.[1]" or
// "external_references.[0].source_name".
func (c *checker) checkSelectors(m map[string]any) {
	gms, _ := m["granular_markings"].([]any)
	for i, g := range gms {
		gm, _ := g.(map[string]any)
		sels, _ := gm["selectors"].([]any)
		for j, s := range sels {
			sel, ok := s.(string)
			if !ok {
				continue // its type is reported by tStrings
			}
			if msg := resolveSelector(m, sel); msg != "" {
				c.errorf(at(join(at("granular_markings", i), "selectors"), j), "selector %s %s", quote(sel), msg)
			}
		}
	}
}

// resolveSelector returns "" when sel selects something in m, else why not.
func resolveSelector(m map[string]any, sel string) string {
	if sel == "" {
		return "is empty"
	}
	var cur any = m
	for _, step := range strings.Split(sel, ".") {
		if strings.HasPrefix(step, "[") && strings.HasSuffix(step, "]") {
			list, ok := cur.([]any)
			if !ok {
				return "indexes " + quote(step) + " into something that is not a list"
			}
			n, err := strconv.Atoi(step[1 : len(step)-1])
			if err != nil || n < 0 {
				return "has an invalid list index " + quote(step)
			}
			if n >= len(list) {
				return "selects item " + step + " of a list of " + strconv.Itoa(len(list))
			}
			cur = list[n]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return "steps into " + quote(step) + " of something that is not an object"
		}
		v, ok := obj[step]
		if !ok {
			return "refers to " + quote(step) + ", which is not in the object"
		}
		cur = v
	}
	return ""
}
