package stix1

import (
	"slices"

	"github.com/isachub/isachub/convert"
)

// topReport converts a Report of stix:Reports.
func (c *conv) topReport(parent *cctx, n *node) { c.report(parent, n) }

// reportSections are the lists of a STIX 1.2 Report and the kind of
// construct each holds.
var reportSections = []struct{ list, item, kind string }{
	{"Observables", "Observable", kObservable},
	{"Indicators", "Indicator", kIndicator},
	{"TTPs", "TTP", kTTP},
	{"Exploit_Targets", "Exploit_Target", kET},
	{"Incidents", "Incident", kIncident},
	{"Courses_Of_Action", "Course_Of_Action", kCOA},
	{"Campaigns", "Campaign", kCampaign},
	{"Threat_Actors", "Threat_Actor", kActor},
}

// report converts a Report (report:ReportType, STIX 1.2) to a report
// (STIX 2.1 section 4.16): the Header gives name, description, report_types
// (Intent) and markings; object_refs are what its lists hold or reference.
// A reference to a TTP or exploit target not read yet waits for it.
func (c *conv) report(parent *cctx, n *node) ([]string, bool) {
	if isRef(n) {
		return c.target(n.attr("idref"), kReport, n.path())
	}
	key := c.sourceKey(n, parent.pkg)
	ctx := c.begin(parent, n, key, "report", "Information_Source")
	h := n.kid("Header")
	c.handling(h.kid("Handling"), ctx, false)
	if is := h.kid("Information_Source"); is != nil {
		if id := c.source(is, ctx); id != "" || c.opts.Anonymous {
			ctx.createdBy = id
		}
	}
	id := convert.ID("stix1", "report", key)
	d := newDraft("report", id, n.path(), "report", ctx.pkg)
	c.common(d, ctx)
	name := h.kidStr("Title")
	if name == "" {
		name = localID(key)
		c.approx(n.path(), "report", "the report has no Title: it is named by its id")
	}
	d.str("name", name)
	d.str("description", c.describe(h, "report"))
	d.strs("report_types", c.vocabs(h.all("Intent"), reportTypes, "report", "report_types"))
	d.str("published", ctx.modified)
	c.rest(h, "report")

	var refs []string
	type pending struct{ idref, kind, path string }
	var wait []pending
	for _, s := range reportSections {
		list := n.kid(s.list)
		for _, it := range list.all(s.item) {
			if isRef(it) {
				ids, known := c.target(it.attr("idref"), s.kind, it.path())
				if !known {
					wait = append(wait, pending{it.attr("idref"), s.kind, it.path()})
				}
				refs = append(refs, ids...)
				continue
			}
			ids, _ := c.construct(ctx, it, s.kind)
			refs = append(refs, ids...)
		}
		c.rest(list, "report")
	}
	d.late("object_refs", true, func(final bool) ([]byte, bool) {
		all := slices.Clone(refs)
		for _, w := range wait {
			ids, known := c.lookup(w.idref, w.kind)
			if !known {
				if !final {
					return nil, false
				}
				c.skip(w.path, "report", "the STIX 2.1 type of "+quoteText(w.idref)+" cannot be known: the "+w.kind+" it names is not in the input; not in object_refs")
				continue
			}
			all = append(all, ids...)
		}
		var uniq []string
		for _, r := range all {
			if !slices.Contains(uniq, r) {
				uniq = append(uniq, r)
			}
		}
		if len(uniq) == 0 {
			return nil, true
		}
		return jstrs(uniq), true
	})
	c.finish(d, ctx)
	d.countAs = "report"
	c.submit(d)
	c.related(ctx, []string{id}, n.kid("Related_Reports"), "Related_Report", relation{kind: kReport, inner: "Report", relType: "related-to"})
	c.rest(n, "report")
	return []string{id}, true
}
