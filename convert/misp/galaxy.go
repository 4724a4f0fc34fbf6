package misp

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/isachub/isachub/convert"
)

// galaxyKinds maps MISP galaxy types (github.com/MISP/misp-galaxy) to the
// STIX 2.1 SDO their clusters become.
var galaxyKinds = map[string]string{
	"threat-actor":                             "threat-actor",
	"microsoft-activity-group":                 "threat-actor",
	"mitre-intrusion-set":                      "intrusion-set",
	"mitre-enterprise-attack-intrusion-set":    "intrusion-set",
	"mitre-mobile-attack-intrusion-set":        "intrusion-set",
	"mitre-pre-attack-intrusion-set":           "intrusion-set",
	"malpedia":                                 "malware",
	"mitre-malware":                            "malware",
	"mitre-enterprise-attack-malware":          "malware",
	"mitre-mobile-attack-malware":              "malware",
	"ransomware":                               "malware",
	"banker":                                   "malware",
	"botnet":                                   "malware",
	"rat":                                      "malware",
	"stealer":                                  "malware",
	"backdoor":                                 "malware",
	"android":                                  "malware",
	"exploit-kit":                              "malware",
	"tool":                                     "tool",
	"mitre-tool":                               "tool",
	"mitre-enterprise-attack-tool":             "tool",
	"mitre-mobile-attack-tool":                 "tool",
	"mitre-attack-pattern":                     "attack-pattern",
	"mitre-enterprise-attack-attack-pattern":   "attack-pattern",
	"mitre-mobile-attack-attack-pattern":       "attack-pattern",
	"mitre-pre-attack-attack-pattern":          "attack-pattern",
	"mitre-course-of-action":                   "course-of-action",
	"mitre-enterprise-attack-course-of-action": "course-of-action",
	"mitre-mobile-attack-course-of-action":     "course-of-action",
	"sector":                                   "identity",
	"country":                                  "location",
}

// malwareTypes gives the malware_types (section 10.15) a galaxy implies.
var malwareTypes = map[string]string{
	"ransomware": "ransomware", "rat": "remote-access-trojan", "backdoor": "backdoor",
	"botnet": "bot", "exploit-kit": "exploit-kit",
}

// cluster is one galaxy cluster: from a Galaxy list, or only its tag.
type cluster struct {
	galaxy, uuid, value, tag, description, source string
	meta                                          map[string]any
	path                                          string
}

// galaxies converts the Galaxy list of an event or attribute and its
// galaxy tags (a tag whose cluster the list does not hold converts from
// the tag alone: name only). It returns the ids made and the labels of
// clusters whose galaxy has no STIX 2.1 counterpart.
func (e *event) galaxies(v any, path string, tags []galaxyTag, s *source) (ids, labels []string) {
	done := map[string]bool{}
	add := func(cl cluster) {
		done[strings.ToLower(cl.tag)] = true
		if id, label := e.cluster(cl, s); id != "" {
			ids = appendNew(ids, id)
		} else {
			labels = appendNew(labels, label)
		}
	}
	e.list(map[string]any{"Galaxy": v}, strings.TrimSuffix(path, ".Galaxy"), "Galaxy", "galaxy", func(g any, gp string) {
		gm, ok := asObject(g)
		if !ok {
			e.c.rep.Skip(gp, "galaxy", "is "+kindOf(g)+", not an object")
			return
		}
		gtype := text(gm, "type")
		e.list(gm, gp, "GalaxyCluster", "galaxy", func(c any, cp string) {
			cm, ok := asObject(c)
			if !ok {
				e.c.rep.Skip(cp, "galaxy", "is "+kindOf(c)+", not a cluster object")
				return
			}
			cl := cluster{galaxy: gtype, uuid: strings.ToLower(text(cm, "uuid")), value: text(cm, "value"),
				tag: text(cm, "tag_name"), source: text(cm, "source"), path: cp}
			cl.description, _ = raw(cm, "description")
			cl.meta, _ = asObject(cm["meta"])
			if t := text(cm, "type"); t != "" {
				cl.galaxy = t
			}
			if cl.tag == "" {
				cl.tag = `misp-galaxy:` + cl.galaxy + `="` + cl.value + `"`
			}
			add(cl)
		})
	})
	for _, t := range tags {
		if done[strings.ToLower(t.name)] {
			continue
		}
		typ, val, _ := strings.Cut(t.name[len("misp-galaxy:"):], "=")
		add(cluster{galaxy: strings.TrimSpace(typ), value: strings.Trim(strings.TrimSpace(val), `"`), tag: t.name, path: t.path})
	}
	return ids, labels
}

