package stix1

import (
	"strings"

	"github.com/isachub/isachub/convert"
)

// The kinds of STIX 1.x construct an idref may name.
const (
	kIndicator  = "indicator"
	kTTP        = "ttp"
	kActor      = "threat-actor"
	kCampaign   = "campaign"
	kIncident   = "incident"
	kCOA        = "course-of-action"
	kET         = "exploit-target"
	kReport     = "report"
	kObservable = "observable"
)

// direct maps the kinds that become exactly one STIX 2.1 type to it. A TTP
// becomes an attack-pattern, malware, tool or infrastructure, and an
// exploit target a vulnerability (or nothing), depending on their content.
var direct = map[string]string{
	kIndicator:  "indicator",
	kActor:      "threat-actor",
	kCampaign:   "campaign",
	kIncident:   "incident",
	kCOA:        "course-of-action",
	kReport:     "report",
	kObservable: "observed-data",
}

// idForms are the conventional id forms ("example:ttp-<uuid>") whose
// STIX 2.1 type is known without the construct: a TTP id written
// "example:malware-..." is taken to be malware.
var idForms = []struct{ prefix, typ string }{
	{"attack-pattern-", "attack-pattern"}, {"attackpattern-", "attack-pattern"},
	{"malware-", "malware"}, {"tool-", "tool"}, {"infrastructure-", "infrastructure"},
	{"vulnerability-", "vulnerability"},
}

// idFormType returns the STIX 2.1 type the conventional form of a TTP or
// exploit target idref says, or "".
func idFormType(idref string) string {
	local := idref
	if i := strings.LastIndexByte(local, ':'); i >= 0 {
		local = local[i+1:]
	}
	local = strings.ToLower(local)
	for _, f := range idForms {
		if strings.HasPrefix(local, f.prefix) {
			return f.typ
		}
	}
	return ""
}

// target returns the STIX 2.1 ids of the construct of kind that idref
// names; known is false while that cannot be said (a TTP or exploit target
// not read yet). It records the use for the final check of idrefs that
// name nothing.
func (c *conv) target(idref, kind, path string) (ids []string, known bool) {
	if _, ok := c.refSeen[idref]; !ok {
		c.refSeen[idref] = struct{}{}
		c.refs = append(c.refs, refUse{idref: idref, path: path, construct: kind})
	}
	return c.lookup(idref, kind)
}

// lookup is target without the record.
func (c *conv) lookup(idref, kind string) ([]string, bool) {
	if t, ok := direct[kind]; ok {
		return []string{convert.ID("stix1", t, idref)}, true
	}
	if ids, ok := c.made[idref]; ok {
		return ids, true
	}
	if t := idFormType(idref); t != "" && (kind == kTTP) == (t != "vulnerability") {
		return []string{convert.ID("stix1", t, idref)}, true
	}
	return nil, false
}

// checkRefs reports every idref whose construct the input never defined.
func (c *conv) checkRefs() {
	for _, u := range c.refs {
		if _, ok := c.seen[hashKey(u.idref)]; ok {
			continue
		}
		c.approx(u.path, u.construct, "the idref "+quoteText(u.idref)+" names nothing in this input; what refers to it points at an object the input does not hold")
	}
}

// madeIDs records what a TTP or exploit target became.
func (c *conv) madeIDs(key string, ids []string) {
	if len(c.made) < 1<<20 {
		c.made[key] = ids
	}
}

// nth returns the id of the k-th (from 0) object of type typ made from the
// construct key: the first takes the construct's own id.
func nth(typ, key string, k int) string {
	if k == 0 {
		return convert.ID("stix1", typ, key)
	}
	return convert.ID("stix1", typ, key+"#"+itoa(k+1))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// saw records that the input defines id (an object inside an
// observable), for the check of idrefs that name nothing.
func (c *conv) saw(id string) {
	if id == "" {
		return
	}
	if k := hashKey(id); c.seen[k] == 0 {
		c.seen[k] = 1
	}
}
