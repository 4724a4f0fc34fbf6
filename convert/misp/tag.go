package misp

import (
	"strings"

	"github.com/isachub/isachub/stix"
)

// tagSet is what the tags of an event or attribute say: the strictest TLP
// among them, the other tags as labels, and the galaxy tags
// (misp-galaxy:type="value"), which the galaxy code turns into objects.
type tagSet struct {
	tlp      stix.TLP
	labels   []string
	galaxies []galaxyTag
}

type galaxyTag struct{ name, path string }

// tags reads a Tag list (draft-dulaunoy-misp-core-format section 2.8).
// tlp:white, tlp:clear, tlp:green, tlp:amber, tlp:amber+strict and tlp:red
// (TLP 1.0 and 2.0, any case) become the TLP 2.0 marking; a tag of the tlp
// namespace that names no level (tlp:ex:chr) stays a label.
func (e *event) tags(v any, path string) tagSet {
	var ts tagSet
	list, ok := items(v)
	if !ok {
		e.c.rep.Skip(path, "tag", "Tag is "+kindOf(v)+", not a list")
		return ts
	}
	for i, t := range list {
		p := index(path, i)
		var name string
		switch t := t.(type) {
		case string:
			name = strings.TrimSpace(t)
		case map[string]any:
			name = text(t, "name")
		}
		if name == "" {
			e.c.rep.Skip(p, "tag", "is "+kindOf(t)+" without a name")
			continue
		}
		lower := strings.ToLower(name)
		switch {
		case strings.HasPrefix(lower, "tlp:"):
			if level, err := stix.ParseTLP(lower); err == nil {
				ts.tlp = max(ts.tlp, level)
				e.c.rep.Count("tag:tlp")
				continue
			}
		case strings.HasPrefix(lower, "misp-galaxy:"):
			ts.galaxies = append(ts.galaxies, galaxyTag{name: name, path: p})
			continue
		}
		ts.labels = appendNew(ts.labels, name)
		e.c.rep.Count("tag")
	}
	return ts
}
