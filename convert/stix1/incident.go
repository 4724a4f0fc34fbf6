package stix1

import (
	"strings"

	"github.com/isachub/isachub/convert"
)

// topIncident converts an Incident of stix:Incidents.
func (c *conv) topIncident(parent *cctx, n *node) { c.incident(parent, n) }

// incidentKept are the Incident elements the conversion reads; STIX 2.1
// incident is a stub (section 4.6), so every other one is reported.
var incidentKept = map[string]bool{
	"Title": true, "Description": true, "Short_Description": true, "Handling": true, "Information_Source": true,
	"Leveraged_TTPs": true, "Attributed_Threat_Actors": true, "Related_Indicators": true,
	"Related_Observables": true, "Related_Incidents": true, "Confidence": true,
}

// incident converts an Incident (incident:IncidentType) to an incident:
// name and description, with Leveraged_TTPs (uses), Attributed_Threat_Actors
// (attributed-to), Related_Indicators, Related_Observables (as
// observed-data) and Related_Incidents (related-to). The rest of the
// incident has no STIX 2.1 property and is reported as approximate.
func (c *conv) incident(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kIncident, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "incident", "Information_Source")
	id := convert.ID("stix1", "incident", key)
	d := newDraft("incident", id, n.path(), "incident", ctx.pkg)
	c.common(d, ctx)
	name := n.kidStr("Title")
	if name == "" {
		name = localID(key)
		c.approx(n.path(), "incident", "the incident has no Title: it is named by its id")
	}
	d.str("name", name)
	d.str("description", c.describe(n, "incident"))
	if conf, ok := c.confidence(n.kid("Confidence"), "incident"); ok {
		d.set("confidence", jint(int64(conf)))
	}
	c.finish(d, ctx)
	c.submit(d)
	c.count("incident")
	srcs := []string{id}
	c.related(ctx, srcs, n.kid("Leveraged_TTPs"), "Leveraged_TTP", relation{kind: kTTP, inner: "TTP", relType: "uses"})
	c.related(ctx, srcs, n.kid("Attributed_Threat_Actors"), "Threat_Actor", relation{kind: kActor, inner: "Threat_Actor", relType: "attributed-to"})
	c.related(ctx, srcs, n.kid("Related_Indicators"), "Related_Indicator", relation{kind: kIndicator, inner: "Indicator", relType: "related-to"})
	c.related(ctx, srcs, n.kid("Related_Observables"), "Related_Observable", relation{kind: kObservable, inner: "Observable", relType: "related-to"})
	c.related(ctx, srcs, n.kid("Related_Incidents"), "Related_Incident", relation{kind: kIncident, inner: "Incident", relType: "related-to"})
	for _, k := range n.kids {
		if !k.used && !incidentKept[k.local] && family(k.space) {
			k.useAll()
			c.approx(k.path(), "incident", "STIX 2.1 incident is a stub: "+k.name()+" has no property there; not converted")
		}
	}
	c.rest(n, "incident")
	return srcs, true
}

// topExploitTarget converts an Exploit_Target of stix:Exploit_Targets.
func (c *conv) topExploitTarget(parent *cctx, n *node) { c.exploitTarget(parent, n) }

// exploitTarget converts an ExploitTarget (et:ExploitTargetType): each
// Vulnerability becomes a vulnerability (STIX 2.1 section 4.20) named by
// its Title or CVE_ID, with the CVE as an external reference (source_name
// cve). Weaknesses and configurations have no STIX 2.1 object.
// Potential_COAs mitigate it; Related_Exploit_Targets are related-to.
func (c *conv) exploitTarget(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kET, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "exploit-target", "Information_Source")
	title := n.kidStr("Title")
	desc := c.describe(n, "exploit-target")
	var ids []string
	for i, v := range n.all("Vulnerability") {
		cve := strings.TrimSpace(v.kidStr("CVE_ID"))
		osvdb := strings.TrimSpace(v.kidStr("OSVDB_ID"))
		name := v.kidStr("Title")
		for _, alt := range []string{cve, title, osvdb} {
			if name == "" {
				name = alt
			}
		}
		if name == "" {
			name = localID(key)
		}
		id := nth("vulnerability", key, i)
		d := newDraft("vulnerability", id, v.path(), "exploit-target", ctx.pkg)
		c.common(d, ctx)
		d.str("name", name)
		vd := c.describe(v, "exploit-target")
		if vd == "" {
			vd = desc
		}
		d.str("description", vd)
		var refs [][]byte
		if cve != "" {
			refs = append(refs, (&jobj{}).str("source_name", "cve").str("external_id", cve).bytes())
		}
		if osvdb != "" {
			refs = append(refs, (&jobj{}).str("source_name", "osvdb").str("external_id", osvdb).bytes())
		}
		if len(refs) > 0 {
			d.set("external_references", jlist(refs))
		}
		c.finish(d, ctx)
		c.submit(d)
		ids = append(ids, id)
		c.rest(v, "exploit-target")
	}
	for _, w := range n.all("Weakness") {
		w.useAll()
		c.skip(w.path(), "exploit-target", "STIX 2.1 has no weakness object; not converted")
	}
	for _, cf := range n.all("Configuration") {
		cf.useAll()
		c.skip(cf.path(), "exploit-target", "STIX 2.1 has no configuration object; not converted")
	}
	c.madeIDs(key, ids)
	if len(ids) == 0 {
		c.skip(n.path(), "exploit-target", "the exploit target has no Vulnerability; not converted")
		n.useAll()
		return nil, true
	}
	c.count("exploit-target")
	c.related(ctx, ids, n.kid("Potential_COAs"), "Potential_COA", relation{kind: kCOA, inner: "Course_Of_Action", relType: "mitigates", reverse: true})
	c.related(ctx, ids, n.kid("Related_Exploit_Targets"), "Related_Exploit_Target", relation{kind: kET, inner: "Exploit_Target", relType: "related-to"})
	c.rest(n, "exploit-target")
	return ids, true
}

// topCOA converts a Course_Of_Action of stix:Courses_Of_Action.
func (c *conv) topCOA(parent *cctx, n *node) { c.coa(parent, n) }

// coa converts a CourseOfAction (coa:CourseOfActionType) to a
// course-of-action (STIX 2.1 section 4.3): name and description; the
// action properties are reserved in STIX 2.1, so the rest is reported.
func (c *conv) coa(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kCOA, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "course-of-action", "Information_Source")
	id := convert.ID("stix1", "course-of-action", key)
	d := newDraft("course-of-action", id, n.path(), "course-of-action", ctx.pkg)
	c.common(d, ctx)
	name := n.kidStr("Title")
	if name == "" {
		name = localID(key)
		c.approx(n.path(), "course-of-action", "the course of action has no Title: it is named by its id")
	}
	d.str("name", name)
	d.str("description", c.describe(n, "course-of-action"))
	c.finish(d, ctx)
	c.submit(d)
	c.count("course-of-action")
	srcs := []string{id}
	c.related(ctx, srcs, n.kid("Related_COAs"), "Related_COA", relation{kind: kCOA, inner: "Course_Of_Action", relType: "related-to"})
	c.rest(n, "course-of-action")
	return srcs, true
}