// indexClusters records the uuid of every galaxy cluster of an event by its
// tag name, so that a galaxy tag converts to the same object as the
// cluster it names wherever in the input that cluster is given in full.
func (c *converter) indexClusters(ev map[string]any) {
	var galaxies func(v any)
	galaxies = func(v any) {
		list, _ := items(v)
		for _, g := range list {
			gm, _ := asObject(g)
			clusters, _ := items(gm["GalaxyCluster"])
			for _, cv := range clusters {
				cm, _ := asObject(cv)
				u, value := strings.ToLower(text(cm, "uuid")), text(cm, "value")
				typ := text(cm, "type")
				if typ == "" {
					typ = text(gm, "type")
				}
				tag := text(cm, "tag_name")
				if tag == "" {
					tag = `misp-galaxy:` + typ + `="` + value + `"`
				}
				if _, seen := c.clusters[strings.ToLower(tag)]; u != "" && !seen {
					c.clusters[strings.ToLower(tag)] = u
				}
			}
		}
	}
	galaxies(ev["Galaxy"])
	attrs, _ := items(ev["Attribute"])
	objs, _ := items(ev["Object"])
	for _, o := range objs {
		om, _ := asObject(o)
		more, _ := items(om["Attribute"])
		attrs = append(attrs, more...)
	}
	for _, a := range attrs {
		am, _ := asObject(a)
		galaxies(am["Galaxy"])
	}
}

// cluster makes the SDO of one cluster and returns its id, or "" and the
// label that stands for it.
func (e *event) cluster(cl cluster, s *source) (id, label string) {
	construct := "galaxy:" + cl.galaxy
	kind := galaxyKinds[cl.galaxy]
	switch {
	case cl.value == "":
		e.c.rep.Skip(cl.path, construct, "the cluster has no value")
		return "", ""
	case kind == "":
		e.c.rep.Approx(cl.path, construct, "the galaxy "+quoteEntry(cl.galaxy)+" has no STIX 2.1 counterpart: kept as the label "+quoteEntry(cl.tag))
		return "", cl.tag
	}
	u := cl.uuid
	if u == "" {
		u = e.c.clusters[strings.ToLower(cl.tag)]
	}
	if u != "" {
		id = convert.ID(format, kind, u)
	} else {
		id = convert.ID(format, kind, "tag\x00"+strings.ToLower(cl.tag))
	}
	o := e.newSDO(kind, id, s)
	name := cl.value
	mitre := mitreID(cl)
	if mitre != "" { // "Spearphishing Attachment - T1566.001"
		name = strings.TrimSpace(strings.TrimSuffix(name, " - "+mitre))
	}
	o.set("name", name)
	if strings.TrimSpace(cl.description) != "" {
		o.set("description", cl.description)
	}
	approx := ""
	switch kind {
	case "malware":
		o.set("is_family", true)
		if t := malwareTypes[cl.galaxy]; t != "" {
			o.set("malware_types", []string{t})
		}
	case "attack-pattern":
		if k := killChains(cl.meta); len(k) > 0 {
			o.set("kill_chain_phases", k)
		}
		if mitre == "" {
			approx = "no MITRE ATT&CK id in the cluster's meta or value: the attack-pattern has no mitre-attack reference"
		}
	case "identity":
		o.set("identity_class", "class")
		if sector := sectorOf(cl.value); sector != "" {
			o.set("sectors", []string{sector})
		} else {
			approx = "the sector " + quoteEntry(cl.value) + " is not in the STIX industry-sector vocabulary: the identity has no sectors"
		}
	case "location":
		code := countryCode(cl)
		if code == "" {
			e.c.rep.Approx(cl.path, construct, "no ISO 3166 code is known for the country "+quoteEntry(cl.value)+
				" and a STIX location needs one (section 4.11): kept as the label "+quoteEntry(cl.tag))
			return "", cl.tag
		}
		o.set("country", code)
	}
	switch kind {
	case "threat-actor", "intrusion-set", "malware", "tool", "attack-pattern":
		if aliases := aliasesOf(cl.meta, name); len(aliases) > 0 {
			o.set("aliases", aliases)
		}
	}
	o.extRefs = clusterRefs(cl, mitre)
	id = e.keep(o)
	if approx != "" {
		e.c.rep.Approx(cl.path, construct, approx)
	} else {
		e.c.rep.Count(construct)
	}
	return id, ""
}

var mitreIDForm = regexp.MustCompile(`^(T|TA|S|G|M|C|DS)[0-9]{4}(\.[0-9]{3})?$`)

// mitreID returns the MITRE ATT&CK id of a MITRE cluster: from its meta
// external_id, else from its value ("Spearphishing Attachment -
// T1566.001").
func mitreID(cl cluster) string {
	if kind := galaxyKinds[cl.galaxy]; !strings.HasPrefix(cl.galaxy, "mitre-") && kind != "attack-pattern" {
		return ""
	}
	for _, id := range strs(cl.meta, "external_id") {
		if mitreIDForm.MatchString(id) {
			return id
		}
	}
	if i := strings.LastIndex(cl.value, " - "); i >= 0 {
		if id := strings.TrimSpace(cl.value[i+3:]); mitreIDForm.MatchString(id) {
			return id
		}
	}
	return ""
}

