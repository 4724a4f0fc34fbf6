package stix1

import (
	"strings"
)

// topTTP converts a TTP of stix:TTPs.
func (c *conv) topTTP(parent *cctx, n *node) { c.ttp(parent, n) }

// ttp converts a TTP (STIX 1.2 ttp:TTPType). Each Behavior/Attack_Pattern
// becomes an attack-pattern (section 4.1, with its CAPEC id as an external
// reference), each Behavior/Malware/Malware_Instance a malware (4.12,
// is_family false), each Resources/Tools/Tool a tool (4.19) and each
// Resources/Infrastructure an infrastructure (4.8). A TTP with none of
// them but a Title is read as an attack-pattern. What an idref to the TTP
// points at is every object it became.
func (c *conv) ttp(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kTTP, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "ttp", "Information_Source")
	title := n.kidStr("Title")
	desc := c.describe(n, "ttp")
	kcp := n.kid("Kill_Chain_Phases")
	var ids []string
	counts := map[string]int{}
	start := func(typ string, at *node, name string) *draft {
		id := nth(typ, key, counts[typ])
		counts[typ]++
		ids = append(ids, id)
		d := newDraft(typ, id, at.path(), "ttp", ctx.pkg)
		c.common(d, ctx)
		if name == "" {
			name = title
		}
		if name == "" {
			name = localID(key)
		}
		d.str("name", name)
		return d
	}
	end := func(d *draft) {
		if kcp != nil {
			c.killChainPhases(d, kcp, "ttp")
		}
		c.finish(d, ctx)
		c.submit(d)
	}
	beh := n.kid("Behavior")
	if aps := beh.kid("Attack_Patterns"); aps != nil {
		for _, ap := range aps.all("Attack_Pattern") {
			capec := strings.TrimSpace(ap.attr("capec_id"))
			name := ap.kidStr("Title")
			if name == "" && capec != "" {
				name = capec
			}
			d := start("attack-pattern", ap, name)
			apDesc := c.describe(ap, "ttp")
			if apDesc == "" {
				apDesc = desc
			}
			d.str("description", apDesc)
			if capec != "" {
				if !strings.HasPrefix(strings.ToUpper(capec), "CAPEC-") {
					capec = "CAPEC-" + capec
				}
				ref := (&jobj{}).str("source_name", "capec").str("external_id", capec)
				d.set("external_references", jlist([][]byte{ref.bytes()}))
			}
			end(d)
			c.rest(ap, "ttp")
		}
		c.rest(aps, "ttp")
	}
	if mw := beh.kid("Malware"); mw != nil {
		for _, mi := range mw.all("Malware_Instance") {
			if _, local, raw := mi.xsiType(); local != "" && local != "MalwareInstanceType" {
				c.approx(mi.path(), "ttp", "the malware instance of xsi:type "+raw+" is read for its name, type and description only")
			}
			name := mi.kidStr("Name")
			if name == "" {
				name = mi.kidStr("Title")
			}
			for _, alias := range mi.all("Name")[min(1, len(mi.all("Name"))):] {
				c.skip(alias.path(), "ttp", "STIX 2.1 malware has one name; the other names are not converted")
			}
			d := start("malware", mi, name)
			d.strs("malware_types", c.vocabs(mi.all("Type"), malwareTypes, "ttp", "malware_types"))
			d.set("is_family", jbool(false))
			mDesc := c.describe(mi, "ttp")
			if mDesc == "" {
				mDesc = desc
			}
			d.str("description", mDesc)
			end(d)
			c.rest(mi, "ttp")
		}
		c.rest(mw, "ttp")
	}
	c.rest(beh, "ttp")
	res := n.kid("Resources")
	if tools := res.kid("Tools"); tools != nil {
		for _, t := range tools.all("Tool") {
			d := start("tool", t, t.kidStr("Name"))
			d.strs("tool_types", c.vocabs(t.all("Type"), toolTypes, "ttp", "tool_types"))
			d.str("tool_version", t.kidStr("Version"))
			tDesc := c.describe(t, "ttp")
			if tDesc == "" {
				tDesc = desc
			}
			d.str("description", tDesc)
			end(d)
			c.rest(t, "ttp")
		}
		c.rest(tools, "ttp")
	}
	for _, inf := range res.all("Infrastructure") {
		d := start("infrastructure", inf, inf.kidStr("Title"))
		d.strs("infrastructure_types", c.vocabs(inf.all("Type"), infraTypes, "ttp", "infrastructure_types"))
		iDesc := c.describe(inf, "ttp")
		if iDesc == "" {
			iDesc = desc
		}
		d.str("description", iDesc)
		end(d)
		c.rest(inf, "ttp")
	}
	c.rest(res, "ttp")
	if len(ids) == 0 {
		if title == "" {
			c.skip(n.path(), "ttp", "the TTP has no attack pattern, malware, tool, infrastructure or title; not converted")
			c.madeIDs(key, nil)
			n.useAll()
			return nil, true
		}
		d := start("attack-pattern", n, title)
		d.str("description", desc)
		end(d)
		c.approx(n.path(), "ttp", "a TTP with neither behavior nor resources is read as an attack-pattern named by its Title")
	}
	if kcp != nil {
		kcp.useAll()
	}
	c.madeIDs(key, ids)
	c.count("ttp")
	c.related(ctx, ids, n.kid("Related_TTPs"), "Related_TTP", relation{kind: kTTP, inner: "TTP", relType: "related-to"})
	c.related(ctx, ids, n.kid("Exploit_Targets"), "Exploit_Target", relation{kind: kET, inner: "Exploit_Target", relType: "targets"})
	c.rest(n, "ttp")
	return ids, true
}

// localID returns the part of a 1.x id after its namespace prefix, as a
// name of last resort.
func localID(key string) string {
	if i := strings.IndexByte(key, '#'); i >= 0 {
		return "unnamed"
	}
	if i := strings.LastIndexByte(key, ':'); i >= 0 {
		return key[i+1:]
	}
	return key
}