// mitreURL is the ATT&CK page of an id.
func mitreURL(id string) string {
	paths := map[string]string{"T": "techniques", "TA": "tactics", "S": "software", "G": "groups", "M": "mitigations", "C": "campaigns", "DS": "datasources"}
	prefix := strings.TrimRight(id, "0123456789.")
	return "https://attack.mitre.org/" + paths[prefix] + "/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// clusterRefs are the external references of a cluster (section 2.5): the
// mitre-attack id first, CAPEC ids, then the meta refs.
func clusterRefs(cl cluster, mitre string) []extRef {
	var out []extRef
	if mitre != "" {
		out = append(out, extRef{source: "mitre-attack", externalID: mitre, url: mitreURL(mitre)})
	}
	for _, id := range strs(cl.meta, "external_id") {
		if strings.HasPrefix(strings.ToUpper(id), "CAPEC-") {
			out = append(out, extRef{source: "capec", externalID: strings.ToUpper(id)})
		}
	}
	src := cl.source
	if src == "" {
		src = "misp-galaxy"
	}
	for _, r := range strs(cl.meta, "refs") {
		if mitre != "" && strings.TrimRight(r, "/") == strings.TrimRight(mitreURL(mitre), "/") {
			continue
		}
		out = append(out, reference(src, r))
	}
	return out
}

// reference is an external reference to r: its url when r is an absolute
// URL, else its description.
func reference(source, r string) extRef {
	if u, err := url.Parse(r); err == nil && u.Scheme != "" {
		return extRef{source: source, url: r}
	}
	return extRef{source: source, description: r}
}

// killChains reads the meta kill_chain of an ATT&CK cluster
// ("mitre-attack:initial-access") as kill-chain phases (section 2.8).
func killChains(meta map[string]any) []killChain {
	var out []killChain
	for _, k := range strs(meta, "kill_chain") {
		i, j := strings.Index(k, ":"), strings.LastIndex(k, ":")
		if i <= 0 || j == len(k)-1 {
			continue
		}
		out = append(out, killChain{chain: k[:i], phase: k[j+1:]})
	}
	return out
}

// aliasesOf returns the synonyms of a cluster other than its name.
func aliasesOf(meta map[string]any, name string) []string {
	var out []string
	for _, s := range strs(meta, "synonyms") {
		if !strings.EqualFold(s, name) {
			out = appendNew(out, s)
		}
	}
	return out
}

// sectors maps the values of the MISP sector galaxy to the STIX
// industry-sector-ov (section 10.11).
var sectors = map[string]string{
	"academia - university": "education", "education": "education", "aerospace": "aerospace",
	"agriculture": "agriculture", "automotive": "automotive", "chemical": "chemical", "chemicals": "chemical",
	"commercial": "commercial", "communications": "communications", "telecoms": "telecommunications",
	"telecommunications": "telecommunications", "construction": "construction", "defense": "defense",
	"military": "defense", "energy": "energy", "oil and gas": "energy", "entertainment": "entertainment",
	"finance": "financial-services", "financial": "financial-services", "financial services": "financial-services",
	"banking": "financial-services", "government, administration": "government", "government": "government",
	"local government": "government-local", "emergency services": "emergency-services",
	"health": "healthcare", "healthcare": "healthcare", "hospitality": "hospitality-leisure",
	"infrastructure": "infrastructure", "dams": "dams", "nuclear": "nuclear", "water": "water",
	"insurance": "insurance", "manufacturing": "manufacturing", "mining": "mining", "ngo": "non-profit",
	"non-profit": "non-profit", "pharmacy": "pharmaceuticals", "pharmaceuticals": "pharmaceuticals",
	"pharmaceutical": "pharmaceuticals", "retail": "retail", "technology": "technology", "it": "technology",
	"high-tech": "technology", "transport": "transportation", "transportation": "transportation",
	"utilities": "utilities", "electric": "utilities",
}

// sectorOf returns the industry sector of a MISP sector value, or "".
func sectorOf(v string) string {
	n := strings.ToLower(strings.TrimSpace(v))
	if s, ok := sectors[n]; ok {
		return s
	}
	return sectors[strings.ReplaceAll(n, "-", " ")]
}

// countryCode returns the ISO 3166-1 alpha-2 code of a country cluster:
// its meta ISO, else its value looked up by name or as a code.
func countryCode(cl cluster) string {
	for _, c := range strs(cl.meta, "ISO") {
		if c = strings.ToUpper(c); len(c) == 2 && countryNames[c] != "" {
			return c
		}
	}
	return isoCode(cl.value)
}
